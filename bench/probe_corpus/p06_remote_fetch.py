"""Embedding lookup service: feature vectors fetched one key at a time from a remote object store."""

import numpy as np
import tensorflow as tf

from _helpers_io import FakeObjectStore

DIM = 128


def _make_store(n_keys, latency_s):
    rng = np.random.default_rng(11)
    blobs = {f"emb/{i:06d}": rng.standard_normal(DIM).astype(np.float32).tobytes() for i in range(n_keys)}
    return FakeObjectStore(blobs, latency_s=latency_s)


def make_dataset(batch_size=16, n_keys=5000, latency_s=0.012):
    store = _make_store(n_keys, latency_s)
    keys = [f"emb/{i:06d}" for i in range(n_keys)]

    def fetch(key):
        raw = store.get(key.numpy())
        return np.frombuffer(raw, dtype=np.float32)

    ds = tf.data.Dataset.from_tensor_slices(keys).shuffle(n_keys).repeat()
    ds = ds.map(lambda k: tf.py_function(fetch, [k], tf.float32), num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
