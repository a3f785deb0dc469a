"""Imitates a tabular / recommendation tutorial whose from_generator sources only yield
records already held in memory, or file paths that a traced map decodes."""
import glob

import tensorflow as tf


class Interactions:
    def __init__(self, rows):
        self.rows = list(rows)

    def __call__(self):
        for user, item, rating in self.rows:
            yield user, item, rating


def gen_paths(pattern):
    def _gen():
        for p in sorted(glob.glob(pattern)):
            yield p
    return _gen


def decode(path):
    return tf.io.decode_jpeg(tf.io.read_file(path), channels=3)


def ratings_dataset(rows, batch_size=1024):
    ds = tf.data.Dataset.from_generator(
        Interactions(rows),
        output_types=(tf.int64, tf.int64, tf.float32),
        output_shapes=((), (), ()),
    )
    return ds.shuffle(100000).batch(batch_size)


def image_paths_dataset(pattern):
    ds = tf.data.Dataset.from_generator(gen_paths(pattern), output_signature=tf.TensorSpec([], tf.string))
    return ds.map(decode, num_parallel_calls=tf.data.AUTOTUNE)


def ids_dataset(n):
    def ids():
        i = 0
        while i < n:
            yield i
            i += 1
    return tf.data.Dataset.from_generator(ids, output_signature=tf.TensorSpec([], tf.int64))
