"""Imitates a tensor2tensor-style `Problem` class: hparams objects, `dataset(mode, ...)`
reading file patterns, a lambda that calls `self.preprocess_example` mapped with
`num_parallel_calls=num_threads`, and tf.logging both outside (fine) and inside the
per-example preprocessing (trace-time only)."""
import tensorflow as tf


class ModeKeys:
  TRAIN = "train"
  EVAL = "eval"


class TextProblem:
  """Base text problem."""

  max_length = 256

  def filepattern(self, data_dir, mode):
    return "%s/%s-*" % (data_dir, mode)

  def example_reading_spec(self):
    data_fields = {"inputs": tf.VarLenFeature(tf.int64),
                   "targets": tf.VarLenFeature(tf.int64)}
    return data_fields

  def decode_example(self, serialized):
    parsed = tf.parse_single_example(serialized, self.example_reading_spec())
    return {k: tf.sparse_tensor_to_dense(v) for k, v in parsed.items()}

  def preprocess_example(self, example, mode, hparams):
    if hparams.truncate_inputs:
      tf.logging.warning("Truncating inputs to %d tokens", self.max_length)  # settled reading 9: a message without element values, silent
      example["inputs"] = example["inputs"][:self.max_length]
    if mode == ModeKeys.TRAIN:
      example["targets"] = example["targets"][:hparams.max_target_length]
    return example

  def dataset(self, mode, data_dir, hparams, num_threads=None, shuffle_files=None):
    is_training = mode == ModeKeys.TRAIN
    shuffle_files = shuffle_files or shuffle_files is None and is_training
    data_filepattern = self.filepattern(data_dir, mode)
    tf.logging.info("Reading data files from %s", data_filepattern)
    data_files = tf.contrib.slim.parallel_reader.get_data_files(data_filepattern)
    if shuffle_files:
      import random
      random.shuffle(data_files)
    dataset = tf.data.TFRecordDataset(data_files)
    dataset = dataset.map(self.decode_example, num_parallel_calls=num_threads)

    def _preprocess(example):
      return self.preprocess_example(example, mode, hparams)

    dataset = dataset.map(_preprocess, num_parallel_calls=num_threads)
    return dataset
