"""Imitates a machine-translation preprocessing module: a Python regex language check
used as a filter predicate through py_function, a flat_map over sentence splits that
uses Python's built-in map on a constant list, and tf.map_fn inside a traced map."""
import re

import tensorflow as tf

_LATIN = re.compile(r"^[A-Za-z0-9\s\.,;:!?'\"-]+$")
BUCKETS = [16, 32, 64]


def _is_latin(text):
    return bool(_LATIN.match(text.numpy().decode("utf-8", errors="ignore")))


def keep(src, tgt):
    ok = tf.py_function(_is_latin, [src], tf.bool)
    ok.set_shape([])
    return ok


def split_sentences(src, tgt):
    limits = list(map(lambda b: b * 4, BUCKETS))
    pieces = tf.strings.split(src, ".")
    return tf.data.Dataset.from_tensor_slices(pieces).map(lambda s: (s, tgt, limits[0]))


def lengths(src, tgt, limit):
    toks = tf.strings.split(tf.expand_dims(src, 0))
    lens = tf.map_fn(lambda t: tf.size(t), toks, fn_output_signature=tf.int32)
    return src, tgt, lens


def build(src_file, tgt_file):
    ds = tf.data.Dataset.zip((tf.data.TextLineDataset(src_file), tf.data.TextLineDataset(tgt_file)))
    ds = ds.filter(keep)  # expect: TFP101
    ds = ds.flat_map(split_sentences)
    ds = ds.map(lengths, num_parallel_calls=tf.data.AUTOTUNE)
    return ds
