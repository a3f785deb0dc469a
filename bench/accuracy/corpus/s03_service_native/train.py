"""Imitates the TensorFlow tf.data service guide style: a fully tf-native pipeline (decode,
random crop) distributed to service workers, and a second, unrelated Python-side
preprocessing step that never goes through the service."""
import os

import tensorflow as tf

AUTOTUNE = tf.data.AUTOTUNE


def parse(record):
    ex = tf.io.parse_single_example(record, {
        "image": tf.io.FixedLenFeature([], tf.string),
        "label": tf.io.FixedLenFeature([], tf.int64),
    })
    img = tf.io.decode_jpeg(ex["image"], channels=3)
    img = tf.image.random_crop(tf.image.resize(img, [256, 256]), [224, 224, 3])
    return tf.cast(img, tf.float32) / 255.0, ex["label"]


def file_size(path):
    return os.path.getsize(path.numpy().decode("utf-8"))


def service_dataset(pattern, service_address, batch_size=128):
    ds = tf.data.TFRecordDataset(tf.io.gfile.glob(pattern), num_parallel_reads=AUTOTUNE)
    ds = ds.map(parse, num_parallel_calls=AUTOTUNE).batch(batch_size)
    ds = ds.apply(tf.data.experimental.service.distribute(
        processing_mode=tf.data.experimental.service.ShardingPolicy.OFF,
        service=service_address))
    return ds.prefetch(AUTOTUNE)


def local_names(paths):
    names = tf.data.Dataset.from_tensor_slices(paths)
    return names.map(lambda p: tf.py_function(file_size, [p], tf.int64))  # expect: TFP101, TFP105
