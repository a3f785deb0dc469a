"""Imitates a self-supervised (SimCLR-style) repository that writes augmentations as
callable classes and maps an instance directly, without num_parallel_calls, and caches
the augmented views afterwards."""
import tensorflow as tf


class ColorDistortion:
    def __init__(self, strength=0.5):
        self.s = strength

    def __call__(self, image):
        image = tf.image.random_brightness(image, 0.8 * self.s)
        image = tf.image.random_contrast(image, 1 - 0.8 * self.s, 1 + 0.8 * self.s)
        image = tf.image.random_saturation(image, 1 - 0.8 * self.s, 1 + 0.8 * self.s)
        return tf.clip_by_value(image, 0.0, 1.0)


class TwoViews:
    def __init__(self, transform):
        self.transform = transform

    def __call__(self, image):
        return self.transform(image), self.transform(image)


class Rescale:
    def __call__(self, image):
        return tf.cast(image, tf.float32) / 255.0


def pretrain_dataset(images, batch_size=256):
    ds = tf.data.Dataset.from_tensor_slices(images)
    ds = ds.map(Rescale())
    ds = ds.map(ColorDistortion(0.5))  # expect: TFP105
    ds = ds.cache()  # expect: TFP005
    ds = ds.map(TwoViews(tf.image.random_flip_left_right), num_parallel_calls=tf.data.AUTOTUNE)
    return ds.shuffle(10000).batch(batch_size)
