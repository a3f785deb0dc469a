"""Imitates a TF1 Estimator repository (speech enhancement) whose input_fn loads
paired noisy/clean spectrogram files with tf.py_func(..., stateful=False) and logs
from inside the parse function."""
import numpy as np
import tensorflow as tf


def _load_pair(noisy_path, clean_path):
    noisy = np.load(noisy_path.decode())
    clean = np.load(clean_path.decode())
    return noisy.astype(np.float32), clean.astype(np.float32)


def _parse_line(line):
    fields = tf.io.decode_csv(line, record_defaults=[[""], [""]])
    tf.compat.v1.logging.info("parsing manifest line")  # settled reading 9: a message without element values, silent
    return fields[0], fields[1]


def _load(noisy_path, clean_path):
    noisy, clean = tf.compat.v1.py_func(
        _load_pair, [noisy_path, clean_path], [tf.float32, tf.float32], stateful=False)
    noisy.set_shape([None, 257])
    clean.set_shape([None, 257])
    return {"noisy": noisy}, clean


def input_fn(params, mode):
    is_training = mode == tf.estimator.ModeKeys.TRAIN
    dataset = tf.data.TextLineDataset(params["manifest"])
    dataset = dataset.map(_parse_line)
    if is_training:
        dataset = dataset.shuffle(params.get("shuffle_buffer", 10000)).repeat()
    dataset = dataset.map(_load)  # expect: TFP101
    dataset = dataset.padded_batch(params["batch_size"],
                                   padded_shapes=({"noisy": [None, 257]}, [None, 257]))
    return dataset.prefetch(2)
