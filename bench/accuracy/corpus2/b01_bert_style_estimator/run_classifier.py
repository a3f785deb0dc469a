"""Imitates a BERT-era TF1 `run_classifier.py`: an Estimator input_fn builder returning
`input_fn(params)`, `tf.contrib.data.map_and_batch`, tf.logging at builder level,
int64->int32 casting loop over a *local* dict (not outer state). Expected: nothing."""
import collections

import tensorflow as tf

flags = tf.flags
FLAGS = flags.FLAGS
flags.DEFINE_string("train_record", None, "TFRecord with InputFeatures.")
flags.DEFINE_integer("max_seq_length", 128, "Max tokens.")


def build_record_input_fn(record_path, seq_len, is_training, drop_remainder):
  """Creates an `input_fn` closure to be passed to TPUEstimator."""

  wanted = {
      "input_ids": tf.FixedLenFeature([seq_len], tf.int64),
      "input_mask": tf.FixedLenFeature([seq_len], tf.int64),
      "segment_ids": tf.FixedLenFeature([seq_len], tf.int64),
      "label_ids": tf.FixedLenFeature([], tf.int64),
      "is_real_example": tf.FixedLenFeature([], tf.int64),
  }

  def _decode_one(record, spec):
    """Decodes a record to a TensorFlow example."""
    parsed = tf.parse_single_example(record, spec)

    # tf.Example only supports tf.int64, but the TPU only supports tf.int32.
    # So cast all int64 to int32.
    for key in list(parsed.keys()):
      val = parsed[key]
      if val.dtype == tf.int64:
        val = tf.to_int32(val)
      parsed[key] = val

    return parsed

  def input_fn(params):
    """The actual input function."""
    per_core_batch = params["batch_size"]
    tf.logging.info("Reading %s (batch %d)", record_path, per_core_batch)

    ds = tf.data.TFRecordDataset(record_path)
    if is_training:
      ds = ds.repeat()
      ds = ds.shuffle(buffer_size=100)

    ds = ds.apply(
        tf.contrib.data.map_and_batch(
            lambda rec: _decode_one(rec, wanted),
            batch_size=per_core_batch,
            drop_remainder=drop_remainder))
    return ds

  return input_fn


def main(_):
  tf.logging.set_verbosity(tf.logging.INFO)
  counts = collections.Counter()
  fn = build_record_input_fn(FLAGS.train_record, FLAGS.max_seq_length, True, True)
  counts["built"] += 1
  estimator = tf.contrib.tpu.TPUEstimator(model_fn=None, config=None,
                                          train_batch_size=32)
  estimator.train(input_fn=fn, max_steps=1000)


if __name__ == "__main__":
  flags.mark_flag_as_required("train_record")
  tf.app.run()
