"""Medical-imaging patches stored as .npy files on a network file system (high open latency)."""

import os
import tempfile
import time

import numpy as np
import tensorflow as tf

PATCH = (64, 64)


def _write_patches(root, n):
    rng = np.random.default_rng(5)
    paths, labels = [], []
    for i in range(n):
        p = os.path.join(root, f"patch_{i:05d}.npy")
        np.save(p, rng.standard_normal(PATCH).astype(np.float32))
        paths.append(p)
        labels.append(i % 10)
    return paths, labels


class ShardReader:
    """Reads one patch per call; every open on the NFS mount costs ~8 ms of waiting."""

    def __init__(self, nfs_latency_s=0.008):
        self.nfs_latency_s = nfs_latency_s

    def _read(self, path):
        time.sleep(self.nfs_latency_s)  # metadata round trip on the network mount
        with open(path.decode(), "rb") as fh:
            arr = np.load(fh)
        return arr.astype(np.float32)

    def load(self, path, label):
        patch = tf.numpy_function(self._read, [path], tf.float32, stateful=False)
        patch = tf.reshape(patch, PATCH + (1,))
        return patch, label


def make_dataset(batch_size=32, n_files=400, num_parallel_calls=8):
    root = tempfile.mkdtemp(prefix="nfs_patches_")
    paths, labels = _write_patches(root, n_files)
    reader = ShardReader()

    ds = tf.data.Dataset.from_tensor_slices((paths, labels))
    ds = ds.shuffle(n_files, reshuffle_each_iteration=True).repeat()
    ds = ds.map(reader.load, num_parallel_calls=num_parallel_calls)
    ds = ds.filter(lambda patch, label: label < 8)
    return ds.batch(batch_size).prefetch(1)
