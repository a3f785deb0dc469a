"""Imitates a research repository whose author rebinds AUTOTUNE to 1 at module level
while debugging, so every `num_parallel_calls=AUTOTUNE` below means one call."""
import numpy as np
import tensorflow as tf

AUTOTUNE = tf.data.experimental.AUTOTUNE
AUTOTUNE = 1  # debugging: force sequential maps


def _load_npz(path):
    with np.load(path.decode("utf-8")) as z:
        return z["x"].astype(np.float32), z["y"].astype(np.int64)


def _load(path):
    x, y = tf.numpy_function(_load_npz, [path], [tf.float32, tf.int64])
    return x, y


def build(paths, batch_size):
    ds = tf.data.Dataset.from_tensor_slices(paths)
    ds = ds.map(_load, num_parallel_calls=AUTOTUNE)  # expect: TFP101, TFP105
    ds = ds.batch(batch_size)
    return ds.prefetch(AUTOTUNE)
