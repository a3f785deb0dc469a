"""Imitates a beginner CIFAR-10 repo that wrote its own TFRecords and then parses them
with the *Python* protobuf API inside a function passed straight to `dataset.map`
(`ParseFromString`, `np.frombuffer` on the record) -- code that fails at trace time.
Also NumPy loading helpers outside tf.data."""
import os

import numpy as np
import tensorflow as tf
from tensorflow.keras.utils import to_categorical

DATA_PATH = "./data"


def load_cifar10_val_numpy():
    x_test = np.load(DATA_PATH + os.sep + 'x_test.npy')
    y_test = np.load(DATA_PATH + os.sep + 'y_test.npy')
    x_test = x_test / 255
    y_test = to_categorical(y_test, 10)
    return x_test, y_test


"""
    Parse tfrecord
"""
def _parse_function(string_record):
    example = tf.train.Example()
    example.ParseFromString(string_record)

    height = int(example.features.feature['height'].int64_list.value[0])
    width = int(example.features.feature['width'].int64_list.value[0])
    img_string = (example.features.feature['image_raw'].bytes_list.value[0])
    label = int(example.features.feature['label'].int64_list.value[0])

    img_1d = np.frombuffer(img_string, dtype=np.uint8)  # expect: TFP003
    img = img_1d.reshape((height, width, -1))

    return img, label


"""
    Load training and validation data set by tfrecord files
"""
def load_cifar10_tfrecord(batch_size=128):
    train = tf.data.TFRecordDataset([os.path.join(DATA_PATH, "train.tfrecords")])
    train = train.map(_parse_function)
    train = train.shuffle(10000).batch(batch_size)
    x_val, y_val = load_cifar10_val_numpy()
    return train, (x_val, y_val)
