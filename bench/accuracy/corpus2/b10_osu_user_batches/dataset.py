"""Imitates a rhythm-game skill-modelling repo: per-(user, batch) cached .npz files
loaded inside a py_function, a nested `func` defined inside the wrapper, `int()` on
tensors inside the Python body, `tf.ensure_shape`, and an interleave over
`from_tensor_slices(wrapped(x))` with AUTOTUNE. Also a stray `tf.random.shuffle`
whose result is discarded (a real wart)."""
import os

import numpy as np
import tensorflow as tf

CACHE_DIR = os.environ.get("SKILL_CACHE", "cache/user_batches")
N_COLUMNS = 9


def linear_fit(x, y):
    m, c = np.polyfit(x, y, 1)
    return m, c


def user_batch_dataset(user, batch):
    blob = np.load(os.path.join(CACHE_DIR, f"{user}_{batch}.npz"))
    hit_object_data = blob["objects"].astype("float32")
    hit_errors = blob["errors"].astype("float32")
    if len(hit_errors) > 2:
        m, c = linear_fit(hit_errors, hit_object_data[:, -1, 0])
        implied = (hit_errors - c) / m
        return hit_object_data, implied.astype("float32")
    return (np.zeros((0, 5, N_COLUMNS), dtype="float32"), np.zeros((0,), dtype="float32"))


def wrapped_user_batch_dataset(user_batch):
    def func(user_batch):
        return user_batch_dataset(int(user_batch[0]), int(user_batch[1]))

    py_func = tf.py_function(
        func,
        [user_batch],
        [tf.float32, tf.float32]
    )

    return (
        tf.ensure_shape(py_func[0], (None, 5, N_COLUMNS)),
        tf.ensure_shape(py_func[1], (None,))
    )


def _make_dataset(user_batches):
    tf.random.shuffle(user_batches)

    dataset =  tf.data.Dataset.from_tensor_slices(user_batches)

    return dataset.interleave(  # expect: TFP101, TFP103
        lambda x: tf.data.Dataset.from_tensor_slices(wrapped_user_batch_dataset(x)),
        cycle_length=4,
        num_parallel_calls=tf.data.AUTOTUNE,
        deterministic=False,
    )


def make_datasets(train_pairs, val_pairs, batch_size=256):
    train = _make_dataset(train_pairs).shuffle(10000).batch(batch_size)
    val = _make_dataset(val_pairs).batch(batch_size)
    return train.prefetch(2), val.prefetch(2)
