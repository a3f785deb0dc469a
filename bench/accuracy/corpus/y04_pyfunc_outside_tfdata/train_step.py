"""Imitates a GAN / metrics repository that uses tf.py_function outside tf.data (inside a
Keras metric and a tf.function train step), and JAX-style tree mapping in utilities; the
only tf.data map here is tf-native, with a tensor-bounded range loop and tf.print."""
import jax
import numpy as np
import tensorflow as tf
from scipy import linalg


def _fid_np(mu1, s1, mu2, s2):
    covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)
    return np.float32(np.sum((mu1 - mu2) ** 2) + np.trace(s1 + s2 - 2 * covmean.real))


class FID(tf.keras.metrics.Metric):
    def update_state(self, mu1, s1, mu2, s2):
        self.value = tf.py_function(_fid_np, [mu1, s1, mu2, s2], tf.float32)

    def result(self):
        return self.value


@tf.function
def log_step(step, loss):
    tf.py_function(lambda s, l: print(int(s), float(l)), [step, loss], [])


def tree_scale(params, s):
    return jax.tree.map(lambda p: p * s, params)


def cumulative(x):
    n = tf.shape(x)[0]
    total = tf.zeros_like(x[0])
    for i in range(n):
        total += x[i]
    tf.print("sum", total)
    return total


def make(x, batch_size=32):
    ds = tf.data.Dataset.from_tensor_slices(x).batch(batch_size)
    return ds.map(cumulative, num_parallel_calls=tf.data.AUTOTUNE)
