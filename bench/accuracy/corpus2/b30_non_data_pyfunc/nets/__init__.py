"""Imitates a package of model pieces that use py_func outside tf.data."""
