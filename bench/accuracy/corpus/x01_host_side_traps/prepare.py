"""Imitates a dataset-preparation script from a vision repository: pandas label mapping,
a thread pool that downloads files, a multiprocessing resize step, host-side shuffling
with np.random, and a final tf.data pipeline with only tf-native maps."""
import logging
import os
import random
import time
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool

import numpy as np
import pandas as pd
import tensorflow as tf

log = logging.getLogger("prepare")
CLASSES = {"cat": 0, "dog": 1, "bird": 2}


def download(url):
    time.sleep(0.05)
    log.info("downloaded %s", url)
    return url.rsplit("/", 1)[-1]


def resize_file(path):
    print("resizing", path)
    return path


def prepare(csv_path, out_dir):
    df = pd.read_csv(csv_path)
    df["label"] = df["class"].map(CLASSES)
    df["file"] = df["url"].map(lambda u: os.path.join(out_dir, u.rsplit("/", 1)[-1]))
    with ThreadPool(16) as pool:
        pool.map(download, df["url"].tolist())
    with Pool(4) as pool:
        pool.map(resize_file, df["file"].tolist())
    files = df["file"].tolist()
    labels = df["label"].tolist()
    np.random.shuffle(files)
    random.seed(0)
    upper = list(map(str.upper, df["class"].unique()))
    log.info("classes: %s", upper)
    return files, labels


def to_dataset(files, labels):
    ds = tf.data.Dataset.from_tensor_slices((files, labels))
    ds = ds.map(lambda f, y: (tf.io.decode_jpeg(tf.io.read_file(f), channels=3), y))
    ds = ds.map(lambda x, y: (tf.image.resize(x, [128, 128]), y), num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(lambda x, y: (tf.cast(x, tf.float32), tf.one_hot(y, len(CLASSES))))
    return ds.batch(32)
