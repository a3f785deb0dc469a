"""Imitates a disentanglement-benchmark repo (dSprites/3dshapes in HDF5): a class used
only through @classmethods, a generator of random index batches for from_generator
(ids only), and `cls.read()` -- a *factory* returning the map function -- whose inner
py_function reads the HDF5 file in a Python loop. Labels need factory resolution
(LABELING2.md R2)."""
import h5py
import numpy as np
import tensorflow as tf


class Shapes3D:
    path = "data/3dshapes.h5"
    n_factors = 6
    factor_sizes = [10, 10, 10, 8, 4, 15]

    @classmethod
    def generator(cls):
        while True:
            factor = np.random.randint(cls.n_factors)
            value = np.random.randint(cls.factor_sizes[factor])
            idx = np.random.randint(0, 480000, size=(8,))
            for i in idx:
                yield i, factor, value

    @classmethod
    def read(cls):
        data = h5py.File(cls.path, 'r', swmr=True)['images']

        def wrapper(idx, factor, value):
            def inner(idx, factor, value):
                idx = np.asarray(idx)

                im = []
                for i in idx:
                    im.append(data[i])
                im = np.stack(im)
                return im / 255, factor, value
            return tf.py_function(inner, inp=[idx, factor, value], Tout=(tf.float32, tf.int64, tf.int64))

        return wrapper

    @classmethod
    def create(cls, batch_size):
        def dict_map(image, factor, value):
            image.set_shape((None, 64, 64, 3))
            factor.set_shape(())
            value.set_shape(())
            return {'image': image, 'factor': factor, 'factor_value': value}

        index = tf.data.Dataset.from_generator(cls.generator, (tf.int64, tf.int64, tf.int64))
        ds = index.batch(batch_size)
        ds = ds.map(cls.read(), num_parallel_calls=4)  # expect: TFP101, TFP103
        ds = ds.map(dict_map)
        return ds.prefetch(2)
