"""Imitates a CT-scan classification repository (Keras 3D CNN example style) with a
traced per-slice windowing loop over a module constant, plus short and tensor-bounded
loops that are fine."""
import numpy as np
import tensorflow as tf

NUM_SLICES = 48
HU_WINDOWS = [(-1000, 400), (-160, 240), (40, 80)]


def window_slices(volume, label):
    out = []
    for i in range(NUM_SLICES):  # expect: TFP004
        s = tf.clip_by_value(volume[:, :, i], -1000.0, 400.0)
        out.append((s + 1000.0) / 1400.0)
    return tf.stack(out, axis=-1), label


def multi_window(volume, label):
    chans = []
    for lo, hi in HU_WINDOWS:
        chans.append((tf.clip_by_value(volume, lo, hi) - lo) / (hi - lo))
    return tf.stack(chans, axis=-1), label


def rotate_volume(volume, label):
    angle = tf.random.uniform([], -20.0, 20.0) * np.pi / 180.0
    k = tf.cast(tf.round(angle / (np.pi / 2)), tf.int32)
    return tf.image.rot90(volume, k), label


def cumulative_mask(volume, label):
    n = tf.shape(volume)[-1]
    acc = tf.zeros_like(volume[..., 0])
    for i in tf.range(n):
        acc = tf.maximum(acc, volume[..., i])
    return acc, label


def pad_depth(volume, label):
    depth = tf.shape(volume)[-1]
    for _ in range(depth):
        volume = tf.identity(volume)
    return volume, label


def make(x, y, batch_size=2):
    train = tf.data.Dataset.from_tensor_slices((x, y))
    train = train.map(window_slices, num_parallel_calls=tf.data.AUTOTUNE)
    train = train.map(multi_window, num_parallel_calls=tf.data.AUTOTUNE)
    train = train.map(rotate_volume, num_parallel_calls=tf.data.AUTOTUNE)
    train = train.map(cumulative_mask, num_parallel_calls=tf.data.AUTOTUNE)
    train = train.map(pad_depth, num_parallel_calls=tf.data.AUTOTUNE)
    return train.batch(batch_size)
