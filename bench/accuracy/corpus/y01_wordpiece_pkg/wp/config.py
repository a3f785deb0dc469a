"""Shared constants."""
import tensorflow as tf

AUTOTUNE = tf.data.AUTOTUNE
MAX_SEQ = 128
__all__ = ["AUTOTUNE", "MAX_SEQ"]
