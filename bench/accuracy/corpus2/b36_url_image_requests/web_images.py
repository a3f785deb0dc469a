"""Imitates a web-scale image-text repo that downloads images by URL inside the input
pipeline: `requests.get` in a py_function, AUTOTUNE, options that only set
`max_intra_op_parallelism` (does not lift the thread-pool cap) and
`experimental_deterministic = False`. Network-I/O-bound: TFP101 + TFP103."""

import numpy as np
import requests
import tensorflow as tf

SESSION = requests.Session()


def fetch(url):
    try:
        resp = SESSION.get(url.numpy().decode(), timeout=10)
        resp.raise_for_status()
        return resp.content
    except requests.RequestException:
        return b""


def decode_or_blank(raw):
    img = tf.cond(tf.strings.length(raw) > 0,
                  lambda: tf.image.resize(tf.io.decode_image(raw, channels=3, expand_animations=False), (224, 224)),
                  lambda: tf.zeros((224, 224, 3)))
    return img


def pipeline(urls, captions, batch=64):
    ds = tf.data.Dataset.from_tensor_slices((urls, captions))
    ds = ds.map(lambda u, c: (tf.py_function(fetch, [u], tf.string), c),  # expect: TFP101, TFP103
                num_parallel_calls=tf.data.experimental.AUTOTUNE)
    ds = ds.map(lambda raw, c: (decode_or_blank(raw), c), num_parallel_calls=tf.data.experimental.AUTOTUNE)
    opts = tf.data.Options()
    opts.threading.max_intra_op_parallelism = 1
    opts.experimental_deterministic = False
    ds = ds.with_options(opts)
    return ds.batch(batch).prefetch(4), np.zeros(1)
