"""Street-view crops pulled from a blob store by key, then decoded and augmented in the graph."""

import numpy as np
import tensorflow as tf

from _helpers_io import FakeObjectStore

CROP = 128


def _jpeg_blobs(n):
    rng = np.random.default_rng(12)
    out = {}
    for i in range(n):
        img = rng.integers(0, 255, size=(CROP, CROP, 3), dtype=np.uint8)
        out[f"crops/{i}.jpg"] = tf.io.encode_jpeg(img, quality=85).numpy()
    return out


def make_dataset(batch_size=32, n_images=256, latency_s=0.010):
    store = FakeObjectStore(_jpeg_blobs(n_images), latency_s=latency_s)
    keys = tf.constant([f"crops/{i}.jpg" for i in range(n_images)])

    def download(key):
        return store.get(key)

    def decode_and_augment(raw):
        img = tf.io.decode_jpeg(raw, channels=3)
        img = tf.image.random_crop(img, (112, 112, 3))
        img = tf.image.random_flip_left_right(img)
        return tf.cast(img, tf.float32) / 127.5 - 1.0

    ds = tf.data.Dataset.from_tensor_slices(keys).shuffle(n_images).repeat()
    ds = ds.map(lambda k: tf.numpy_function(download, [k], tf.string), num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(decode_and_augment, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
