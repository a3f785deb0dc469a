"""Imitates an image-retrieval repository that normalises images with NumPy inside the
mapped function (fails at trace time), alongside legitimate NumPy constants."""
import numpy as np
import tensorflow as tf

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def normalise(image, label):
    image = tf.cast(image, np.float32) / 255.0
    image = (image - MEAN) / STD
    angle = np.pi / 8
    image = tf.image.rot90(image, k=int(np.floor(angle)))
    return image, label


def load_and_stats(path, label):
    image = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
    mean = np.mean(image)  # expect: TFP003
    image = tf.cast(image, tf.float32) - mean
    return image, label


def label_to_onehot(image, label):
    idx = label.numpy()  # expect: TFP003
    onehot = tf.one_hot(idx, 1000)
    return image, onehot


def pad_boxes(image, boxes):
    arr = np.asarray(boxes)  # expect: TFP003
    padded = tf.pad(arr, [[0, 100 - tf.shape(boxes)[0]], [0, 0]])
    return image, padded


def gallery(paths, labels):
    ds = tf.data.Dataset.from_tensor_slices((paths, labels))
    ds = ds.map(load_and_stats, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(normalise, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.map(label_to_onehot, num_parallel_calls=tf.data.AUTOTUNE)


def detection(images, boxes):
    ds = tf.data.Dataset.from_tensor_slices((images, boxes))
    return ds.map(pad_boxes, num_parallel_calls=tf.data.AUTOTUNE)
