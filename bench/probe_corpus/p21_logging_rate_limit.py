"""Audio event detection front end with 'rate limiting' and logging written inside a traced map."""

import logging
import time

import numpy as np
import tensorflow as tf

log = logging.getLogger("audio_input")


class SpectrogramTransform:
    """Callable transform; its Python statements run once, when tf.data traces it."""

    def __init__(self, frame_length=512, frame_step=128, throttle_s=0.005):
        self.frame_length = frame_length
        self.frame_step = frame_step
        self.throttle_s = throttle_s
        self.calls = 0

    def __call__(self, wave, label):
        self.calls += 1
        log.info("computing spectrogram #%d", self.calls)
        time.sleep(self.throttle_s)  # meant to throttle reads from the audio service
        spec = tf.signal.stft(wave, self.frame_length, self.frame_step)
        spec = tf.math.log1p(tf.abs(spec))
        return tf.image.resize(spec[..., tf.newaxis], (128, 128)), label


def make_dataset(batch_size=16, seconds=30, sample_rate=16000):
    rng = np.random.default_rng(23)
    waves = rng.standard_normal((12, seconds * sample_rate)).astype(np.float32)
    labels = rng.integers(0, 10, size=12)
    ds = tf.data.Dataset.from_tensor_slices((waves, labels)).repeat()
    ds = ds.map(SpectrogramTransform(), num_parallel_calls=4)
    return ds.batch(batch_size).prefetch(1)
