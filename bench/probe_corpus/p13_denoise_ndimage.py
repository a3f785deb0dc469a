"""Microscopy pre-processing: SciPy denoising of each frame inside a numpy_function."""

import numpy as np
import scipy.ndimage as ndi
import tensorflow as tf

FRAME = (512, 512)


class Denoiser:
    """Callable map function: gaussian + Sobel gradient magnitude, done by scipy.ndimage."""

    def __init__(self, sigma=2.5):
        self.sigma = sigma

    def _denoise(self, frame):
        smooth = ndi.gaussian_filter(frame, self.sigma)
        gx = ndi.sobel(smooth, axis=0)
        gy = ndi.sobel(smooth, axis=1)
        return np.stack([smooth, np.hypot(gx, gy)], axis=-1).astype(np.float32)

    def __call__(self, frame, meta):
        out = tf.numpy_function(self._denoise, [frame], tf.float32)
        out.set_shape(FRAME + (2,))
        return {"image": out, "plate": meta["plate"], "well": meta["well"]}


def make_dataset(batch_size=4):
    rng = np.random.default_rng(4)
    frames = rng.gamma(2.0, 30.0, size=(16,) + FRAME).astype(np.float32)
    meta = {"plate": np.arange(16) // 4, "well": np.arange(16) % 4}
    ds = tf.data.Dataset.from_tensor_slices((frames, meta)).repeat()
    ds = ds.map(Denoiser(sigma=2.5), num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
