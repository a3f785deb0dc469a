"""Imitates a medical-imaging `DatasetBuilder` class that keeps the dataset on
`self.dataset` and applies one transformation per helper method (`_read`,
`_augment`, `_finalize`), called in order from `build()`. The read step uses a
numpy_function with nibabel (file read + NumPy), no num_parallel_calls; the
augment step draws tf.random numbers with num_parallel_calls; then a cache."""
import nibabel as nib
import numpy as np
import tensorflow as tf


def _load_nii(path):
    vol = nib.load(path.decode()).get_fdata().astype(np.float32)
    return (vol - vol.mean()) / (vol.std() + 1e-6)


class VolumeDatasetBuilder:
    def __init__(self, paths, labels, batch_size=2):
        self.dataset = tf.data.Dataset.from_tensor_slices((paths, labels))
        self.batch_size = batch_size

    def _read(self):
        def read(path, label):
            vol = tf.numpy_function(_load_nii, [path], tf.float32)
            vol.set_shape([None, None, None])
            return vol, label
        self.dataset = self.dataset.map(read)  # expect: TFP101, TFP105

    def _augment(self):
        def aug(vol, label):
            k = tf.random.uniform((), 0, 4, dtype=tf.int32)
            vol = tf.image.rot90(vol, k)
            return vol, label
        self.dataset = self.dataset.map(aug, num_parallel_calls=tf.data.AUTOTUNE)

    def _finalize(self):
        self.dataset = self.dataset.cache()  # expect: TFP005
        self.dataset = self.dataset.padded_batch(self.batch_size).prefetch(1)

    def build(self):
        self._read()
        self._augment()
        self._finalize()
        return self.dataset
