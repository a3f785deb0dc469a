"""Imitates a plant-disease classification repository whose augmentation runs in NumPy
inside tf.py_function: random choices, a print and a log call live in the Python body
(which is per element and correct there), and the array work is NumPy kernels."""
import logging
import random

import numpy as np
import tensorflow as tf

log = logging.getLogger(__name__)


def np_augment(image):
    img = image.numpy()
    k = random.randint(0, 3)
    img = np.rot90(img, k)
    if np.random.rand() < 0.5:
        img = np.fliplr(img)
    gamma = np.random.uniform(0.8, 1.2)
    img = np.clip(np.power(img, gamma), 0.0, 1.0)
    print("rotated by", k * 90)
    log.debug("gamma %.3f", gamma)
    return img.astype(np.float32)


def tf_augment(image, label):
    out = tf.py_function(np_augment, [image], tf.float32)
    out.set_shape(image.shape)
    return out, label


def decode(path, label):
    img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
    img = tf.image.resize(img, [256, 256]) / 255.0
    return img, label


def train_ds(paths, labels, batch_size=32):
    ds = tf.data.Dataset.from_tensor_slices((paths, labels))
    ds = ds.map(decode, num_parallel_calls=tf.data.AUTOTUNE).cache()
    ds = ds.map(tf_augment, num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
