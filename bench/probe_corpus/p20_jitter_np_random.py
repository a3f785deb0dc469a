"""Satellite tiles: colour jitter written with NumPy random inside a traced map (one draw, ever)."""

import numpy as np
import tensorflow as tf

TILE = 512
OUT = 256


def _tiles(n=16, seed=17):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 255, size=(n, TILE, TILE, 3), dtype=np.uint8)


def jitter(tile, label):
    contrast = np.random.uniform(0.7, 1.3)
    hue = np.random.uniform(-0.05, 0.05)
    print(f"jitter: contrast={contrast:.2f} hue={hue:.3f}")
    img = tf.image.convert_image_dtype(tile, tf.float32)
    img = tf.image.adjust_contrast(img, contrast)
    img = tf.image.adjust_hue(img, hue)
    img = tf.image.resize(img, (OUT, OUT), method="bicubic")
    return img, label


def make_dataset(batch_size=16):
    tiles = _tiles()
    labels = np.arange(len(tiles)) % 3
    ds = tf.data.Dataset.from_tensor_slices((tiles, labels)).shuffle(16).repeat()
    ds = ds.map(jitter, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
