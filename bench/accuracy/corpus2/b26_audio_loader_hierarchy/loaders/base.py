"""Imitates the abstract base of a loader class hierarchy: `build()` maps `self._load`
(abstract here, implemented by a subclass in another module with a numpy_function)
and a helper method receiving the dataset as a parameter adds gain jitter with an
explicit num_parallel_calls (LABELING2.md R3: virtual dispatch)."""
import abc

import tensorflow as tf

AUTOTUNE = tf.data.experimental.AUTOTUNE


class BaseLoader(abc.ABC):
    def __init__(self, paths, labels, batch_size=32):
        self.paths = list(paths)
        self.labels = list(labels)
        self.batch_size = batch_size

    @abc.abstractmethod
    def _load(self, path, label):
        raise NotImplementedError

    def _random_gain(self, feats, label):
        gain = tf.random.uniform((), 0.8, 1.2)
        return feats * gain, label

    def _augment_ds(self, ds):
        return ds.map(self._random_gain, num_parallel_calls=AUTOTUNE)

    def build(self, training=True):
        ds = tf.data.Dataset.from_tensor_slices((self.paths, self.labels))
        if training:
            ds = ds.shuffle(len(self.paths))
        ds = ds.map(self._load, num_parallel_calls=AUTOTUNE)  # expect: TFP101
        if training:
            ds = self._augment_ds(ds)
        return ds.padded_batch(self.batch_size).prefetch(AUTOTUNE)
