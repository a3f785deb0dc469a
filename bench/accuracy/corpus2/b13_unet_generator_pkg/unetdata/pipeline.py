"""Imitates the assembly half of a U-Net repo: `from_generator` on imported generator
functions with output_signature spread over many lines, a random-flip map, then
`.cache().shuffle().batch()` on one line, and prefetch."""
import tensorflow as tf

from . import loaders as L
from .loaders import INPUT_SHAPE, random_flip, train_generator

BUFFER_SIZE = 500
BATCH_SIZE = 8


def build_datasets(input_shape=INPUT_SHAPE):
    train_dataset = tf.data.Dataset.from_generator(train_generator,  # expect: TFP104
                                                   output_signature=(
                                                   tf.TensorSpec(shape=(input_shape[0], input_shape[1], 3),
                                                                 dtype=tf.float32),
                                                   tf.TensorSpec(shape=(input_shape[0], input_shape[1], 1),
                                                                 dtype=tf.float32)))
    validation_dataset = tf.data.Dataset.from_generator(L.validation_generator,  # expect: TFP104
                                                        output_signature=(
                                                        tf.TensorSpec(shape=(input_shape[0], input_shape[1], 3),
                                                                      dtype=tf.float32),
                                                        tf.TensorSpec(shape=(input_shape[0], input_shape[1], 1),
                                                                      dtype=tf.float32)))

    train_dataset = train_dataset.map(random_flip, num_parallel_calls=tf.data.AUTOTUNE)

    # shuffle and group the train set into batches
    train_dataset = train_dataset.cache().shuffle(BUFFER_SIZE).batch(BATCH_SIZE)  # expect: TFP005

    # do a prefetch to optimize processing
    train_dataset = train_dataset.prefetch(buffer_size=tf.data.experimental.AUTOTUNE)

    validation_dataset = validation_dataset.batch(BATCH_SIZE)

    return train_dataset, validation_dataset
