"""Imitates a TF 2.21-era repo that read the tf.data docs: `np.load` of per-sample .npz
shards in a numpy_function, mapped with AUTOTUNE and `use_unbounded_threadpool=True`.
Only TFP101 applies."""
import numpy as np
import tensorflow as tf


def _load_npz(path):
    with np.load(path.decode()) as z:
        return z["x"].astype(np.float32), z["y"].astype(np.int64)


def read(path):
    x, y = tf.numpy_function(_load_npz, [path], (tf.float32, tf.int64))
    x.set_shape([None, 128])
    y.set_shape([])
    return x, y


def build(pattern, batch=32):
    files = tf.data.Dataset.list_files(pattern, shuffle=True)
    ds = files.map(read,  # expect: TFP101
                   num_parallel_calls=tf.data.AUTOTUNE,
                   use_unbounded_threadpool=True)
    return ds.padded_batch(batch).prefetch(tf.data.AUTOTUNE)
