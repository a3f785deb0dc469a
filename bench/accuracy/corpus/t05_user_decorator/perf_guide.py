"""Imitates the TensorFlow data-performance guide and the benchmark scripts derived
from it: a user-written decorator wraps any function in tf.py_function, and a mapped
function simulating I/O latency with time.sleep is decorated with it."""
import time

import tensorflow as tf


def map_decorator(func):
    def wrapper(steps, times, values):
        return tf.py_function(
            func,
            inp=(steps, times, values),
            Tout=(steps.dtype, times.dtype, values.dtype),
        )
    return wrapper


@map_decorator
def naive_map(steps, times, values):
    time.sleep(0.03)
    return steps, times, values


class ArtificialDataset(tf.data.Dataset):
    def _generator(num_samples):
        time.sleep(0.03)
        for sample_idx in range(num_samples):
            time.sleep(0.015)
            yield (sample_idx,)

    def __new__(cls, num_samples=3):
        return tf.data.Dataset.from_generator(  # expect: TFP104
            cls._generator,
            output_signature=tf.TensorSpec(shape=(1,), dtype=tf.int64),
            args=(num_samples,),
        )


def parallel_mapped(steps_ds):
    return steps_ds.map(naive_map, num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101, TFP103


def build():
    base = tf.data.Dataset.range(100).map(lambda i: (i, tf.timestamp(), tf.cast(i, tf.float64)))
    return parallel_mapped(base)
