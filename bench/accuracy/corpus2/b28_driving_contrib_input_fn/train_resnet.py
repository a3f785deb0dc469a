"""Imitates a self-driving-car (steering regression) TF1 repo: module-level reader
constants, `tf.contrib.data.parallel_interleave`, `map_and_batch(map_func=lambda ...)`
whose parse function flips images with `np.random.rand()` (a trace-time constant),
and a hand-written ResNet block below."""
import os

import numpy as np
import tensorflow as tf

HEIGHT, WIDTH = 66, 200


def parse_fn(example, is_training):
    features = {
        'image': tf.FixedLenFeature((), tf.string, default_value=''),
        'steer': tf.FixedLenFeature((), tf.float32, default_value=0.0),
        'gas': tf.FixedLenFeature((), tf.float32, default_value=0.0),
        'brake': tf.FixedLenFeature((), tf.float32, default_value=0.0),
    }
    parsed = tf.parse_single_example(example, features)
    image = tf.image.decode_jpeg(parsed['image'])
    image = tf.image.resize_images(image, [HEIGHT, WIDTH])
    steer = parsed['steer']
    if is_training and np.random.rand() < 0.5:  # expect: TFP002
        image = tf.image.flip_left_right(image)
        steer = -steer
    gas, brake = parsed['gas'], parsed['brake']
    return image, {'steer': steer, 'gas': gas, 'brake': brake}

num_parallel_readers=10
shuffle_buffer_size=1000
prefetch_buffer_size=1000
def input_fn(data_dir, batch_size, is_training):
  files = tf.data.Dataset.list_files(os.path.join(data_dir, 'data.record-*'))
  dataset = files.apply(tf.contrib.data.parallel_interleave(
    tf.data.TFRecordDataset, cycle_length=num_parallel_readers))
  dataset = dataset.shuffle(buffer_size=shuffle_buffer_size) # repeat() cause cuda oom
  dataset = dataset.apply(tf.contrib.data.map_and_batch(
    map_func=lambda value: parse_fn(value, is_training), batch_size=batch_size))
  dataset = dataset.prefetch(buffer_size=prefetch_buffer_size)
  return dataset

def identity_block(input_tensor, kernel_size, filters, stage, block):
  """The identity block is the block that has no conv layer at shortcut."""
  filters1, filters2 = filters
  name = 'res' + str(stage) + block
  x = tf.layers.conv2d(input_tensor, filters1, (1, 1), name=name + '_2a')
  x = tf.nn.relu(tf.layers.batch_normalization(x))
  x = tf.layers.conv2d(x, filters2, kernel_size, padding='same', name=name + '_2b')
  return tf.nn.relu(x + input_tensor)
