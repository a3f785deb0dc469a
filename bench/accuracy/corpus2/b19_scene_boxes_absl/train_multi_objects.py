"""Imitates a google-research training script driven by absl FLAGS: `get_dataset`
picks cycles/buffer sizes from FLAGS, interleaves TFRecord files without
num_parallel_calls, maps decoders imported from a sibling module (one branch per
dataset), filters, and conditionally maps a random colour augmentation with no
num_parallel_calls."""
import os

import extract_protos
import tensorflow as tf
from absl import app, flags

FLAGS = flags.FLAGS
flags.DEFINE_string('tfrecords_dir', '/tmp/scenes', 'TFRecords location.')
flags.DEFINE_bool('debug', False, 'Debug mode.')
flags.DEFINE_bool('val', False, 'Validation mode.')
flags.DEFINE_integer('batch_size', 8, 'Batch size.')


def get_dataset(split, shape_pointclouds=None):
  """Get dataset."""
  if shape_pointclouds:
    print(shape_pointclouds)
  tfrecord_path = os.path.join(FLAGS.tfrecords_dir, split)
  buffer_size, shuffle, cycles = 10000, True, 10000
  if FLAGS.debug:
    buffer_size, shuffle, cycles = 1, False, 1
  if FLAGS.val:
    buffer_size, shuffle, cycles = 100, False, 1

  dataset = tf.data.Dataset.list_files(tfrecord_path + '/*.tfrecord', shuffle=shuffle)
  dataset = dataset.interleave(tf.data.TFRecordDataset, cycle_length=cycles)  # expect: TFP105

  if shuffle:
    dataset = dataset.shuffle(buffer_size=buffer_size)

  if 'scannet' in tfrecord_path:
    dataset = dataset.map(extract_protos.decode_bytes_multiple_scannet)
    dataset = dataset.filter(lambda sample: sample['num_boxes'] == 3)
  else:
    dataset = dataset.map(extract_protos.decode_bytes_multiple)
    dataset = \
        dataset.filter(lambda sample: tf.reduce_min(sample['shapes']) > -1)

  def augment(sample):
    image = sample['image']
    if tf.random.uniform([1], 0, 1.0) < 0.8:
      image = tf.image.random_saturation(image, 0.6, 1.4)
      image = tf.image.random_hue(image, 0.05)
    sample['image'] = image
    return sample

  if split == 'train':
    dataset = dataset.map(augment)  # expect: TFP105
  return dataset.batch(FLAGS.batch_size, drop_remainder=True)


def main(argv):
  del argv
  ds = get_dataset('train')
  for batch in ds.take(1):
    print({k: v.shape for k, v in batch.items()})


if __name__ == '__main__':
  app.run(main)
