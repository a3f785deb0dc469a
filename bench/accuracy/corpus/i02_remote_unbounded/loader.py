"""Imitates a remote-sensing repository that reads GeoTIFF tiles from a network mount
with Python file reads inside py_function, using an unbounded thread pool (TF >= 2.21)."""
import numpy as np
import tensorflow as tf

TILE = 256
BANDS = 4


def read_tile(path):
    with open(path.numpy().decode("utf-8"), "rb") as fh:
        fh.seek(1024)
        raw = fh.read(TILE * TILE * BANDS * 2)
    arr = np.frombuffer(raw, dtype=np.uint16).reshape(TILE, TILE, BANDS)
    return arr.astype(np.float32) / 10000.0


def load(path, label):
    tile = tf.py_function(read_tile, [path], tf.float32)
    tile.set_shape([TILE, TILE, BANDS])
    return tile, label


def tiles(paths, labels, batch_size=64):
    ds = tf.data.Dataset.from_tensor_slices((paths, labels)).shuffle(len(paths))
    ds = ds.map(load, num_parallel_calls=tf.data.AUTOTUNE, use_unbounded_threadpool=True)  # expect: TFP101
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
