"""Imitates a speaker-identification repository: log-mel features were precomputed
offline and stored as one .npy file per utterance; the training input pipeline loads
them back per element through tf.numpy_function."""
import glob
import os

import numpy as np
import tensorflow as tf

AUTOTUNE = tf.data.experimental.AUTOTUNE
N_MELS = 64


def _read_features(path):
    arr = np.load(path.decode("utf-8"))
    return arr.astype(np.float32)


def _load(path, label):
    feats = tf.numpy_function(_read_features, [path], tf.float32)
    feats.set_shape([None, N_MELS])
    return feats, label


def list_utterances(root):
    files = sorted(glob.glob(os.path.join(root, "*", "*.npy")))
    speakers = sorted({os.path.basename(os.path.dirname(f)) for f in files})
    index = {s: i for i, s in enumerate(speakers)}
    labels = [index[os.path.basename(os.path.dirname(f))] for f in files]
    return files, labels


def make_dataset(root, batch_size=32, training=True):
    files, labels = list_utterances(root)
    if training:
        rng = np.random.RandomState(1234)
        order = rng.permutation(len(files))
        files = [files[i] for i in order]
        labels = [labels[i] for i in order]
    ds = tf.data.Dataset.from_tensor_slices((files, labels))
    ds = ds.map(_load, num_parallel_calls=AUTOTUNE)  # expect: TFP101, TFP103
    ds = ds.padded_batch(batch_size, padded_shapes=([None, N_MELS], []))
    return ds.prefetch(AUTOTUNE)
