"""Imitates the proto-decoding module of a google-research 3D-scene repo: decoders
for several dataset variants, constants for sizes, absl logging used as debugging
aid inside a decode function that is later passed to `dataset.map`."""
import tensorflow as tf
from absl import logging

MAX_OBJECTS = 3


def _common_features():
  return {
      'image': tf.io.FixedLenFeature([], tf.string),
      'num_boxes': tf.io.FixedLenFeature([], tf.int64),
      'shapes': tf.io.VarLenFeature(tf.int64),
  }


def decode_bytes_multiple(serialized):
  example = tf.io.parse_single_example(serialized, _common_features())
  image = tf.io.decode_png(example['image'], channels=3)
  shapes = tf.sparse.to_dense(example['shapes'])
  return {'image': image, 'num_boxes': example['num_boxes'], 'shapes': shapes}


def decode_bytes_multiple_scannet(serialized):
  features = _common_features()
  features['scene'] = tf.io.FixedLenFeature([], tf.string)
  example = tf.io.parse_single_example(serialized, features)
  logging.info('scannet example keys: %s', sorted(example.keys()))  # expect: TFP001
  image = tf.io.decode_jpeg(example['image'], channels=3)
  shapes = tf.sparse.to_dense(example['shapes'])
  per_object = []
  for i in range(MAX_OBJECTS):
    per_object.append(tf.reduce_sum(tf.cast(tf.equal(shapes, i), tf.int32)))
  return {'image': image, 'num_boxes': example['num_boxes'], 'shapes': shapes,
          'counts': tf.stack(per_object)}
