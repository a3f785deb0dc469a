"""Traced augmentation for 3D patches. The crop origin is drawn with NumPy (one value
for the whole run once traced) and the per-slice intensity jitter is a Python loop."""
import numpy as np
import tensorflow as tf

PATCH = (96, 96, 64)
DEPTH_SLICES = 64


def random_patch(volume, label):
    shape = tf.shape(volume)
    z0 = np.random.randint(0, 16)  # expect: TFP002
    y0 = tf.random.uniform([], 0, shape[1] - PATCH[1] + 1, dtype=tf.int32)
    x0 = tf.random.uniform([], 0, shape[2] - PATCH[2] + 1, dtype=tf.int32)
    vol = volume[z0:z0 + PATCH[0], y0:y0 + PATCH[1], x0:x0 + PATCH[2]]
    lab = label[z0:z0 + PATCH[0], y0:y0 + PATCH[1], x0:x0 + PATCH[2]]
    return vol, lab


def slice_jitter(volume, label):
    slices = []
    for d in range(DEPTH_SLICES):  # expect: TFP004
        scale = tf.random.uniform([], 0.9, 1.1)
        slices.append(volume[:, :, d] * scale)
    return tf.stack(slices, axis=2), label


def flip_axes(volume, label):
    for axis in range(3):
        do = tf.random.uniform([]) < 0.5
        volume = tf.cond(do, lambda: tf.reverse(volume, [axis]), lambda: volume)
        label = tf.cond(do, lambda: tf.reverse(label, [axis]), lambda: label)
    return volume, label
