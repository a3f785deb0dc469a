"""Imitates a Tacotron-style text-to-speech repository split into a small package."""
from .dataset import build_dataset  # noqa: F401
