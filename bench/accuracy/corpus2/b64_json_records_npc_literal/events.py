"""Imitates a log-analytics / event-sequence repo storing raw JSON strings in TFRecords:
a py_function parses JSON and walks nested event lists in Python (CPU-bound), mapped
with a literal `num_parallel_calls=8`; a second, debug pipeline maps a CPU-bound
summariser with `num_parallel_calls=1` (sequential on purpose: TFP101 only)."""
import json

import tensorflow as tf

MAX_EVENTS = 200
EVENT_TYPES = {"click": 1, "view": 2, "purchase": 3, "scroll": 4}


def _encode_session(raw):
    session = json.loads(raw.numpy().decode("utf-8"))
    ids = []
    for page in session.get("pages", []):
        for ev in page.get("events", []):
            ids.append(EVENT_TYPES.get(ev.get("type"), 0))
            if len(ids) >= MAX_EVENTS:
                break
    return ids + [0] * (MAX_EVENTS - len(ids))


def _summary(raw):
    session = json.loads(raw.numpy().decode("utf-8"))
    return sum(len(p.get("events", [])) for p in session.get("pages", []))


def encode(raw):
    ids = tf.py_function(_encode_session, [raw], tf.int32)
    ids.set_shape([MAX_EVENTS])
    return ids


def train_pipeline(files):
    ds = tf.data.TFRecordDataset(files)
    ds = ds.map(encode, num_parallel_calls=8)  # expect: TFP101, TFP102
    return ds.batch(512)


def debug_pipeline(files):
    ds = tf.data.TFRecordDataset(files)
    ds = ds.map(lambda r: tf.py_function(_summary, [r], tf.int64), num_parallel_calls=1)  # expect: TFP101
    return ds
