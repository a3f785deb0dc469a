"""Imitates a few-shot / medical classification repo that zips an image dataset with a
label dataset, concatenates an extra set, decodes with PIL in a py_function (native),
applies a sequential random flip, and caches after it."""
import numpy as np
import tensorflow as tf
from PIL import Image


def _pil_load(path):
    with Image.open(path.numpy().decode()) as im:
        im = im.convert("L").resize((96, 96))
        return np.asarray(im, dtype=np.float32)[..., None] / 255.0


def load_img(path):
    img = tf.py_function(_pil_load, [path], tf.float32)
    img.set_shape([96, 96, 1])
    return img


def build(paths, y, extra_paths, extra_y):
    images = tf.data.Dataset.from_tensor_slices(paths).map(load_img, num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101
    labels = tf.data.Dataset.from_tensor_slices(y)
    ds = tf.data.Dataset.zip((images, labels))

    extra = tf.data.Dataset.zip((
        tf.data.Dataset.from_tensor_slices(extra_paths).map(load_img, num_parallel_calls=4),  # expect: TFP101
        tf.data.Dataset.from_tensor_slices(extra_y),
    ))
    ds = ds.concatenate(extra)
    ds = ds.map(lambda img, lbl: (tf.image.random_flip_left_right(img), lbl))  # expect: TFP105
    ds = ds.cache()  # expect: TFP005
    return ds.shuffle(2048).batch(64)
