"""Imitates a tabular/time-series repo whose normalisation function, mapped over tf.data,
mixes NumPy on tensors (`np.mean(x)`, `x.numpy()`), harmless NumPy constants
(`np.float32`, `np.pi`), and opens a per-series side file with the element's path."""
import numpy as np
import tensorflow as tf

EPS = np.float32(1e-6)


def normalise(series, meta_path):
    mu = np.mean(series)  # expect: TFP003
    scale = tf.cast(np.pi, tf.float32) * EPS
    first = series.numpy()[0]  # expect: TFP003
    with open(meta_path) as fh:  # settled reading 4: TFP003 only  # expect: TFP003
        offset = float(fh.read())
    return (series - mu + offset + first) / (tf.math.reduce_std(series) + scale)


def make(series_list, meta_paths):
    ds = tf.data.Dataset.from_tensor_slices((series_list, meta_paths))
    ds = ds.map(normalise, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(32)
