"""Imitates a distributed-training repository that offloads preprocessing to the tf.data
service, but whose pipeline still decodes images with OpenCV inside tf.py_function."""
import cv2
import numpy as np
import tensorflow as tf

DISPATCHER = "grpc://dispatcher:5050"


def _cv_decode(raw):
    img = cv2.imdecode(np.frombuffer(raw.numpy(), np.uint8), cv2.IMREAD_COLOR)
    img = cv2.resize(img, (224, 224))
    return img.astype(np.float32) / 255.0


def decode(raw, label):
    img = tf.py_function(_cv_decode, [raw], tf.float32)
    img.set_shape([224, 224, 3])
    return img, label


def make_dataset(file_pattern, batch_size):
    files = tf.data.Dataset.list_files(file_pattern)
    ds = files.interleave(tf.data.TFRecordDataset, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(lambda r: tf.io.parse_single_example(r, {
        "img": tf.io.FixedLenFeature([], tf.string),
        "label": tf.io.FixedLenFeature([], tf.int64)}))
    ds = ds.map(lambda ex: decode(ex["img"], ex["label"]), num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101
    ds = ds.batch(batch_size)
    ds = ds.apply(tf.data.experimental.service.distribute(  # expect: TFP301
        processing_mode="parallel_epochs", service=DISPATCHER, job_name="train"))
    return ds.prefetch(tf.data.AUTOTUNE)
