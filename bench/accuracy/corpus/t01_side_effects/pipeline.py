"""Imitates a research codebase's data module with instrumentation left in the mapped
functions: a global counter, a stats list, a logger, a throttle sleep and a debug dump
directory; plus the correct per-element alternatives (tf.print, tf.io.gfile)."""
import logging
import os
import time

import tensorflow as tf

logger = logging.getLogger(__name__)
_SEEN = 0
_LENGTHS = []
_CONFIG = {"last_shape": None}
DEBUG_DIR = "/tmp/pipeline_debug"


def count_and_parse(record):
    global _SEEN
    _SEEN += 1  # expect: TFP001
    example = tf.io.parse_single_example(record, {"tokens": tf.io.VarLenFeature(tf.int64)})
    tokens = tf.sparse.to_dense(example["tokens"])
    _LENGTHS.append(tf.shape(tokens)[0])  # expect: TFP001
    return tokens


def throttle(tokens):
    time.sleep(0.001)  # expect: TFP001
    logger.debug("throttled element")  # settled reading 9: a message without element values, silent
    _CONFIG["last_shape"] = tokens.shape  # expect: TFP001
    return tokens


def dump_debug(tokens):
    os.makedirs(DEBUG_DIR, exist_ok=True)  # expect: TFP001
    tf.print("tokens:", tf.shape(tokens))
    if tf.io.gfile.exists(DEBUG_DIR):
        tf.print("debug dir present")
    return tokens


def build(files, batch_size=64, debug=False):
    ds = tf.data.TFRecordDataset(files)
    ds = ds.map(count_and_parse, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(throttle, num_parallel_calls=tf.data.AUTOTUNE)
    if debug:
        ds = ds.map(dump_debug)
    logger.info("pipeline built")
    time.sleep(0.1)
    return ds.padded_batch(batch_size)
