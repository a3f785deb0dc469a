"""Imitates the concrete subclass of an audio loader hierarchy: `_load` wraps librosa
load + MFCC (file read + native decode/DSP) in a numpy_function."""
import librosa
import numpy as np
import tensorflow as tf

from .base import BaseLoader


def _mfcc_from_path(path, sr=22050, n_mfcc=40):
    y, _ = librosa.load(path.decode("utf-8"), sr=sr, mono=True)
    mfcc = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=n_mfcc)
    return mfcc.T.astype(np.float32)


class MfccLoader(BaseLoader):
    n_mfcc = 40

    def _load(self, path, label):
        feats = tf.numpy_function(_mfcc_from_path, [path], tf.float32)
        feats.set_shape([None, self.n_mfcc])
        return feats, label
