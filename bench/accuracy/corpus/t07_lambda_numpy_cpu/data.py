"""Imitates a Kaggle instance-segmentation notebook turned into a module: run-length
encoded masks are decoded per element by a pure-Python loop through a lambda calling
tf.numpy_function, with AUTOTUNE parallelism; a second py_func uses np.sort."""
import numpy as np
import tensorflow as tf

H, W = 256, 1600


def rle_decode(rle):
    s = rle.decode("utf-8").split()
    flat = [0] * (H * W)
    for start, length in zip(s[0::2], s[1::2]):
        start = int(start) - 1
        for k in range(int(length)):
            flat[start + k] = 1
    return np.array(flat, dtype=np.uint8).reshape(W, H).T


def sort_scores(scores):
    return np.sort(scores)[::-1].copy()


def build(image_paths, rles, scores, batch_size=8):
    ds = tf.data.Dataset.from_tensor_slices((image_paths, rles, scores))
    ds = ds.map(lambda p, r, s: (p, tf.numpy_function(rle_decode, [r], tf.uint8), s),  # expect: TFP101, TFP102
                num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(lambda p, m, s: (p, m, tf.numpy_function(sort_scores, [s], tf.float32)),  # expect: TFP101
                num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size)
