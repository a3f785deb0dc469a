"""Retrieval model: queries tokenised by a remote tokenizer service (blocking RPC per query)."""

import functools

import numpy as np
import tensorflow as tf

from _helpers_io import py_function_op, remote_tokenize

MAX_LEN = 64
QUERIES = ["cheap flights to {}", "weather in {} tomorrow", "best pizza near {}", "{} train schedule",
           "hotels in {} with pool", "how far is {} from the airport"]
CITIES = ["paris", "lima", "osaka", "denver", "cairo", "perth", "oslo", "quito", "hanoi", "porto"]


def build_tokenizer(endpoint, latency_s):
    tokenize = functools.partial(remote_tokenize, endpoint=endpoint, latency_s=latency_s, max_len=MAX_LEN)

    @py_function_op(Tout=tf.int32)
    def tokenize_op(text):
        return np.asarray(tokenize(text), dtype=np.int32)

    def fn(text):
        ids = tokenize_op(text)
        ids.set_shape([MAX_LEN])
        return ids
    return fn


def make_dataset(batch_size=32, endpoint="tok-svc:8500", latency_s=0.010):
    queries = [q.format(c) for q in QUERIES for c in CITIES] * 50
    tokenize = build_tokenizer(endpoint, latency_s)
    ds = tf.data.Dataset.from_tensor_slices(queries).shuffle(1000).repeat()
    ds = ds.map(tokenize, num_parallel_calls=tf.data.AUTOTUNE, deterministic=False)
    ds = ds.batch(batch_size, drop_remainder=True)
    ds = ds.map(lambda ids: {"input_ids": ids, "attention_mask": tf.cast(ids > 0, tf.int32)},
                num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)
