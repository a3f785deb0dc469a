"""Imitates the Keras captcha-OCR example: tf-native decode, StringLookup vocabulary,
unicode_split; nothing per element runs in Python."""
from pathlib import Path

import numpy as np
import tensorflow as tf
from tensorflow import keras

IMG_W, IMG_H = 200, 50


def split_data(images, labels, train_size=0.9, shuffle=True):
    size = len(images)
    indices = np.arange(size)
    if shuffle:
        np.random.shuffle(indices)
    cut = int(size * train_size)
    return images[indices[:cut]], images[indices[cut:]], labels[indices[:cut]], labels[indices[cut:]]


def build(data_dir, batch_size=16):
    images = sorted(map(str, Path(data_dir).glob("*.png")))
    labels = [img.split("/")[-1].split(".png")[0] for img in images]
    characters = sorted(set(char for label in labels for char in label))
    char_to_num = keras.layers.StringLookup(vocabulary=list(characters), mask_token=None)

    def encode_single_sample(img_path, label):
        img = tf.io.read_file(img_path)
        img = tf.io.decode_png(img, channels=1)
        img = tf.image.convert_image_dtype(img, tf.float32)
        img = tf.image.resize(img, [IMG_H, IMG_W])
        img = tf.transpose(img, perm=[1, 0, 2])
        label = char_to_num(tf.strings.unicode_split(label, input_encoding="UTF-8"))
        return {"image": img, "label": label}

    x_train, x_valid, y_train, y_valid = split_data(np.array(images), np.array(labels))
    train = tf.data.Dataset.from_tensor_slices((x_train, y_train))
    train = (
        train.map(encode_single_sample, num_parallel_calls=tf.data.AUTOTUNE)
        .batch(batch_size)
        .prefetch(buffer_size=tf.data.AUTOTUNE)
    )
    valid = tf.data.Dataset.from_tensor_slices((x_valid, y_valid))
    valid = valid.map(encode_single_sample).batch(batch_size)
    return train, valid
