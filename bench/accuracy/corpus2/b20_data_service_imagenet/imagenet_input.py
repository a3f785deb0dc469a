"""Imitates the official-models ImageNet `input_fn` (resnet_run_loop style): file list
shuffling, interleave with AUTOTUNE, `datasets_num_private_threads` applied through
options, a tf-native parse map. No Python per element anywhere."""
import os

import tensorflow as tf

NUM_TRAIN_FILES = 1024


def get_filenames(is_training, data_dir):
    if is_training:
        return [os.path.join(data_dir, 'train-%05d-of-01024' % i) for i in range(NUM_TRAIN_FILES)]
    return [os.path.join(data_dir, 'validation-%05d-of-00128' % i) for i in range(128)]


def parse_record(raw_record, is_training, dtype):
    feature_map = {
        'image/encoded': tf.io.FixedLenFeature([], dtype=tf.string, default_value=''),
        'image/class/label': tf.io.FixedLenFeature([], dtype=tf.int64, default_value=-1),
    }
    features = tf.io.parse_single_example(raw_record, feature_map)
    image = tf.io.decode_jpeg(features['image/encoded'], channels=3)
    image = tf.image.resize(image, [224, 224])
    if is_training:
        image = tf.image.random_flip_left_right(image)
    label = tf.cast(features['image/class/label'], tf.int32) - 1
    return tf.cast(image, dtype), label


def input_fn(is_training, data_dir, batch_size, dtype=tf.float32,
             datasets_num_private_threads=None, drop_remainder=False, dataset_repeat=True):
    filenames = get_filenames(is_training, data_dir)
    dataset = tf.data.Dataset.from_tensor_slices(filenames)
    if is_training:
        dataset = dataset.shuffle(buffer_size=NUM_TRAIN_FILES)
    dataset = dataset.interleave(
        tf.data.TFRecordDataset,
        cycle_length=10,
        num_parallel_calls=tf.data.experimental.AUTOTUNE)
    if datasets_num_private_threads:
        options = tf.data.Options()
        options.experimental_threading.private_threadpool_size = datasets_num_private_threads
        dataset = dataset.with_options(options)
    if dataset_repeat:
        dataset = dataset.repeat()
    dataset = dataset.map(
        lambda value: parse_record(value, is_training, dtype),
        num_parallel_calls=tf.data.experimental.AUTOTUNE)
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    return dataset.prefetch(buffer_size=tf.data.experimental.AUTOTUNE)
