"""Imitates Keras metric helpers wrapping sklearn scorers with `tf.compat.v1.py_func`
and an MPI parameter sync -- py_func outside any tf.data transformation."""
import tensorflow as tf
from sklearn.metrics import balanced_accuracy_score, roc_auc_score


def auc(y_true, y_pred):
    return tf.compat.v1.py_func(roc_auc_score, (y_true, y_pred), tf.double)


def balanced_accuracy(y_true, y_pred):
    return tf.compat.v1.py_func(
        balanced_accuracy_score, (y_true, tf.round(y_pred)), tf.double
    )


def sync_params(flat, comm):
    def _broadcast(x):
        comm.Bcast(x, root=0)
        return x
    return tf.compat.v1.py_func(_broadcast, [flat], tf.float32)
