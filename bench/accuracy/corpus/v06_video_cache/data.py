"""Imitates an action-recognition repository: frames are read with OpenCV VideoCapture
inside tf.numpy_function starting at a random temporal offset drawn with tf.random, and
the clip dataset is cached to a file afterwards."""
import cv2
import numpy as np
import tensorflow as tf

CLIP_LEN = 16
SIZE = 112


def read_frames(path, start):
    cap = cv2.VideoCapture(path.decode("utf-8"))
    cap.set(cv2.CAP_PROP_POS_FRAMES, int(start))
    frames = []
    while len(frames) < CLIP_LEN:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(cv2.resize(frame, (SIZE, SIZE)))
    cap.release()
    while len(frames) < CLIP_LEN:
        frames.append(np.zeros((SIZE, SIZE, 3), np.uint8))
    return np.stack(frames).astype(np.float32) / 255.0


def load_clip(path, num_frames, label):
    start = tf.random.uniform([], 0, tf.maximum(num_frames - CLIP_LEN, 1), dtype=tf.int64)
    clip = tf.numpy_function(read_frames, [path, start], tf.float32)
    clip.set_shape([CLIP_LEN, SIZE, SIZE, 3])
    return clip, label


def build(paths, frame_counts, labels, cache_file="/tmp/ucf101_train.cache"):
    ds = tf.data.Dataset.from_tensor_slices((paths, frame_counts, labels))
    ds = ds.map(load_clip, num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101
    ds = ds.cache(cache_file)  # expect: TFP005
    return ds.shuffle(512).batch(8).prefetch(tf.data.AUTOTUNE)
