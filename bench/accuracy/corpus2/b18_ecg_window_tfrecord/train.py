"""Imitates a biosignal (ECG/PPG) training script: `TFRecordDataset.list_files`, two
interleaves without num_parallel_calls in an if/else on `modus`, a functools.partial
parse with win_len, a random window start via tf.random, and a per-channel
normalisation written as a Python loop over a module constant of 64 leads."""
from functools import partial
from os.path import join

import tensorflow as tf

N_LEADS = 64


def read_tfrecord(example, win_len=875):
    features = {
        "signal": tf.io.FixedLenFeature([], tf.string),
        "label": tf.io.FixedLenFeature([], tf.int64),
    }
    parsed = tf.io.parse_single_example(example, features)
    signal = tf.reshape(tf.io.decode_raw(parsed["signal"], tf.float32), [-1, N_LEADS])
    start = tf.random.uniform((), 0, tf.shape(signal)[0] - win_len, dtype=tf.int32)
    window = signal[start:start + win_len]
    leads = []
    for lead in range(N_LEADS):  # expect: TFP004
        col = window[:, lead]
        leads.append((col - tf.reduce_mean(col)) / (tf.math.reduce_std(col) + 1e-6))
    return tf.stack(leads, axis=-1), parsed["label"]


def get_dataset(tfrecords_dir, tfrecord_basename, win_len=875, batch_size=32, modus='train'):
    '''
    Collect the data files and wrap them into a TFRecordDataset for training.
    '''
    pattern = join(tfrecords_dir, modus, tfrecord_basename + "_" + modus + "_?????_of_?????.tfrecord")
    dataset = tf.data.TFRecordDataset.list_files(pattern)

    if modus == 'train':
        dataset = dataset.shuffle(1000, reshuffle_each_iteration=True)
        dataset = dataset.interleave(  # expect: TFP105
            tf.data.TFRecordDataset,
            cycle_length=800,
            block_length=400)
    else:
        dataset = dataset.interleave(  # expect: TFP105
            tf.data.TFRecordDataset)

    dataset = dataset.map(partial(read_tfrecord, win_len=win_len), num_parallel_calls=2)
    dataset = dataset.shuffle(4096, reshuffle_each_iteration=True)
    dataset = dataset.prefetch(buffer_size=tf.data.AUTOTUNE)
    dataset = dataset.batch(batch_size, drop_remainder=False)
    dataset = dataset.repeat()

    return dataset
