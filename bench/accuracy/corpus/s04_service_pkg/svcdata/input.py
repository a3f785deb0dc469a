"""Builds the dataset and hands it to the tf.data service."""
import tensorflow as tf
from tensorflow import data as tfdata

from . import features


def _decode(path, transcript):
    wav, _ = tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1)
    return tf.squeeze(wav, -1), transcript


def make(manifest, dispatcher, batch_size=32):
    ds = tfdata.experimental.CsvDataset(manifest, [tf.string, tf.string], header=True)
    ds = ds.map(_decode, num_parallel_calls=tfdata.AUTOTUNE)
    ds = ds.map(features.compute, num_parallel_calls=tfdata.AUTOTUNE)  # expect: TFP101
    ds = ds.padded_batch(batch_size)
    service = tfdata.experimental.service
    ds = ds.apply(service.distribute(processing_mode="distributed_epoch", service=dispatcher))  # expect: TFP301
    return ds
