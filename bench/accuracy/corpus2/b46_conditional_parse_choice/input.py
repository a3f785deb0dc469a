"""Imitates a pose/landmark regression repo choosing its parse function by mode
(`parse_fn = _parse_train if training else _parse_eval`); the train branch jitters
landmarks with NumPy inside a numpy_function (native NumPy), mapped without
num_parallel_calls. The eval parse is tf-native."""
import numpy as np
import tensorflow as tf

N_POINTS = 68


def _jitter_np(points):
    noise = np.random.normal(0.0, 0.01, size=points.shape).astype(np.float32)
    return np.clip(points + noise, 0.0, 1.0)


def _decode(serialized):
    ex = tf.io.parse_single_example(serialized, {
        "image": tf.io.FixedLenFeature([], tf.string),
        "points": tf.io.FixedLenFeature([N_POINTS * 2], tf.float32)})
    img = tf.image.resize(tf.io.decode_jpeg(ex["image"], channels=3), (128, 128))
    return img, tf.reshape(ex["points"], (N_POINTS, 2))


def _parse_train(serialized):
    img, pts = _decode(serialized)
    pts = tf.numpy_function(_jitter_np, [pts], tf.float32)
    pts.set_shape((N_POINTS, 2))
    return img, pts


def _parse_eval(serialized):
    return _decode(serialized)


def get_input(files, training, batch=32):
    parse_fn = _parse_train if training else _parse_eval
    ds = tf.data.TFRecordDataset(files)
    ds = ds.map(parse_fn)  # expect: TFP101, TFP105
    if training:
        ds = ds.shuffle(4096).repeat()
    return ds.batch(batch, drop_remainder=training)
