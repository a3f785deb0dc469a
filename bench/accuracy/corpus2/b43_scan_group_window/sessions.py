"""Imitates a clickstream/session-modelling repo using less common transformations:
`Dataset.scan` for a running count (with a debug print in the scan function),
`group_by_window` keyed on user id, and `reduce` for a total."""
import tensorflow as tf


def running_count(state, elem):
    print("scan step traced")  # settled reading 9: a message without element values, silent
    new_state = state + 1
    return new_state, {"pos": new_state, **elem}


def key_by_user(elem):
    return tf.cast(elem["user"] % 64, tf.int64)


def sessions(users, items, window=32):
    ds = tf.data.Dataset.from_tensor_slices({"user": users, "item": items})
    ds = ds.scan(tf.constant(0, tf.int64), running_count)
    ds = ds.group_by_window(key_func=key_by_user,
                            reduce_func=lambda key, w: w.batch(window),
                            window_size=window)
    total = ds.reduce(tf.constant(0, tf.int64), lambda acc, b: acc + tf.size(b["item"], out_type=tf.int64))
    return ds, total
