"""Imitates a small-footprint keyword-spotting repository that adds time shift and
background noise inside the mapped function. The author used NumPy for the shift and
left a debugging print in; the map has no num_parallel_calls."""
import numpy as np
import tensorflow as tf

MAX_SHIFT = 1600


def _shift_and_noise(wav, label):
    shift = np.random.randint(-MAX_SHIFT, MAX_SHIFT)  # expect: TFP002
    wav = tf.roll(wav, shift, axis=0)
    noise = tf.random.normal(tf.shape(wav), stddev=0.005)
    print("augmenting batch element", wav.shape)  # settled reading 9: a message without element values, silent
    return wav + noise, label


def _to_spectrogram(wav, label):
    stft = tf.signal.stft(wav, frame_length=255, frame_step=128)
    spec = tf.abs(stft)[..., tf.newaxis]
    return spec, label


def make_train(waveforms, labels, batch_size=64):
    ds = tf.data.Dataset.from_tensor_slices((waveforms, labels))
    ds = ds.shuffle(len(labels))
    ds = ds.map(_shift_and_noise)  # expect: TFP105
    ds = ds.map(_to_spectrogram, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def make_eval(waveforms, labels, batch_size=64):
    ds = tf.data.Dataset.from_tensor_slices((waveforms, labels))
    ds = ds.map(_to_spectrogram)
    return ds.batch(batch_size)
