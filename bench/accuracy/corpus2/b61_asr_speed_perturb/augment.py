"""Imitates an ASR training repo's augmentation module: speed perturbation factor drawn
with Python `random.uniform` and a noise clip index drawn with `np.random.choice`
*in the traced map function* (one value for the whole run), the actual mixing done by
a numpy_function over an in-memory noise bank (NumPy kernels), mapped with AUTOTUNE."""
import random

import numpy as np
import tensorflow as tf

SAMPLE_RATE = 16000
NOISE_BANK = [np.random.randn(SAMPLE_RATE * 2).astype(np.float32) for _ in range(16)]


def _mix_noise(audio, noise_idx, snr_db):
    noise = NOISE_BANK[int(noise_idx)]
    reps = int(np.ceil(len(audio) / len(noise)))
    noise = np.tile(noise, reps)[:len(audio)]
    p_sig = np.mean(audio ** 2) + 1e-9
    p_noise = np.mean(noise ** 2) + 1e-9
    scale = np.sqrt(p_sig / (p_noise * 10 ** (snr_db / 10)))
    return (audio + scale * noise).astype(np.float32)


def speed_perturb(audio):
    factor = random.uniform(0.9, 1.1)  # expect: TFP002
    new_len = tf.cast(tf.cast(tf.shape(audio)[0], tf.float32) / factor, tf.int32)
    resized = tf.image.resize(audio[None, :, None], (1, new_len))
    return tf.reshape(resized, [-1])


def add_noise(audio, transcript):
    idx = np.random.choice(len(NOISE_BANK))  # expect: TFP002
    snr = tf.random.uniform((), 5.0, 20.0)
    noisy = tf.numpy_function(_mix_noise, [audio, idx, snr], tf.float32)
    noisy.set_shape([None])
    return noisy, transcript


def augment_pipeline(ds, training):
    if not training:
        return ds
    ds = ds.map(lambda a, t: (speed_perturb(a), t), num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(add_noise, num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101
    return ds


def make(wavs, transcripts, training=True):
    ds = tf.data.Dataset.from_tensor_slices((wavs, transcripts))
    ds = ds.map(lambda p, t: (tf.squeeze(tf.audio.decode_wav(tf.io.read_file(p))[0], -1), t),
                num_parallel_calls=tf.data.AUTOTUNE)
    return augment_pipeline(ds, training)
