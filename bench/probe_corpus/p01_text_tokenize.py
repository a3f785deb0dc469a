"""Sentiment classifier input pipeline: raw reviews -> word-piece ids, tokenised in Python."""

import numpy as np
import tensorflow as tf

from _helpers_text import Vocab, char_ngram_counts, synthetic_reviews

AUTOTUNE = tf.data.AUTOTUNE
MAX_LEN = 256
N_BUCKETS = 512


def _labels_for(reviews):
    return np.array([("great" in r) or ("wonderful" in r) for r in reviews], dtype=np.int64)


def make_dataset(batch_size=32, max_len=MAX_LEN):
    reviews = synthetic_reviews(500, words_per_review=1800)
    labels = _labels_for(reviews)
    vocab = Vocab()

    def tokenize(text, label):
        text = text.numpy().decode("utf-8")
        ids = vocab.encode(text, max_len=max_len)
        subwords = char_ngram_counts(text.lower(), n=3, buckets=N_BUCKETS)
        return np.asarray(ids, dtype=np.int32), np.asarray(subwords, dtype=np.float32), label

    def tf_tokenize(text, label):
        ids, subwords, label = tf.py_function(tokenize, [text, label], [tf.int32, tf.float32, tf.int64])
        ids.set_shape([max_len])
        subwords.set_shape([N_BUCKETS])
        label.set_shape([])
        return {"ids": ids, "subwords": subwords}, label

    ds = tf.data.Dataset.from_tensor_slices((reviews, labels))
    ds = ds.shuffle(500).repeat()
    ds = ds.map(tf_tokenize, num_parallel_calls=AUTOTUNE)
    return ds.batch(batch_size).prefetch(AUTOTUNE)
