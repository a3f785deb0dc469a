"""Imitates the TF 1.x "Importing Data" guide as reproduced in many sample repositories:
OpenCV reads the image inside tf.py_func via a lambda, then a traced resize. Neither
map sets num_parallel_calls."""
import cv2
import tensorflow as tf


def _read_py_function(filename, label):
    image_decoded = cv2.imread(filename.decode(), cv2.IMREAD_GRAYSCALE)
    image_decoded = cv2.equalizeHist(image_decoded)
    return image_decoded, label


def _resize_function(image_decoded, label):
    image_decoded.set_shape([None, None])
    image = tf.image.resize(image_decoded[..., tf.newaxis], [28, 28])
    return image, label


def input_fn(filenames, labels):
    dataset = tf.data.Dataset.from_tensor_slices((filenames, labels))
    dataset = dataset.map(  # expect: TFP101, TFP105
        lambda filename, label: tuple(tf.compat.v1.py_func(
            _read_py_function, [filename, label], [tf.uint8, label.dtype])))
    dataset = dataset.map(_resize_function)
    dataset = dataset.batch(32)
    return dataset
