"""Dataset module of the biosignal package: maps a lambda that calls the imported
@tf.function helper, with no num_parallel_calls."""
import tensorflow as tf

from .filters import bandpass as bp


def _parse(record):
    ex = tf.io.parse_single_example(record, {
        "ecg": tf.io.FixedLenFeature([5000 * 12], tf.float32),
        "label": tf.io.FixedLenFeature([], tf.int64),
    })
    return tf.reshape(ex["ecg"], [5000, 12]), ex["label"]


def make(files, batch_size=32):
    ds = tf.data.TFRecordDataset(files)
    ds = ds.map(_parse, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(lambda x, y: (bp(x), y))  # expect: TFP101, TFP105
    return ds.batch(batch_size)
