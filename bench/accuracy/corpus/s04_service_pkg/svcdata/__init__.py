"""Imitates a speech-recognition trainer that runs its input pipeline on tf.data service
workers; the feature extraction lives in a sibling module and calls numpy_function."""
