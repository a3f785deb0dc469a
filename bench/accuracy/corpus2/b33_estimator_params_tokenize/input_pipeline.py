"""Imitates a TF1/TF2-compat Estimator NLP repo: `input_fn(params)` reading an absl
flag, `num_parallel_calls=params.get("threads", 8)` (amount unknown statically), a
regex word-piece tokenizer run through `tf.py_function` (CPU-bound Python), and a
dict element. TFP102 needs npc known > 1 or AUTOTUNE, so only TFP101 (LABELING2 A6)."""
import re

import tensorflow as tf
from absl import flags

FLAGS = flags.FLAGS
flags.DEFINE_string("train_file", None, "TFRecord of raw text.")

_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
VOCAB = {}


def tokenize_py(text):
    ids = []
    for tok in _TOKEN_RE.findall(text.numpy().decode("utf-8").lower()):
        while tok:
            piece = tok
            while piece and piece not in VOCAB:
                piece = piece[:-1]
            ids.append(VOCAB.get(piece, 1))
            tok = tok[len(piece):] if piece else ""
    return ids[:128] + [0] * max(0, 128 - len(ids))


def _decode(record, params):
    parsed = tf.io.parse_single_example(record, {"text": tf.io.FixedLenFeature([], tf.string),
                                                 "label": tf.io.FixedLenFeature([], tf.int64)})
    ids = tf.py_function(tokenize_py, [parsed["text"]], tf.int32)
    ids.set_shape([128])
    return {"input_ids": ids}, parsed["label"]


def input_fn(params):
    batch_size = params["batch_size"]
    dataset = tf.data.TFRecordDataset(FLAGS.train_file)
    dataset = dataset.shuffle(10000).repeat()
    dataset = dataset.map(lambda r: _decode(r, params),  # expect: TFP101
                          num_parallel_calls=params.get("threads", 8))
    return dataset.batch(batch_size, drop_remainder=True)
