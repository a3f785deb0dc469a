"""Imitates a hobbyist image-classifier repo whose "augmentation" draws with NumPy and
Python `random` inside a function mapped over tf.data (so every element gets the
same draw), followed by `.cache()`. The randomness is trace-time Python, not a
random op and not inside a py_function, so TFP005 does not apply (LABELING2.md A5)."""
import random

import numpy as np
import tensorflow as tf

IMG = 128


def load(path, label):
    img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
    img = tf.image.resize(img, (IMG, IMG)) / 255.0
    return img, label


def jitter(img, label):
    brightness = np.random.uniform(-0.2, 0.2)  # expect: TFP002
    k = random.randint(0, 3)  # expect: TFP002
    img = tf.image.adjust_brightness(img, brightness)
    img = tf.image.rot90(img, k=k)
    return img, label


def build(paths, labels, batch=32):
    ds = tf.data.Dataset.from_tensor_slices((paths, labels))
    ds = ds.map(load, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(jitter, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.cache()
    return ds.shuffle(1000).batch(batch).prefetch(tf.data.AUTOTUNE)
