"""Tabular CTR model: records from an in-memory table, Python feature engineering in a class."""

import random
import zlib

import numpy as np
import tensorflow as tf

AUTOTUNE = tf.data.experimental.AUTOTUNE

CATEGORICAL = ["country", "device", "browser", "campaign", "placement", "publisher"]
NUMERIC = ["age", "income", "dwell", "clicks_7d", "views_7d"]
HISTORY_LEN = 3000


def _fake_table(n, seed=3):
    rng = random.Random(seed)
    vocab = {c: [f"{c}_{i}" for i in range(rng.randint(5, 400))] for c in CATEGORICAL}
    rows = []
    for _ in range(n):
        row = {c: rng.choice(vocab[c]) for c in CATEGORICAL}
        row.update({k: rng.lognormvariate(2.0, 1.0) for k in NUMERIC})
        row["history"] = " ".join(rng.choice(vocab["campaign"]) for _ in range(HISTORY_LEN))
        rows.append(row)
    return rows


class FeaturePipeline:
    def __init__(self, rows, n_hash=1024, n_crosses=3):
        self.rows = rows
        self.n_hash = n_hash
        self.n_crosses = n_crosses

    def _records(self):
        for i, row in enumerate(self.rows):
            yield i, row["country"], row["device"], row["history"]

    def _featurize_py(self, idx):
        row = self.rows[int(idx)]
        vec = [0.0] * self.n_hash
        keys = [f"{c}={row[c]}" for c in CATEGORICAL]
        for order in range(2, self.n_crosses + 1):
            for i in range(len(keys) - order + 1):
                keys.append("&".join(keys[i:i + order]))
        for k in keys:
            vec[zlib.crc32(k.encode()) % self.n_hash] += 1.0
        for pos, tok in enumerate(row["history"].split()):
            decay = 1.0 / (1.0 + pos / 100.0)
            for j in range(len(tok) - 2):
                vec[zlib.adler32(tok[j:j + 3].encode()) % self.n_hash] += decay
        dense = [np.log1p(row[k]) for k in NUMERIC]
        return np.asarray(vec, dtype=np.float32), np.asarray(dense, dtype=np.float32)

    def _featurize(self, idx, country, device, history):
        sparse, dense = tf.numpy_function(self._featurize_py, [idx], [tf.float32, tf.float32])
        sparse.set_shape([self.n_hash])
        dense.set_shape([len(NUMERIC)])
        label = tf.cast(tf.strings.length(country) % 2, tf.float32)
        return {"sparse": sparse, "dense": dense, "device": device}, label

    def build(self, batch_size):
        ds = tf.data.Dataset.from_generator(
            self._records,
            output_signature=(tf.TensorSpec((), tf.int64), tf.TensorSpec((), tf.string),
                              tf.TensorSpec((), tf.string), tf.TensorSpec((), tf.string)))
        ds = ds.repeat().map(lambda *r: self._featurize(*r), AUTOTUNE)
        return ds.batch(batch_size, drop_remainder=True).prefetch(AUTOTUNE)


def make_dataset(batch_size=128):
    return FeaturePipeline(_fake_table(1000)).build(batch_size)
