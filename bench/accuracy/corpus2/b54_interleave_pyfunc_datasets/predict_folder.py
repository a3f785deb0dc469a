"""Imitates a batch-inference script for a folder of mixed JPG/PNG files: one
`from_generator` dataset per extension built in a list comprehension (generator opens
and resizes each image with PIL), then an `interleave` over `Dataset.range` whose
function returns one of those datasets through `tf.py_function` with a DatasetSpec
Tout, AUTOTUNE, deterministic=False; a trailing TODO."""
import glob

import numpy as np
import tensorflow as tf
from PIL import Image

size = (224, 224)


def gen(ending):
    for path in glob.glob(f"to_predict/*.{ending}"):
        img = Image.open(path).convert("RGB").resize(size)
        yield np.asarray(img, np.float32) / 255.0, path.encode()


def ds(ending):
    return tf.data.Dataset.from_generator(lambda: gen(ending), output_signature=(  # expect: TFP104
        tf.TensorSpec(shape=size + (3,), dtype=tf.float32), tf.TensorSpec(shape=(), dtype=tf.string)))


individual_datasets = [ds(ending) for ending in ["jpg", "png"]]


def get_individual_dataset(i):
    return individual_datasets[i]


range_dataset = tf.data.Dataset.range(len(individual_datasets))
dtype = tf.data.DatasetSpec.from_value(individual_datasets[0])
dataset = range_dataset.interleave(lambda i: tf.py_function(func=get_individual_dataset, inp=[i], Tout=dtype),  # expect: TFP101
                                   cycle_length=len(individual_datasets), deterministic=False,
                                   num_parallel_calls=tf.data.AUTOTUNE)

dataset = dataset.map(lambda image, url: ((image, url),))

dataset = dataset.prefetch(tf.data.AUTOTUNE)
dataset = dataset.batch(10)  # todo make batchsize configurable
