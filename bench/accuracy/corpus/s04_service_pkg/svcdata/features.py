"""Feature extraction with python_speech_features through tf.numpy_function."""
import numpy as np
import tensorflow as tf
from python_speech_features import logfbank


def _fbank(wav):
    return logfbank(wav, samplerate=16000, nfilt=80).astype(np.float32)


def compute(wav, transcript):
    feats = tf.numpy_function(_fbank, [wav], tf.float32)
    feats.set_shape([None, 80])
    return feats, transcript
