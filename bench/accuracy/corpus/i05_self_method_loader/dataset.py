"""Imitates an audio-tagging repository whose dataset class keeps the pipeline on self
and maps a lambda around a bound method, with num_parallel_calls passed positionally."""
import numpy as np
import tensorflow as tf

AUTOTUNE = tf.data.experimental.AUTOTUNE


class AudioTagDataset:
    def __init__(self, file_list, labels, sample_rate=32000, clip_seconds=10):
        self.sample_rate = sample_rate
        self.clip = sample_rate * clip_seconds
        self.ds = tf.data.Dataset.from_tensor_slices((file_list, labels))

    def _read_pcm(self, path):
        with open(path.numpy().decode("utf-8"), "rb") as f:
            f.seek(44)
            pcm = f.read(self.clip * 2)
        return np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768.0

    def _load_data(self, path, label):
        wav = tf.py_function(self._read_pcm, [path], tf.float32)
        wav.set_shape([None])
        return wav, label

    def pipeline(self, batch_size=32, training=True):
        ds = self.ds
        if training:
            ds = ds.shuffle(10000)
        ds = ds.map(lambda p, y: self._load_data(p, y), AUTOTUNE)  # expect: TFP101, TFP103
        return ds.padded_batch(batch_size).prefetch(AUTOTUNE)
