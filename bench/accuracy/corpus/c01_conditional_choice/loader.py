"""Imitates an audio-classification repository that can decode either natively or with
a Python fallback chosen by a flag, using a conditional expression for the map function
and `from tensorflow import data` for the dataset API."""
import json

import numpy as np
import tensorflow as tf
from tensorflow import data as tfd

AUTOTUNE = tfd.AUTOTUNE


def _labels_from_json(meta):
    obj = json.loads(meta.numpy().decode("utf-8"))
    tags = []
    for t in obj.get("tags", []):
        tags.append(hash(t.strip().lower()) % 527)
    out = np.zeros(527, np.float32)
    out[tags] = 1.0
    return out


def native_decode(path, meta):
    wav, _ = tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1)
    return tf.squeeze(wav, -1), tf.zeros([527])


def python_decode(path, meta):
    labels = tf.py_function(_labels_from_json, [meta], tf.float32)
    wav, _ = tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1)
    return tf.squeeze(wav, -1), labels


def build(paths, metas, use_python_labels=True):
    ds = tfd.Dataset.from_tensor_slices((paths, metas))
    decode = python_decode if use_python_labels else native_decode
    ds = ds.map(decode, num_parallel_calls=AUTOTUNE)  # expect: TFP101, TFP102
    return ds.batch(16)
