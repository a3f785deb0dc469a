"""Imitates a time-series / sensor repository whose generator randomly crops and adds
noise with NumPy per sample, after which the dataset is cached (freezing the noise)."""
import numpy as np
import tensorflow as tf

WINDOW = 256


class SignalGenerator:
    def __init__(self, signals, labels, seed=0):
        self.signals = signals
        self.labels = labels
        self.rng = np.random.default_rng(seed)

    def __call__(self):
        order = self.rng.permutation(len(self.signals))
        for i in order:
            sig = self.signals[i]
            start = self.rng.integers(0, len(sig) - WINDOW)
            crop = sig[start:start + WINDOW]
            crop = crop + self.rng.normal(0.0, 0.01, size=crop.shape)
            crop = (crop - crop.mean()) / (crop.std() + 1e-6)
            yield crop.astype(np.float32), self.labels[i]


def build(signals, labels, batch_size=64):
    gen = SignalGenerator(signals, labels)
    ds = tf.data.Dataset.from_generator(  # expect: TFP104
        gen,
        output_signature=(tf.TensorSpec([WINDOW], tf.float32), tf.TensorSpec([], tf.int64)),
    )
    ds = ds.cache()
    return ds.batch(batch_size).repeat()
