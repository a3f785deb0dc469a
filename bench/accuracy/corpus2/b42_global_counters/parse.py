"""Imitates a research repo that instruments its parse function: a module-level list of
seen feature keys appended to, a `global` counter incremented, `features[...] = ...`
item assignment on the *element* dict (fine), and tf.print (fine)."""
import tensorflow as tf

SEEN_KEYS = []
_NUM_TRACED = 0

SPEC = {
    "x": tf.io.FixedLenFeature([16], tf.float32),
    "y": tf.io.FixedLenFeature([], tf.int64),
    "w": tf.io.FixedLenFeature([], tf.float32, default_value=1.0),
}


def parse(serialized):
    global _NUM_TRACED
    features = tf.io.parse_single_example(serialized, SPEC)
    SEEN_KEYS.append(sorted(features))  # expect: TFP001
    _NUM_TRACED += 1  # expect: TFP001
    features["x"] = tf.clip_by_value(features["x"], -5.0, 5.0)
    tf.print("weight", features["w"])
    return features


def make(files, batch=1024):
    ds = tf.data.TFRecordDataset(files, num_parallel_reads=tf.data.AUTOTUNE)
    ds = ds.map(parse, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch)
