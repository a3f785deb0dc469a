"""Imitates a BERT pretraining-data repository packaged as `wp`."""
from .config import *  # noqa: F401,F403
