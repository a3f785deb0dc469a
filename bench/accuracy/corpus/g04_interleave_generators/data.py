"""Imitates a large-scale audio pretraining repository that shards a Python generator
k ways and interleaves the shards in parallel (the workaround for from_generator having
no num_parallel_calls). Each shard reads and decodes FLAC files with soundfile."""
import glob

import numpy as np
import soundfile as sf
import tensorflow as tf

NUM_SHARDS = 4
SEGMENT = 48000


def shard_generator(shard_index):
    files = sorted(glob.glob("/data/audio/**/*.flac", recursive=True))
    for path in files[int(shard_index)::NUM_SHARDS]:
        audio, sr = sf.read(path, dtype="float32")
        if audio.ndim > 1:
            audio = audio.mean(axis=1)
        for start in range(0, len(audio) - SEGMENT, SEGMENT):
            yield audio[start:start + SEGMENT]


def make_shard(i):
    return tf.data.Dataset.from_generator(  # expect: TFP104
        shard_generator,
        args=(i,),
        output_signature=tf.TensorSpec([SEGMENT], tf.float32),
    )


def build(batch_size=32):
    ds = tf.data.Dataset.range(NUM_SHARDS)
    ds = ds.interleave(make_shard, cycle_length=NUM_SHARDS, num_parallel_calls=NUM_SHARDS)
    return ds.batch(batch_size).prefetch(2)


def peak_normalise(x):
    return x / (np.max(np.abs(x)) + 1e-9)
