"""Imitates an SSD/RetinaNet-style detection repository: multi-scale training where the
target scale is picked with np.random.choice inside the traced preprocessing function
(one scale for the whole run), a seeded NumPy generator for colour jitter, and the
correct tf.random version in a sibling function."""
import numpy
import numpy as np
import tensorflow as tf

SCALES = [512, 544, 576, 608, 640]
_rng = np.random.RandomState(42)
_gen = np.random.default_rng(7)


def multiscale_resize(image, boxes):
    size = np.random.choice(SCALES)  # expect: TFP002
    image = tf.image.resize(image, [size, size])
    return image, boxes


def color_jitter(image, boxes):
    delta = _rng.uniform(-0.1, 0.1)  # expect: TFP002
    hue = _gen.normal(0.0, 0.02)  # expect: TFP002
    image = tf.image.adjust_brightness(image, delta)
    image = tf.image.adjust_hue(image, hue)
    return image, boxes


def expand(image, boxes):
    ratio = numpy.random.uniform(1.0, 2.0)  # expect: TFP002
    h = tf.cast(tf.cast(tf.shape(image)[0], tf.float32) * ratio, tf.int32)
    image = tf.image.pad_to_bounding_box(image, 0, 0, h, h)
    return image, boxes / ratio


def good_multiscale(image, boxes):
    idx = tf.random.uniform([], 0, len(SCALES), dtype=tf.int32)
    size = tf.gather(tf.constant(SCALES), idx)
    image = tf.image.resize(image, tf.stack([size, size]))
    image = tf.image.random_hue(image, 0.02)
    return image, boxes


def build(ds_images, ds_boxes, good=False):
    ds = tf.data.Dataset.zip((ds_images, ds_boxes))
    if good:
        return ds.map(good_multiscale, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(expand, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(multiscale_resize, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.map(color_jitter, num_parallel_calls=tf.data.AUTOTUNE)
