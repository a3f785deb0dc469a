"""Imitates an EfficientNet/ResNet-style ImageNet input module: the preprocessing
function is a functools.partial chosen by if/else; the training branch jitters the crop
scale with NumPy (one value once traced) and Python's random for the aspect ratio."""
import functools
import random

import numpy as np
import tensorflow as tf


def preprocess(image_bytes, label, image_size=224, is_training=False):
    image = tf.io.decode_jpeg(image_bytes, channels=3)
    if is_training:
        scale = np.random.uniform(0.08, 1.0)  # expect: TFP002
        ratio = random.uniform(3 / 4, 4 / 3)  # expect: TFP002
        h = tf.cast(tf.cast(tf.shape(image)[0], tf.float32) * scale, tf.int32)
        w = tf.cast(tf.cast(h, tf.float32) * ratio, tf.int32)
        image = tf.image.random_crop(image, [h, tf.minimum(w, tf.shape(image)[1]), 3])
        image = tf.image.random_flip_left_right(image)
    image = tf.image.resize(image, [image_size, image_size])
    return tf.cast(image, tf.float32) / 255.0, label


def parse(record):
    ex = tf.io.parse_single_example(record, {
        "image/encoded": tf.io.FixedLenFeature([], tf.string),
        "image/class/label": tf.io.FixedLenFeature([], tf.int64),
    })
    return ex["image/encoded"], ex["image/class/label"] - 1


def input_fn(file_pattern, hparams, training):
    if training:
        fn = functools.partial(preprocess, image_size=hparams["image_size"], is_training=True)
    else:
        fn = functools.partial(preprocess, image_size=hparams["image_size"])
    files = tf.data.Dataset.list_files(file_pattern, shuffle=training)
    ds = files.interleave(tf.data.TFRecordDataset, cycle_length=16,
                          num_parallel_calls=tf.data.experimental.AUTOTUNE)
    ds = ds.map(parse, num_parallel_calls=tf.data.experimental.AUTOTUNE)
    ds = ds.map(fn, num_parallel_calls=tf.data.experimental.AUTOTUNE)
    return ds.batch(hparams["batch_size"], drop_remainder=True)
