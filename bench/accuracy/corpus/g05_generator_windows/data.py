"""Imitates a human-activity-recognition repository: a generator slides windows over
in-memory NumPy recordings with nested loops and computes features per window."""
import numpy as np
import tensorflow as tf

WIN = 128
HOP = 64


def feature_windows(recordings, labels):
    for rec, lab in zip(recordings, labels):
        for start in range(0, len(rec) - WIN, HOP):
            w = rec[start:start + WIN]
            feats = np.concatenate([w.mean(axis=0), w.std(axis=0), np.abs(np.fft.rfft(w, axis=0)).mean(axis=0)])
            yield feats.astype(np.float32), lab


def simple_rows(rows):
    for r in rows:
        yield r


def make(recordings, labels, batch_size=64):
    ds = tf.data.Dataset.from_generator(  # expect: TFP104
        lambda: feature_windows(recordings, labels),
        output_signature=(tf.TensorSpec([None], tf.float32), tf.TensorSpec([], tf.int32)),
    )
    return ds.shuffle(5000).batch(batch_size)


def make_rows(rows):
    return tf.data.Dataset.from_generator(lambda: simple_rows(rows), output_types=tf.float32)
