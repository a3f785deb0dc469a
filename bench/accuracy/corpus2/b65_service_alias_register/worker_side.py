"""Imitates a team's tf.data-service launcher: the service module is aliased
(`dsvc = tf.data.experimental.service`), the dataset is registered with keyword
arguments, and the pipeline contains a numpy_function resampler (SciPy, native)."""
import numpy as np
import tensorflow as tf
from scipy import signal

dsvc = tf.data.experimental.service


def _resample(x):
    return signal.resample_poly(x, 2, 3).astype(np.float32)


def resample(x):
    y = tf.numpy_function(_resample, [x], tf.float32)
    y.set_shape([None])
    return y


def register(dispatcher_address, files):
    ds = tf.data.TFRecordDataset(files)
    ds = ds.map(lambda r: tf.io.parse_tensor(r, tf.float32), num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(resample, num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101
    ds = ds.padded_batch(32)
    dataset_id = dsvc.register_dataset(service=dispatcher_address, dataset=ds)  # expect: TFP301
    return dataset_id, ds.element_spec


def consume(dispatcher_address, dataset_id, element_spec):
    return dsvc.from_dataset_id(processing_mode="parallel_epochs", service=dispatcher_address,
                                dataset_id=dataset_id, element_spec=element_spec)
