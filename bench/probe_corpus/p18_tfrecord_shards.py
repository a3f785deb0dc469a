"""Document classifier: sharded TFRecords, interleaved readers, parse, then Python text features."""

import os
import tempfile

import numpy as np
import tensorflow as tf

from _helpers_text import char_ngram_counts, normalize_text, synthetic_reviews

AUTOTUNE = tf.data.AUTOTUNE
N_BUCKETS = 1024

FEATURE_SPEC = {
    "text": tf.io.FixedLenFeature([], tf.string),
    "label": tf.io.FixedLenFeature([], tf.int64),
    "source": tf.io.FixedLenFeature([], tf.string, default_value="web"),
}


def _write_shards(root, n_shards=8, per_shard=64):
    docs = synthetic_reviews(n_shards * per_shard, words_per_review=2400, seed=4)
    paths = []
    for s in range(n_shards):
        path = os.path.join(root, f"train-{s:05d}-of-{n_shards:05d}.tfrecord")
        with tf.io.TFRecordWriter(path) as w:
            for i in range(per_shard):
                doc = docs[s * per_shard + i]
                ex = tf.train.Example(features=tf.train.Features(feature={
                    "text": tf.train.Feature(bytes_list=tf.train.BytesList(value=[doc.encode()])),
                    "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 5])),
                }))
                w.write(ex.SerializeToString())
        paths.append(path)
    return paths


def parse_example(serialized):
    ex = tf.io.parse_single_example(serialized, FEATURE_SPEC)
    return ex["text"], ex["label"]


def _bag_of_ngrams(text):
    cleaned = normalize_text(text.decode("utf-8"))
    return np.asarray(char_ngram_counts(cleaned, n=3, buckets=N_BUCKETS), dtype=np.float32)


def text_features(text, label):
    feats = tf.numpy_function(_bag_of_ngrams, [text], tf.float32)
    feats.set_shape([N_BUCKETS])
    return feats, label


def make_dataset(batch_size=32, file_pattern=None):
    if file_pattern is None:
        root = tempfile.mkdtemp(prefix="shards_")
        _write_shards(root)
        file_pattern = os.path.join(root, "train-*.tfrecord")
    files = tf.data.Dataset.list_files(file_pattern, shuffle=True).repeat()
    ds = files.interleave(
        lambda f: tf.data.TFRecordDataset(f, buffer_size=1 << 20),
        cycle_length=4, block_length=8, num_parallel_calls=AUTOTUNE, deterministic=False)
    ds = ds.map(parse_example, num_parallel_calls=AUTOTUNE)
    ds = ds.map(text_features, num_parallel_calls=AUTOTUNE)
    return ds.batch(batch_size).prefetch(AUTOTUNE)
