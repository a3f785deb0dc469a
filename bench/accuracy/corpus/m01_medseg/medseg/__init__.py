"""Imitates a 3D medical-image segmentation repository (BraTS-style) as a package."""
from .pipeline import get_dataset  # noqa: F401
