"""SciPy filtering, wrapped for TensorFlow by a @tf.function helper one level down."""
import numpy as np
import tensorflow as tf
from scipy import signal

_B, _A = signal.butter(4, [0.5, 40.0], btype="bandpass", fs=500)


def _bandpass_np(x):
    y = signal.filtfilt(_B, _A, x, axis=0)
    return signal.resample(y, 2500, axis=0).astype(np.float32)


@tf.function
def bandpass(x):
    y = tf.numpy_function(_bandpass_np, [x], tf.float32)
    y.set_shape([2500, 12])
    return y
