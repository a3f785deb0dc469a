"""Imitates a YOLO-style object-detection repository that decodes images with PIL inside
tf.py_function and does its random horizontal flip there with NumPy, then caches the
augmented result (the flip is frozen after the first epoch)."""
import io

import numpy as np
import tensorflow as tf
from PIL import Image

INPUT_SIZE = 416


def _load_and_flip(image_bytes, boxes):
    img = Image.open(io.BytesIO(image_bytes.numpy())).convert("RGB")
    img = img.resize((INPUT_SIZE, INPUT_SIZE))
    arr = np.asarray(img, dtype=np.float32) / 255.0
    b = boxes.numpy().copy()
    if np.random.rand() < 0.5:
        arr = arr[:, ::-1, :]
        b[:, [0, 2]] = 1.0 - b[:, [2, 0]]
    return arr, b


def _parse(record):
    feats = tf.io.parse_single_example(record, {
        "image/encoded": tf.io.FixedLenFeature([], tf.string),
        "image/boxes": tf.io.VarLenFeature(tf.float32),
    })
    boxes = tf.reshape(tf.sparse.to_dense(feats["image/boxes"]), [-1, 4])
    return feats["image/encoded"], boxes


def _py_load(image_bytes, boxes):
    image, boxes = tf.py_function(_load_and_flip, [image_bytes, boxes], [tf.float32, tf.float32])
    image.set_shape([INPUT_SIZE, INPUT_SIZE, 3])
    return image, boxes


def build(tfrecords, batch_size=8):
    ds = tf.data.TFRecordDataset(tfrecords, num_parallel_reads=tf.data.AUTOTUNE)
    ds = ds.map(_parse, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(_py_load, num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101
    ds = ds.cache()  # expect: TFP005
    ds = ds.padded_batch(batch_size, padded_shapes=([INPUT_SIZE, INPUT_SIZE, 3], [None, 4]))
    return ds.prefetch(tf.data.AUTOTUNE)
