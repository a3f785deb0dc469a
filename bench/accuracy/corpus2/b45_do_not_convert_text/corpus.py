"""Imitates a text-classification repo that hit AutoGraph warnings and wrapped its map
lambda in `tf.autograph.experimental.do_not_convert`; the lambda reads each text file
with Python `open` inside a py_function (I/O-bound), mapped with AUTOTUNE."""
import tensorflow as tf


def _read_txt(path):
    with open(path.numpy().decode("utf-8"), encoding="utf-8", errors="ignore") as fh:
        return fh.read()


def text_dataset(paths, labels, batch=32):
    ds = tf.data.Dataset.from_tensor_slices((paths, labels))
    read = tf.autograph.experimental.do_not_convert(
        lambda p, y: (tf.py_function(_read_txt, [p], tf.string), y))
    ds = ds.map(read, num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101, TFP103
    ds = ds.map(lambda t, y: (tf.strings.lower(t), y), num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch)
