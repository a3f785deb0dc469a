"""Speech enhancement training pairs: clean speech mixed with noise at a random SNR, in NumPy."""

import numpy as np
import tensorflow as tf

SR = 16000
SECONDS = 30


def _mix_np(clean, noise, snr_db):
    # large elementwise NumPy kernels (ufunc loops release the GIL)
    p_clean = np.mean(np.square(clean, dtype=np.float64))
    p_noise = np.mean(np.square(noise, dtype=np.float64)) + 1e-12
    gain = np.sqrt(p_clean / (p_noise * 10.0 ** (snr_db / 10.0)))
    noisy = np.tanh(clean + gain * noise)
    env = np.exp(-np.abs(noisy)) * np.cos(noisy)
    return noisy.astype(np.float32), (clean * env).astype(np.float32)


@tf.function
def mix(clean, noise):
    snr = tf.random.uniform([], 0.0, 20.0, dtype=tf.float64)
    noisy, target = tf.numpy_function(_mix_np, [clean, noise, snr], [tf.float32, tf.float32])
    noisy.set_shape([SR * SECONDS])
    target.set_shape([SR * SECONDS])
    return noisy, target


def make_dataset(batch_size=4):
    rng = np.random.default_rng(8)
    clean = rng.standard_normal((8, SR * SECONDS)).astype(np.float32) * 0.1
    noise = rng.uniform(-1, 1, (8, SR * SECONDS)).astype(np.float32)
    ds = tf.data.Dataset.zip((tf.data.Dataset.from_tensor_slices(clean).repeat(),
                              tf.data.Dataset.from_tensor_slices(noise).shuffle(8).repeat()))
    ds = ds.map(lambda c, n: mix(c, n), num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size).prefetch(2)
