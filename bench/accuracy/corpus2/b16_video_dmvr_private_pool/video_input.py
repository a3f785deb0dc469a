"""Imitates a video-classification repo (DMVR/Scenic-like) that decodes clips with
OpenCV inside a numpy_function and sets `options.experimental_threading.
private_threadpool_size = 48` on the same pipeline; a config dataclass drives it.
The Python body is video file reads + native decode. With the private pool set,
only TFP101 applies (no TFP103)."""
import dataclasses

import cv2
import numpy as np
import tensorflow as tf


@dataclasses.dataclass
class VideoConfig:
    num_frames: int = 16
    stride: int = 2
    size: int = 224
    batch_size: int = 8


def _read_clip(path, num_frames, stride, size):
    cap = cv2.VideoCapture(path.decode())
    frames = []
    while len(frames) < num_frames:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(cv2.resize(frame, (size, size))[:, :, ::-1])
        for _ in range(stride - 1):
            cap.grab()
    cap.release()
    while len(frames) < num_frames:
        frames.append(np.zeros((size, size, 3), np.uint8))
    return np.stack(frames)


def make_dataset(paths, labels, cfg: VideoConfig, is_training=True):
    ds = tf.data.Dataset.from_tensor_slices((paths, labels))
    if is_training:
        ds = ds.shuffle(len(paths)).repeat()

    def _decode(path, label):
        clip = tf.numpy_function(
            lambda p: _read_clip(p, cfg.num_frames, cfg.stride, cfg.size),
            [path], tf.uint8)
        clip.set_shape([cfg.num_frames, cfg.size, cfg.size, 3])
        return {"inputs": {"rgb": clip}, "label": label}

    ds = ds.map(_decode, num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101
    ds = ds.batch(cfg.batch_size, drop_remainder=is_training)
    options = tf.data.Options()
    options.experimental_threading.private_threadpool_size = 48
    ds = ds.with_options(options)
    return ds.prefetch(2)
