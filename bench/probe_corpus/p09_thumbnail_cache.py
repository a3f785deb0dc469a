"""Product-image thumbnails read from a slow network share, decoded in the graph."""

import os
import tempfile
import time

import numpy as np
import tensorflow as tf

from _helpers_io import retry

THUMB = 96


def _write_thumbnails(root, n):
    rng = np.random.default_rng(2)
    paths = []
    for i in range(n):
        img = rng.integers(0, 255, size=(THUMB, THUMB, 3), dtype=np.uint8)
        path = os.path.join(root, f"sku_{i:05d}.jpg")
        tf.io.write_file(path, tf.io.encode_jpeg(img, quality=90))
        paths.append(path)
    return paths


@retry(times=3)
def read_from_share(path):
    time.sleep(0.007)  # SMB share: open + first byte latency
    with open(path.decode(), "rb") as fh:
        return fh.read()


def load_thumbnail(path):
    raw = tf.numpy_function(read_from_share, [path], tf.string)
    img = tf.io.decode_jpeg(raw, channels=3)
    img = tf.image.convert_image_dtype(img, tf.float32)
    return tf.ensure_shape(img, (THUMB, THUMB, 3))


def make_dataset(batch_size=64, n_images=300):
    root = tempfile.mkdtemp(prefix="thumbs_")
    paths = _write_thumbnails(root, n_images)
    ds = tf.data.Dataset.from_tensor_slices(paths).repeat()
    ds = ds.map(load_thumbnail, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
