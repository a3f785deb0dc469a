"""Imitates a recommender negative-sampling script: a `filter` predicate that keeps a
fraction of negatives with `random.random()` (evaluated once at trace time, so it
keeps all or nothing), next to a correct `tf.random.uniform` version."""
import random

import tensorflow as tf

KEEP_NEG = 0.1


def keep_example(features, label):
    return tf.logical_or(label > 0, random.random() < KEEP_NEG)  # expect: TFP002


def keep_example_tf(features, label):
    return tf.logical_or(label > 0, tf.random.uniform(()) < KEEP_NEG)


def sampled(files, use_tf=False):
    ds = tf.data.TFRecordDataset(files)
    ds = ds.map(lambda r: (tf.io.parse_single_example(r, {"x": tf.io.FixedLenFeature([8], tf.float32)}),
                           tf.constant(0, tf.int64)), num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.filter(keep_example_tf if use_tf else keep_example)
    return ds.batch(256)
