"""Sentiment classifier input pipeline: raw reviews -> word-piece ids, tokenised in Python."""

import numpy as np
import tensorflow as tf

from _helpers_text import Vocab, synthetic_reviews

AUTOTUNE = tf.data.AUTOTUNE
MAX_LEN = 256


def _labels_for(reviews):
    return np.array([("great" in r) or ("wonderful" in r) for r in reviews], dtype=np.int64)


def make_dataset(batch_size=32, max_len=MAX_LEN):
    reviews = synthetic_reviews(2000)
    labels = _labels_for(reviews)
    vocab = Vocab()

    def tokenize(text, label):
        ids = vocab.encode(text.numpy().decode("utf-8"), max_len=max_len)
        return np.asarray(ids, dtype=np.int32), label

    def tf_tokenize(text, label):
        ids, label = tf.py_function(tokenize, [text, label], [tf.int32, tf.int64])
        ids.set_shape([max_len])
        label.set_shape([])
        return ids, label

    ds = tf.data.Dataset.from_tensor_slices((reviews, labels))
    ds = ds.shuffle(2000).repeat()
    ds = ds.map(tf_tokenize, num_parallel_calls=AUTOTUNE)
    return ds.batch(batch_size).prefetch(AUTOTUNE)
