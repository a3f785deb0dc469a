"""Imitates a web-scale image dataset repository (URL lists, images fetched over HTTP
inside py_function) that already sets a private thread pool for the pipeline."""
import io

import numpy as np
import requests
import tensorflow as tf
from PIL import Image

SESSION = requests.Session()


def fetch(url):
    resp = SESSION.get(url.numpy().decode("utf-8"), timeout=10)
    resp.raise_for_status()
    return resp.content


def fetch_tf(url, caption):
    raw = tf.py_function(fetch, [url], tf.string)
    image = tf.io.decode_jpeg(raw, channels=3, try_recover_truncated=True)
    image = tf.image.resize(image, [256, 256])
    return image, caption


def thumbnail_np(raw_bytes):
    img = Image.open(io.BytesIO(raw_bytes)).convert("RGB")
    img.thumbnail((64, 64))
    return np.asarray(img)


def url_dataset(tsv_path, batch_size=256):
    ds = tf.data.experimental.CsvDataset(tsv_path, [tf.string, tf.string], field_delim="\t")
    ds = ds.map(fetch_tf, num_parallel_calls=tf.data.AUTOTUNE, deterministic=False)  # expect: TFP101
    ds = ds.ignore_errors()
    options = tf.data.Options()
    options.threading.private_threadpool_size = 64
    ds = ds.with_options(options)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
