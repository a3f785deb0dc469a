"""Imitates a character-level text-classification repository that builds per-character
ids with a Python loop inside py_function and asks for four parallel calls."""
import unicodedata

import numpy as np
import tensorflow as tf

VOCAB = {c: i + 2 for i, c in enumerate("abcdefghijklmnopqrstuvwxyz0123456789 .,!?'")}
UNK = 1
MAXLEN = 1014


def _strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def quantize(text):
    s = _strip_accents(text.numpy().decode("utf-8").lower())
    out = np.zeros(MAXLEN, dtype=np.int64)
    pos = 0
    for ch in reversed(s):
        if pos >= MAXLEN:
            break
        out[pos] = VOCAB.get(ch, UNK)
        pos += 1
    return out


def encode(text, label):
    ids = tf.py_function(quantize, inp=[text], Tout=tf.int64)
    ids.set_shape([MAXLEN])
    return ids, label


def make_dataset(csv_path, batch_size=128):
    ds = tf.data.experimental.CsvDataset(csv_path, [tf.int64, tf.string], header=False)
    ds = ds.map(lambda y, x: (x, y - 1))
    ds = ds.map(encode, num_parallel_calls=4)  # expect: TFP101, TFP102
    return ds.shuffle(10000).batch(batch_size)
