"""Imitates an NLP data-augmentation repo (EDA-style): random word dropout and swaps
with Python `random` inside a py_function (per element, fine for randomness), mapped
with AUTOTUNE (CPU-bound string work: TFP101 + TFP102), then `.cache()` -- which
freezes the first epoch's augmentation (TFP005)."""
import random

import tensorflow as tf


def _eda(text, p_drop=0.1, n_swaps=2):
    words = text.numpy().decode("utf-8").split()
    kept = [w for w in words if random.random() > p_drop] or words[:1]
    for _ in range(n_swaps):
        if len(kept) > 1:
            i, j = random.sample(range(len(kept)), 2)
            kept[i], kept[j] = kept[j], kept[i]
    return " ".join(kept)


def eda(text, label):
    out = tf.py_function(_eda, [text], tf.string)
    out.set_shape([])
    return out, label


def build(texts, labels, batch=32):
    ds = tf.data.Dataset.from_tensor_slices((texts, labels))
    ds = ds.map(eda, num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101, TFP102
    ds = ds.cache()  # expect: TFP005
    return ds.shuffle(10000).batch(batch)
