"""Imitates a curriculum-learning repository where the mapped function reads and updates
a tf.Variable (difficulty schedule) and draws tf.random noise, with no parallelism."""
import tensorflow as tf

step = tf.Variable(0, dtype=tf.int64, trainable=False)


def curriculum_noise(x, y):
    step.assign_add(1)
    level = tf.minimum(tf.cast(step, tf.float32) / 10000.0, 1.0)
    x = x + tf.random.normal(tf.shape(x), stddev=0.1 * level)
    return x, y


def to_float(x, y):
    return tf.cast(x, tf.float32), y


def build(x, y, batch_size=64):
    ds = tf.data.Dataset.from_tensor_slices((x, y))
    ds = ds.map(to_float)
    ds = ds.map(curriculum_noise, num_parallel_calls=None)  # expect: TFP105
    return ds.batch(batch_size)
