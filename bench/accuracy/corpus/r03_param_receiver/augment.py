"""Imitates a small augmentation utility module from a segmentation repository whose
functions take the dataset as an argument (annotated or not), so nothing in this module
shows where the dataset comes from except the tf.data-only keyword on one call."""
import tensorflow as tf


def random_jitter(image, mask):
    image = tf.image.resize(image, [286, 286])
    mask = tf.image.resize(mask, [286, 286], method="nearest")
    stacked = tf.concat([image, tf.cast(mask, image.dtype)], axis=-1)
    stacked = tf.image.random_crop(stacked, [256, 256, 4])
    return stacked[..., :3], stacked[..., 3:]


def noisy_print(image, mask):
    print("shape", image.shape)  # settled reading 9: a message without element values, silent
    return image, mask


def augment(ds: tf.data.Dataset) -> tf.data.Dataset:
    return ds.map(random_jitter)


def debug(ds):
    return ds.map(noisy_print, num_parallel_calls=tf.data.AUTOTUNE)


def unknown(collection):
    return collection.map(noisy_print)
