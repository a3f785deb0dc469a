"""Imitates a TPU/GCS-oriented repository that reads serialized arrays from cloud storage
with tf.io.gfile inside py_function, retrying with time.sleep; the author tried to
"tune threading" with max_intra_op_parallelism, which does not lift the pool cap."""
import io
import time

import numpy as np
import tensorflow as tf


def read_array(uri):
    path = uri.numpy().decode("utf-8")
    for attempt in range(3):
        try:
            with tf.io.gfile.GFile(path, "rb") as f:
                return np.load(io.BytesIO(f.read()))
        except tf.errors.UnavailableError:
            time.sleep(2 ** attempt)
    raise OSError(path)


def load(uri, label):
    x = tf.py_function(read_array, [uri], tf.float32)
    return x, label


def build(uris, labels, batch_size=128):
    ds = tf.data.Dataset.from_tensor_slices((uris, labels))
    ds = ds.map(load, num_parallel_calls=tf.data.experimental.AUTOTUNE)  # expect: TFP101, TFP103
    options = tf.data.Options()
    options.threading.max_intra_op_parallelism = 1
    ds = ds.with_options(options)
    return ds.batch(batch_size)
