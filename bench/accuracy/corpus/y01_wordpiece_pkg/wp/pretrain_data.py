"""Pretraining input: WordPiece ids computed per line in py_function."""
import numpy as np
import tensorflow as tf

from . import *  # noqa: F401,F403
from .config import MAX_SEQ
from .tokenization import WordpieceTokenizer


def make_encoder(vocab):
    tok = WordpieceTokenizer(vocab)

    def encode(line):
        pieces = tok.tokenize(line.numpy().decode("utf-8"))[:MAX_SEQ - 2]
        ids = [vocab["[CLS]"]] + [vocab.get(p, vocab["[UNK]"]) for p in pieces] + [vocab["[SEP]"]]
        return np.array(ids + [0] * (MAX_SEQ - len(ids)), np.int32)

    return encode


def dataset(text_files, vocab, batch_size=256):
    encode = make_encoder(vocab)
    ds = tf.data.TextLineDataset(text_files)
    ds = ds.filter(lambda l: tf.strings.length(l) > 0)
    ds = ds.map(lambda l: tf.py_function(encode, [l], tf.int32), num_parallel_calls=AUTOTUNE)  # expect: TFP101, TFP102
    return ds.batch(batch_size)
