"""Multivariate sensor forecasting: recordings cut into windows by flat_map, robust-scaled in NumPy."""

import numpy as np
import tensorflow as tf

import _helpers_signal as sig

WINDOW, SHIFT, CHANNELS = 8192, 2048, 32


def _recordings(n=6, length=60_000, seed=13):
    rng = np.random.default_rng(seed)
    drift = np.cumsum(rng.standard_normal((n, length, CHANNELS)), axis=1) * 0.01
    return (drift + rng.standard_normal((n, length, CHANNELS))).astype(np.float32)


def frames_of(recording):
    frames = tf.signal.frame(recording, WINDOW, SHIFT, axis=0)
    return tf.data.Dataset.from_tensor_slices(frames)


def scale_window(window):
    scaled = tf.numpy_function(sig.robust_scale, [window], tf.float32)
    scaled = tf.ensure_shape(scaled, (WINDOW, CHANNELS))
    return scaled[:-1], scaled[-1]


def make_dataset(batch_size=8):
    ds = tf.data.Dataset.from_tensor_slices(_recordings()).repeat()
    ds = ds.flat_map(frames_of)
    ds = ds.map(scale_window, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
