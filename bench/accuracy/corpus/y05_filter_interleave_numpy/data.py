"""Imitates a satellite-segmentation repository that drops empty tiles with a filter
predicate written in NumPy and opens per-scene shard lists with interleave, converting
the scene path with .numpy() (both fail at trace time)."""
import numpy as np
import tensorflow as tf


def non_empty(image, mask):
    return np.sum(mask) > 0  # expect: TFP003


def non_empty_tf(image, mask):
    return tf.reduce_any(mask > 0)


def scene_records(scene_path):
    pattern = scene_path.numpy().decode("utf-8") + "/*.tfrecord"  # expect: TFP003
    return tf.data.TFRecordDataset(tf.io.gfile.glob(pattern))


def scene_records_tf(scene_path):
    files = tf.io.matching_files(tf.strings.join([scene_path, "/*.tfrecord"]))
    return tf.data.TFRecordDataset(files)


def build(scenes, parse, strict=True):
    ds = tf.data.Dataset.from_tensor_slices(scenes)
    if strict:
        ds = ds.interleave(scene_records_tf, cycle_length=4, num_parallel_calls=tf.data.AUTOTUNE)
    else:
        ds = ds.interleave(scene_records, cycle_length=4)  # expect: TFP105
    ds = ds.map(parse, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.filter(non_empty)
    return ds.filter(non_empty_tf)
