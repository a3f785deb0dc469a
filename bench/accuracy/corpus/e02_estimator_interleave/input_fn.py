"""Imitates an Estimator-era ranking / CTR repository: sharded TFRecords read through
interleave, examples parsed, and an absl log line left in the parse function."""
import tensorflow as tf
from absl import logging

FEATURES = {
    "user_id": tf.io.FixedLenFeature([], tf.int64),
    "item_id": tf.io.FixedLenFeature([], tf.int64),
    "dense": tf.io.FixedLenFeature([13], tf.float32),
    "label": tf.io.FixedLenFeature([], tf.float32),
}


def parse_fn(serialized):
    logging.info("building parse graph")  # settled reading 9: a message without element values, silent
    parsed = tf.io.parse_example(serialized, FEATURES)
    label = parsed.pop("label")
    parsed["dense"] = tf.math.log1p(tf.maximum(parsed["dense"], 0.0))
    return parsed, label


def train_input_fn(file_pattern, batch_size):
    files = tf.data.Dataset.list_files(file_pattern, shuffle=True)
    dataset = files.interleave(tf.data.TFRecordDataset, cycle_length=8, block_length=32)  # expect: TFP105
    dataset = dataset.shuffle(100000).repeat()
    dataset = dataset.batch(batch_size)
    dataset = dataset.map(parse_fn, num_parallel_calls=tf.data.experimental.AUTOTUNE)
    return dataset.prefetch(tf.data.experimental.AUTOTUNE)


def eval_input_fn(file_pattern, batch_size):
    files = tf.data.Dataset.list_files(file_pattern, shuffle=False)
    dataset = files.interleave(
        lambda f: tf.data.TFRecordDataset(f, compression_type="GZIP"),
        cycle_length=4,
        num_parallel_calls=tf.data.experimental.AUTOTUNE,
        deterministic=True,
    )
    dataset = dataset.batch(batch_size).map(parse_fn, num_parallel_calls=4)
    return dataset
