"""Imitates a dataset-preparation script: multiprocessing `Pool.map`, `ThreadPool.map`,
builtin `map` with lambdas that print and draw NumPy random numbers, then a
TFRecordWriter loop -- no tf.data transformation anywhere. Expected: nothing."""
import os
import random
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool

import numpy as np
import tensorflow as tf
from PIL import Image


def resize_one(path, size=(224, 224)):
    img = Image.open(path).convert("RGB").resize(size)
    print("resized", path)
    return np.asarray(img)


def to_example(arr, label):
    feature = {
        "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[arr.tobytes()])),
        "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[label])),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature))


def main(src, dst, workers=8):
    paths = sorted(os.path.join(src, p) for p in os.listdir(src))
    random.shuffle(paths)
    with ThreadPool(workers) as tp:
        sizes = tp.map(lambda p: os.path.getsize(p), paths)
    keep = [p for p, s in zip(paths, sizes) if s > 1024]
    with Pool(workers) as pool:
        arrays = pool.map(resize_one, keep)
    labels = list(map(lambda p: int(os.path.basename(p).split("_")[0]), keep))
    noisy = list(map(lambda a: a + np.random.normal(0, 1, a.shape), arrays[:4]))
    with tf.io.TFRecordWriter(dst) as writer:
        for arr, label in zip(arrays, labels):
            writer.write(to_example(arr, label).SerializeToString())
    return len(noisy)
