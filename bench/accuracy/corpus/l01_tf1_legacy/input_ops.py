"""Imitates a TF 1.x object-detection / pose repository (compat.v1 import alias, tf.logging,
Python random for jitter inside the traced parse function, and an OpenCV warp inside
tf.py_func with a fixed parallelism)."""
import random

import cv2
import numpy as np
import tensorflow.compat.v1 as tf


def _warp_np(image, angle):
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), float(angle), 1.0)
    return cv2.warpAffine(image, m, (w, h)).astype(np.float32)


def _parse(serialized):
    feats = tf.parse_single_example(serialized, {
        "image": tf.FixedLenFeature([], tf.string),
        "label": tf.FixedLenFeature([], tf.int64),
    })
    tf.logging.info("parse graph built")  # settled reading 9: a message without element values, silent
    image = tf.image.decode_jpeg(feats["image"], channels=3)
    angle = random.uniform(-15.0, 15.0)  # expect: TFP002
    image = tf.py_func(_warp_np, [image, angle], tf.float32)
    return image, feats["label"]


def _read_meta(path):
    with open(path) as f:  # settled reading 4: TFP003 only  # expect: TFP003
        meta = f.read()
    return tf.strings.length(meta)


def input_fn(files, batch_size):
    dataset = tf.data.TFRecordDataset(files)
    dataset = dataset.map(_parse, num_parallel_calls=8)  # expect: TFP101
    dataset = dataset.batch(batch_size)
    iterator = tf.data.make_one_shot_iterator(dataset)
    return iterator.get_next()


def meta_fn(paths):
    ds = tf.data.Dataset.from_tensor_slices(paths)
    return ds.map(_read_meta, num_parallel_calls=2)
