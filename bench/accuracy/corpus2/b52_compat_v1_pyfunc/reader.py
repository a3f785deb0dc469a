"""Imitates a TF1->TF2 migrated repo that kept `tf.compat.v1`: a `tf.compat.v1.py_func`
reading a label file per element (I/O) inside a map with no num_parallel_calls,
`tf.compat.v1.data.make_one_shot_iterator`, `tf.compat.v1.logging` outside the map."""
import numpy as np
import tensorflow as tf


def _read_label_file(path):
    with open(path.decode() + ".txt") as fh:
        vals = [float(v) for v in fh.read().split()]
    return np.array(vals[:4], dtype=np.float32)


def parse(path):
    img = tf.image.decode_png(tf.io.read_file(path), channels=1)
    box = tf.compat.v1.py_func(_read_label_file, [path], tf.float32, stateful=False)
    box.set_shape([4])
    return img, box


def get_iterator(paths, batch):
    tf.compat.v1.logging.info("building iterator over %d files", len(paths))
    ds = tf.compat.v1.data.Dataset.from_tensor_slices(paths)
    ds = ds.map(parse)  # expect: TFP101, TFP105
    ds = ds.batch(batch)
    return tf.compat.v1.data.make_one_shot_iterator(ds)
