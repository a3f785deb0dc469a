"""Imitates a chatbot / seq2seq repository: the generator reads conversation pairs from a
text file and tokenises them with a Python loop per pair; a second generator yields
precomputed id pairs from memory."""
import re

import numpy as np
import tensorflow as tf

_WORD = re.compile(r"[\w']+|[.,!?]")


def conversation_pairs(path, vocab, maxlen=40):
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f]
    for q, a in zip(lines[0::2], lines[1::2]):
        q_ids = [vocab.get(w, 1) for w in _WORD.findall(q.lower())][:maxlen]
        a_ids = [vocab.get(w, 1) for w in _WORD.findall(a.lower())][:maxlen]
        yield np.array(q_ids, np.int32), np.array(a_ids, np.int32)


def precomputed_pairs(pairs):
    for q, a in pairs:
        yield q, a


def make(path, vocab):
    return tf.data.Dataset.from_generator(  # expect: TFP104
        lambda: conversation_pairs(path, vocab),
        output_signature=(tf.TensorSpec([None], tf.int32), tf.TensorSpec([None], tf.int32)),
    ).padded_batch(64)


def make_cached(pairs):
    return tf.data.Dataset.from_generator(
        lambda: precomputed_pairs(pairs),
        output_signature=(tf.TensorSpec([None], tf.int32), tf.TensorSpec([None], tf.int32)),
    ).padded_batch(64)
