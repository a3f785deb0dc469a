"""Imitates a small U-Net package (`unetdata`): loaders live in one module, the
tf.data assembly in another, imported relatively."""
from .pipeline import build_datasets

__all__ = ["build_datasets"]
