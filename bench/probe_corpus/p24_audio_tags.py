"""Bird-song tagging: WAV files -> (cheap) decode -> Python onset detector -> (cheap) SpecAugment-lite."""

import os
import tempfile

import numpy as np
import tensorflow as tf

AUTOTUNE = tf.data.AUTOTUNE
SR = 16000


def _write_wavs(root, n=24, seconds=6.0):
    rng = np.random.default_rng(37)
    t = np.arange(int(seconds * SR)) / SR
    paths = []
    for i in range(n):
        chirp = np.sin(2 * np.pi * (900 + 300 * i) * t * (1 + 0.5 * t)) * (rng.random(t.size) > 0.3)
        wav = tf.audio.encode_wav((0.4 * chirp)[:, None].astype(np.float32), SR)
        path = os.path.join(root, f"rec_{i:03d}.wav")
        tf.io.write_file(path, wav)
        paths.append(path)
    return paths


def load_wav(path):
    audio, _ = tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1)
    return tf.squeeze(audio, -1)


def detect_onsets(audio, hop=64, threshold=1.5):
    """Energy-based onset detector, hop by hop in Python."""
    x = audio.tolist()
    energies = []
    for start in range(0, len(x) - hop, hop):
        e = 0.0
        for v in x[start:start + hop]:
            e += v * v
        energies.append(e)
    onsets = [0.0] * len(energies)
    avg = energies[0] if energies else 0.0
    for i, e in enumerate(energies):
        if e > threshold * avg + 1e-6:
            onsets[i] = 1.0
        avg = 0.9 * avg + 0.1 * e
    return np.asarray(onsets, dtype=np.float32)


def with_onsets(audio):
    onsets = tf.numpy_function(detect_onsets, [audio], tf.float32)
    onsets.set_shape([None])
    return audio, onsets


def spec_augment_lite(audio, onsets):
    mask_start = tf.random.uniform([], 0, tf.shape(audio)[0] - 1600, dtype=tf.int32)
    keep = tf.concat([tf.ones([mask_start]), tf.zeros([1600]),
                      tf.ones([tf.shape(audio)[0] - mask_start - 1600])], 0)
    return {"audio": audio * keep, "onsets": onsets}


def make_dataset(batch_size=16):
    paths = _write_wavs(tempfile.mkdtemp(prefix="birds_"))
    ds = tf.data.Dataset.from_tensor_slices(paths).shuffle(len(paths)).repeat()
    ds = ds.map(load_wav, num_parallel_calls=AUTOTUNE)
    ds = ds.map(with_onsets, num_parallel_calls=AUTOTUNE)
    ds = ds.map(spec_augment_lite, num_parallel_calls=AUTOTUNE)
    return ds.padded_batch(batch_size).prefetch(AUTOTUNE)
