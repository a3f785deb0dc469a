"""Dataset side of the TTS package: transcripts are tokenised by the pure-Python
front end inside py_function, mel targets are loaded from .npy per element."""
import numpy as np
import tensorflow as tf

from .text import text_to_sequence

AUTOTUNE = tf.data.experimental.AUTOTUNE


def _encode(text):
    seq = text_to_sequence(text.numpy().decode("utf-8"))
    return np.asarray(seq, dtype=np.int32)


def _tf_encode(text, mel_path):
    ids = tf.py_function(_encode, [text], tf.int32)
    ids.set_shape([None])
    return ids, mel_path


def _load_mel(ids, mel_path):
    mel = tf.numpy_function(np.load, [mel_path], tf.float32)
    return ids, mel


def _split_line(line):
    fields = tf.strings.split(line, "|")
    return fields[1], tf.strings.join(["mels/", fields[0], ".npy"])


def build_dataset(metadata_path, batch_size=32):
    ds = tf.data.TextLineDataset(metadata_path)
    ds = ds.map(_split_line)
    ds = ds.map(_tf_encode, num_parallel_calls=AUTOTUNE)  # expect: TFP101, TFP102
    ds = ds.map(_load_mel, num_parallel_calls=AUTOTUNE)  # expect: TFP101, TFP103
    ds = ds.padded_batch(batch_size, padded_shapes=([None], [None, 80]))
    return ds.prefetch(AUTOTUNE)
