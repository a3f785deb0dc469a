"""tfpar-doctor: why `num_parallel_calls` does not make a tf.data pipeline faster, and what to change."""

__version__ = "0.1.0"
