"""Keyword-spotting / speech front end: waveform -> log-mel spectrogram, all in TensorFlow ops."""

import functools

import numpy as np
import tensorflow as tf


def _synthetic_clips(n, seconds, sample_rate, seed=1):
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    clips = []
    for i in range(n):
        f0 = 110.0 * (1 + i % 7)
        clip = 0.3 * np.sin(2 * np.pi * f0 * t) + 0.05 * rng.standard_normal(t.size)
        clips.append(clip.astype(np.float32))
    return np.stack(clips)


def compute_features(audio, label, sample_rate, n_mels, frame_length=400, frame_step=160, fft_length=512):
    stfts = tf.signal.stft(audio, frame_length=frame_length, frame_step=frame_step, fft_length=fft_length)
    spectrogram = tf.abs(stfts)
    mel_matrix = tf.signal.linear_to_mel_weight_matrix(
        num_mel_bins=n_mels, num_spectrogram_bins=fft_length // 2 + 1, sample_rate=sample_rate,
        lower_edge_hertz=20.0, upper_edge_hertz=sample_rate / 2)
    mel = tf.tensordot(spectrogram, mel_matrix, 1)
    log_mel = tf.math.log(mel + 1e-6)
    log_mel -= tf.reduce_mean(log_mel, axis=0, keepdims=True)
    return log_mel[..., tf.newaxis], label


def make_dataset(batch_size=16, seconds=30.0, sample_rate=16000, n_mels=64):
    clips = _synthetic_clips(16, seconds, sample_rate)
    labels = np.arange(len(clips)) % 12
    featurize = functools.partial(compute_features, sample_rate=sample_rate, n_mels=n_mels)
    ds = tf.data.Dataset.from_tensor_slices((clips, labels)).shuffle(16).repeat()
    ds = ds.map(featurize, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
