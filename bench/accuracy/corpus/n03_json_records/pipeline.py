"""Imitates a question-answering repository reading JSON lines and extracting span
features in Python via tf.numpy_function, with AUTOTUNE parallelism."""
import json
import re

import numpy as np
import tensorflow as tf

_TOKEN = re.compile(r"\w+|[^\w\s]")


def _features(line):
    rec = json.loads(line.decode("utf-8"))
    context_tokens = _TOKEN.findall(rec["context"].lower())
    answer_tokens = _TOKEN.findall(rec["answer"].lower())
    start = end = 0
    for i in range(len(context_tokens) - len(answer_tokens) + 1):
        if context_tokens[i:i + len(answer_tokens)] == answer_tokens:
            start, end = i, i + len(answer_tokens) - 1
            break
    return np.array([start, end, len(context_tokens)], dtype=np.int64)


def load(jsonl_files, batch_size=32):
    ds = tf.data.TextLineDataset(jsonl_files)
    ds = ds.map(  # expect: TFP101, TFP102
        lambda line: tf.numpy_function(_features, [line], tf.int64),
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    return ds.batch(batch_size)
