"""Image classification input pipeline (Keras-tutorial style): JPEG files -> augmented tensors."""

import os
import tempfile

import numpy as np
import tensorflow as tf

AUTOTUNE = tf.data.AUTOTUNE
IMG_SIZE = 224
CLASS_NAMES = ["cat", "dog", "fox", "owl"]


def _write_jpegs(root, per_class=12, size=(768, 1024)):
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:size[0], 0:size[1]]
    grain = rng.integers(-20, 20, size=size + (3,), dtype=np.int16)
    for c, name in enumerate(CLASS_NAMES):
        os.makedirs(os.path.join(root, name), exist_ok=True)
        for i in range(per_class):
            base = np.stack([(xx * (c + 1) + i) % 256, (yy * (i + 1)) % 256, (xx + yy) % 256], axis=-1)
            img = np.clip(base + np.roll(grain, 97 * i, axis=1), 0, 255).astype(np.uint8)
            tf.io.write_file(os.path.join(root, name, f"{i:04d}.jpg"), tf.io.encode_jpeg(img, quality=92))
    return root


def get_label(file_path):
    parts = tf.strings.split(file_path, os.path.sep)
    return tf.argmax(tf.cast(parts[-2] == CLASS_NAMES, tf.int32))


def decode_img(img):
    img = tf.io.decode_jpeg(img, channels=3)
    return tf.image.resize(img, [IMG_SIZE, IMG_SIZE])


def process_path(file_path):
    label = get_label(file_path)
    img = decode_img(tf.io.read_file(file_path))
    img = tf.image.random_flip_left_right(img)
    img = tf.image.random_brightness(img, max_delta=0.2 * 255)
    img = tf.image.per_image_standardization(img)
    return img, label


def make_dataset(batch_size=32, data_dir=None):
    data_dir = data_dir or _write_jpegs(tempfile.mkdtemp(prefix="flowers_"))
    list_ds = tf.data.Dataset.list_files(os.path.join(data_dir, "*", "*.jpg"), shuffle=True)
    train_ds = list_ds.repeat().map(process_path, num_parallel_calls=AUTOTUNE)
    return train_ds.batch(batch_size).prefetch(buffer_size=AUTOTUNE)
