"""Imitates a large-batch vision trainer with a dispatcher/worker split: the training
pipeline (with a numpy_function colour-space conversion) is registered with the service;
the evaluation pipeline is tf-native and distributed too."""
import numpy as np
import tensorflow as tf
from skimage import color

AUTOTUNE = tf.data.experimental.AUTOTUNE


def _to_lab(image):
    return color.rgb2lab(image).astype(np.float32)


def rgb_to_lab(image, label):
    lab = tf.numpy_function(_to_lab, [image], tf.float32)
    lab.set_shape([None, None, 3])
    return lab, label


def native_norm(image, label):
    return tf.image.per_image_standardization(image), label


def train_job(images, labels, dispatcher):
    ds = tf.data.Dataset.from_tensor_slices((images, labels))
    ds = ds.map(rgb_to_lab, num_parallel_calls=AUTOTUNE)  # expect: TFP101
    ds = ds.batch(256)
    ds_id = tf.data.experimental.service.register_dataset(dispatcher, ds)  # expect: TFP301
    return tf.data.experimental.service.from_dataset_id(
        "parallel_epochs", dispatcher, ds_id, element_spec=ds.element_spec)


def eval_job(images, labels, dispatcher):
    ds = tf.data.Dataset.from_tensor_slices((images, labels))
    ds = ds.map(native_norm, num_parallel_calls=AUTOTUNE).batch(256)
    ds = ds.apply(tf.data.experimental.service.distribute("parallel_epochs", dispatcher))
    return ds
