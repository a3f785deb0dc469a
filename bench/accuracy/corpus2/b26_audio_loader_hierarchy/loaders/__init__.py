"""Imitates an audio-tagging repo's `loaders` package: an abstract base loader that
owns the tf.data assembly and subclasses that implement `_load`."""
from .audio import MfccLoader
from .base import BaseLoader
