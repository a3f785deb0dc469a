"""Imitates a medical-imaging classification repository with several cache placements:
cache after a random map reached through a variable and a shuffle, cache after an imgaug
py_function, cache after a deterministic py_function, and cache before augmentation."""
import imgaug.augmenters as iaa
import numpy as np
import tensorflow as tf

AUTOTUNE = tf.data.AUTOTUNE
seq = iaa.Sequential([iaa.Fliplr(0.5), iaa.Affine(rotate=(-10, 10)), iaa.GaussianBlur((0, 1.0))])


def random_erase(image, label):
    h = tf.random.uniform([], 10, 40, dtype=tf.int32)
    mask = tf.pad(tf.zeros([h, h, 3]), [[0, 224 - h], [0, 224 - h], [0, 0]], constant_values=1.0)
    return image * mask, label


def imgaug_np(image):
    return seq(image=image.astype(np.uint8)).astype(np.float32)


def imgaug_map(image, label):
    out = tf.numpy_function(imgaug_np, [image], tf.float32)
    out.set_shape([224, 224, 3])
    return out, label


def clahe_np(image):
    img = image.astype(np.float32)
    return ((img - img.min()) / (img.max() - img.min() + 1e-6)).astype(np.float32)


def clahe_map(image, label):
    out = tf.numpy_function(clahe_np, [image], tf.float32)
    out.set_shape([224, 224, 3])
    return out, label


def variant_a(ds):
    augmented = ds.map(random_erase, num_parallel_calls=AUTOTUNE)
    shuffled = augmented.shuffle(1000)
    return shuffled.cache().batch(32)  # expect: TFP005


def variant_b(images, labels):
    ds = tf.data.Dataset.from_tensor_slices((images, labels))
    ds = ds.map(imgaug_map, num_parallel_calls=AUTOTUNE)  # expect: TFP101
    return ds.cache().batch(32)  # expect: TFP005


def variant_c(images, labels):
    ds = tf.data.Dataset.from_tensor_slices((images, labels))
    ds = ds.map(clahe_map, num_parallel_calls=AUTOTUNE)  # expect: TFP101
    return ds.cache().batch(32)


def variant_d(images, labels):
    ds = tf.data.Dataset.from_tensor_slices((images, labels)).cache()
    return ds.map(random_erase, num_parallel_calls=AUTOTUNE).batch(32)
