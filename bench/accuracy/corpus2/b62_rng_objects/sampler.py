"""Imitates a contrastive-learning repo that was careful about seeding: a module-level
NumPy `Generator` and a per-instance `RandomState`, both used inside functions that
are mapped over tf.data (trace-time constants), next to correct `tf.random`
stateless ops keyed on a seed tensor."""
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(1234)
CROP = 96


def random_scale(image):
    s = rng.uniform(0.6, 1.0)  # expect: TFP002
    size = tf.cast(tf.cast(tf.shape(image)[:2], tf.float32) * s, tf.int32)
    return tf.image.resize(image, size)


class TwoViewSampler:
    def __init__(self, seed=0):
        self.rs = np.random.RandomState(seed)

    def _view(self, image, seed):
        angle_k = self.rs.randint(0, 4)  # expect: TFP002
        image = tf.image.rot90(image, k=angle_k)
        image = tf.image.stateless_random_flip_left_right(image, seed)
        image = tf.image.stateless_random_crop(image, (CROP, CROP, 3), seed)
        return image

    def two_views(self, image, seed):
        return self._view(random_scale(image), seed), self._view(image, seed + 1)

    def dataset(self, images):
        ds = tf.data.Dataset.from_tensor_slices(images)
        seeds = tf.data.Dataset.random(seed=7).batch(2)
        ds = tf.data.Dataset.zip((ds, seeds))
        ds = ds.map(self.two_views, num_parallel_calls=tf.data.AUTOTUNE)
        return ds.batch(256, drop_remainder=True)
