"""Imitates beginner audio/vision repositories that call .numpy() or NumPy functions on
the mapped function's arguments (the mistake that raises at trace time), next to
harmless NumPy constant use."""
import librosa
import numpy as np
import tensorflow as tf

SR = 22050
LOG10 = np.log(10.0)


def load_audio(path, label):
    y, _ = librosa.load(path.numpy().decode("utf-8"), sr=SR)  # expect: TFP003
    return y, label


def add_batch_axis(image, label):
    image = np.expand_dims(image, axis=0)  # expect: TFP003
    return image, label


def squeeze_label(image, label):
    label = np.squeeze(label)  # expect: TFP003
    return image, tf.cast(label, tf.int32)


def to_db(spec, label):
    spec = tf.math.log(tf.maximum(spec, 1e-10)) / LOG10
    zeros = np.zeros([3], dtype=np.float32)
    return tf.cast(spec, np.float32) + tf.reduce_sum(zeros), label


def audio_ds(paths, labels):
    ds = tf.data.Dataset.from_tensor_slices((paths, labels))
    return ds.map(load_audio)


def image_ds(images, labels):
    ds = tf.data.Dataset.from_tensor_slices((images, labels))
    ds = ds.map(add_batch_axis).map(squeeze_label)
    return ds.map(to_db, num_parallel_calls=tf.data.AUTOTUNE)
