"""Imitates the pipeline module of the audio package: WAV shards interleaved with
AUTOTUNE, decode map, then the py_function feature op imported under an alias and
mapped with AUTOTUNE (CPU-bound Python: TFP101 + TFP102)."""
import tensorflow as tf

from .features import tf_frame_stats as stats_op

AUTOTUNE = tf.data.experimental.AUTOTUNE


def _decode(path):
    audio, _ = tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1)
    label = tf.strings.to_number(tf.strings.split(path, "_")[-2], tf.int32)
    return tf.squeeze(audio, -1), label


def build(shard_lists, batch=16):
    shards = tf.data.Dataset.from_tensor_slices(shard_lists)
    files = shards.interleave(lambda s: tf.data.Dataset.list_files(s + "/*.wav"),
                              cycle_length=4, num_parallel_calls=AUTOTUNE)
    ds = files.map(_decode, num_parallel_calls=AUTOTUNE)
    ds = ds.map(stats_op, num_parallel_calls=AUTOTUNE)  # expect: TFP101, TFP102
    return ds.padded_batch(batch)
