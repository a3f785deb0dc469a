"""Imitates a document-binarisation Keras layer that calls skimage thresholds through
`tf.numpy_function` inside `call()` -- py_function use outside tf.data
(must not fire), plus `logging.info` inside the layer (not a traced tf.data fn)."""
import logging

import numpy as np
import tensorflow as tf
from skimage.filters import threshold_otsu, threshold_sauvola


class Binarize(tf.keras.layers.Layer):
    def __init__(self, method="otsu", window_size=25, **kwargs):
        super().__init__(**kwargs)
        self.method = method
        self.window_size = window_size

    def call(self, inputs):
        processed_input = tf.image.rgb_to_grayscale(inputs[..., :3])
        processed_input = tf.cast(processed_input, tf.float32)
        if self.method == 'otsu':
            def otsu_thresh(image):
                thresh = threshold_otsu(image)
                return ((image > thresh) * 1).astype(np.float32)

            binarized = tf.numpy_function(otsu_thresh, [processed_input], tf.float32)
        else:
            def sauvola_thresh(image):
                thresh = threshold_sauvola(image, window_size=self.window_size)
                return ((image > thresh) * 1).astype(np.float32)

            logging.info("sauvola is slow, prefer otsu")
            binarized = tf.numpy_function(sauvola_thresh, [processed_input], tf.float32)
        binarized.set_shape(processed_input.shape)
        return binarized
