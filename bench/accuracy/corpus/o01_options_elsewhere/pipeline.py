"""Imitates a document-OCR repository with two pipelines in one module: the page loader
reads files in Python and sets a private thread pool; the thumbnail pipeline reads files
in Python too but never sets one (the option on the other pipeline does not help it)."""
import numpy as np
import tensorflow as tf


def read_page(path):
    with open(path.numpy().decode("utf-8"), "rb") as f:
        data = f.read()
    return np.frombuffer(data, dtype=np.uint8)


def read_thumb(path):
    return np.load(path.numpy().decode("utf-8"))


def pages(paths):
    ds = tf.data.Dataset.from_tensor_slices(paths)
    ds = ds.map(lambda p: tf.py_function(read_page, [p], tf.uint8), num_parallel_calls=16)  # expect: TFP101
    opts = tf.data.Options()
    opts.threading.private_threadpool_size = 32
    return ds.with_options(opts)


def thumbnails(paths):
    ds = tf.data.Dataset.from_tensor_slices(paths)
    ds = ds.map(lambda p: tf.py_function(read_thumb, [p], tf.float32), num_parallel_calls=-1)  # expect: TFP101, TFP103
    return ds.batch(64)
