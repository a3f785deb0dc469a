"""Imitates a speech-recognition research repo that experiments with partial tf.data
service offloading: a class holding audio/text datasets, `Dataset.zip`, three chained
maps with `num_parallel_calls=num_parallel` (a method parameter, so the amount of
parallelism is unknown), a numpy_function that reads WAV files with soundfile, and
`service.distribute` with extra config keywords."""
import numpy as np
import soundfile as sf
import tensorflow as tf


def _read_wav(path):
    audio, _ = sf.read(path.decode("utf-8"), dtype="float32")
    if audio.ndim > 1:
        audio = audio.mean(axis=1)
    return audio.astype(np.float32)


def read_file(path):
    audio = tf.numpy_function(_read_wav, [path], tf.float32)
    audio.set_shape([None])
    return audio


def preprocess(audio):
    stft = tf.signal.stft(audio, frame_length=400, frame_step=160, fft_length=512)
    spec = tf.math.log(tf.abs(stft) + 1e-6)
    return (spec - tf.reduce_mean(spec)) / (tf.math.reduce_std(spec) + 1e-6)


class OffloadedASRData:
    def __init__(self, config, audio_paths, transcripts):
        self.config = config
        self.train_audio_ds = tf.data.Dataset.from_tensor_slices(audio_paths)
        self.train_text_ds = tf.data.Dataset.from_tensor_slices(transcripts)
        self.train_batch_size = config.batch_size

    def create_local_dataset(self, num_parallel):
        ds = tf.data.Dataset.zip((self.train_audio_ds, self.train_text_ds))
        ds = ds.map(lambda x, y: (read_file(x), y), num_parallel_calls=num_parallel)  # expect: TFP101
        ds = ds.map(lambda x, y: (preprocess(x), y), num_parallel_calls=num_parallel)
        return ds.padded_batch(self.train_batch_size)

    def create_manual_offloaded_dataset(self, num_parallel):
        # Zip and map
        ds = tf.data.Dataset.zip((self.train_audio_ds, self.train_text_ds))
        ds = ds.map(lambda x, y: (read_file(x), y), num_parallel_calls=num_parallel)  # expect: TFP101
        ds = ds.map(lambda x, y: (preprocess(x), y), num_parallel_calls=num_parallel)
        ds = ds.map(lambda x, y: {"source": x, "target": y}, num_parallel_calls=num_parallel)
        ds = ds.apply(tf.data.experimental.service.distribute(processing_mode="distributed_epoch",  # expect: TFP301
                                                              service="grpc://" + self.config.dispatcher_addr + ":5000",
                                                              job_name="asr"))
        ds = ds.padded_batch(self.train_batch_size)
        ds = ds.prefetch(tf.data.AUTOTUNE)
        return ds
