"""Imitates a medical-imaging (MRI volumes cached as .npy) Kaggle kernel with separate
train and eval builders; someone added a private thread pool to the *eval* builder
only. The train pipeline keeps the cap: TFP101 + TFP103 there, TFP101 alone in eval."""
import numpy as np
import tensorflow as tf

IMAGE_SIZE = 128
CACHE = "/kaggle/working/npy"


def _disk_cache_path(split, sid):
    return f"{CACHE}/{split}/{sid}.npy"


def _py_load_from_npy(scan_id, split):
    sid = scan_id.numpy().decode("utf-8")
    x = np.load(_disk_cache_path(split.numpy().decode(), sid), allow_pickle=False)
    return x.astype(np.float32, copy=False)[..., np.newaxis]


def _map_x(scan_id, split):
    x = tf.py_function(func=_py_load_from_npy, inp=[scan_id, split], Tout=tf.float32)
    x.set_shape((IMAGE_SIZE, IMAGE_SIZE, 64, 1))
    return x


def train_dataset(ids, labels, batch=4):
    ds = tf.data.Dataset.from_tensor_slices((ids, labels))
    ds = ds.shuffle(len(ids), seed=12, reshuffle_each_iteration=True)
    ds = ds.map(lambda s, y: (_map_x(s, "train"), y), num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101, TFP103
    return ds.batch(batch).prefetch(tf.data.AUTOTUNE)


def eval_dataset(ids, batch=4):
    opts = tf.data.Options()
    opts.threading.private_threadpool_size = 16
    ds = tf.data.Dataset.from_tensor_slices(ids).with_options(opts)
    ds = ds.map(lambda s: _map_x(s, "test"), num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101
    return ds.batch(batch)
