"""Pipeline module of the segmentation package: volumes are loaded through
tf.numpy_function (nibabel + NumPy), then augmented with the traced helpers."""
import tensorflow as tf

from . import volume_io as vio
from .augment import flip_axes, random_patch
from .augment import slice_jitter as jitter


def _load_pair(img_path, lab_path):
    vol = tf.numpy_function(vio.load_volume, [img_path], tf.float32)
    lab = tf.numpy_function(vio.load_label, [lab_path], tf.int32)
    vol.set_shape([None, None, None, 1])
    lab.set_shape([None, None, None])
    return vol, lab


def get_dataset(img_paths, lab_paths, batch_size=2, training=True):
    ds = tf.data.Dataset.from_tensor_slices((img_paths, lab_paths))
    ds = ds.map(_load_pair)  # expect: TFP101, TFP105
    if training:
        ds = ds.map(random_patch, num_parallel_calls=tf.data.AUTOTUNE)
        ds = ds.map(jitter, num_parallel_calls=tf.data.AUTOTUNE)
        ds = ds.map(flip_axes, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
