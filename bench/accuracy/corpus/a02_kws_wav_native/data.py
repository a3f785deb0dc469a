"""Imitates a keyword-spotting tutorial repository: WAV files decoded with tf.audio,
a random one-second crop for training, and (the bug copied around) the cache placed
after the random crop. The validation split caches before a deterministic crop."""
import pathlib

import tensorflow as tf

SAMPLE_RATE = 16000
CLIP = SAMPLE_RATE


def _decode(path):
    audio_bytes = tf.io.read_file(path)
    wav, _ = tf.audio.decode_wav(audio_bytes, desired_channels=1)
    wav = tf.squeeze(wav, axis=-1)
    parts = tf.strings.split(path, "/")
    return wav, parts[-2]


def _pad(wav):
    short = tf.maximum(0, CLIP - tf.shape(wav)[0])
    return tf.pad(wav, [[0, short]])


def _random_crop(wav, word):
    wav = _pad(wav)
    start = tf.random.uniform([], 0, tf.shape(wav)[0] - CLIP + 1, dtype=tf.int32)
    return wav[start:start + CLIP], word


def _center_crop(wav, word):
    wav = _pad(wav)
    start = (tf.shape(wav)[0] - CLIP) // 2
    return wav[start:start + CLIP], word


def build(data_dir, batch_size=64):
    root = pathlib.Path(data_dir)
    train_files = tf.data.Dataset.list_files(str(root / "train" / "*" / "*.wav"))
    val_files = tf.data.Dataset.list_files(str(root / "val" / "*" / "*.wav"), shuffle=False)

    train = train_files.map(_decode, num_parallel_calls=tf.data.AUTOTUNE)
    train = train.map(_random_crop, num_parallel_calls=tf.data.AUTOTUNE)
    train = train.cache()  # expect: TFP005
    train = train.shuffle(2048).batch(batch_size).prefetch(tf.data.AUTOTUNE)

    val = (
        val_files.map(_decode, num_parallel_calls=tf.data.AUTOTUNE)
        .cache()
        .map(_center_crop, num_parallel_calls=tf.data.AUTOTUNE)
        .batch(batch_size)
    )
    return train, val
