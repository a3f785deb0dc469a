"""Imitates a phishing-URL / image-classifier repo where a class decorates its
per-element methods with `@tf.function`: one method calls `.numpy().decode()` on its
tensor argument (fails when traced), another logs via a module logger, a third
augments with tf.image random ops under AUTOTUNE (fine)."""
import logging

import numpy as np
import tensorflow as tf

logger = logging.getLogger(__name__)
_NUM_CLASSES = 2
_BATCH_SIZE = 64


class UrlDataLoader:
    def __init__(self, urls, labels):
        self.urls = urls
        self.labels = labels

    def extract_url_features(self, url):
        return [len(url), url.count("."), url.count("-"), int(url.startswith("https"))]

    @tf.function
    def _extract_and_transform_single(self, url_tensor, label_tensor):
        url = url_tensor.numpy().decode('utf-8')  # expect: TFP003
        feats = np.array(self.extract_url_features(url), dtype=np.float32)  # expect: TFP003
        return feats, tf.one_hot(label_tensor, _NUM_CLASSES)

    @tf.function
    def _augment(self, image, label):
        image = tf.image.random_flip_left_right(image)
        image = tf.image.random_contrast(image, 0.8, 1.2)
        return image, label

    @tf.function
    def _batch_logger(self, images, labels):
        logger.info("batch shapes %s %s", images.shape, labels.shape)  # settled reading 9: a message without element values, silent
        return images, labels

    def url_dataset(self):
        dataset = tf.data.Dataset.from_tensor_slices((self.urls, self.labels))
        dataset = dataset.map(self._extract_and_transform_single, num_parallel_calls=tf.data.AUTOTUNE)
        return dataset.batch(_BATCH_SIZE)

    def image_dataset(self, images, labels, augment=True):
        dataset = tf.data.Dataset.from_tensor_slices((images, labels))
        if augment:
            dataset = dataset.map(self._augment, num_parallel_calls=tf.data.experimental.AUTOTUNE)
        dataset = dataset.batch(_BATCH_SIZE)
        dataset = dataset.map(self._batch_logger, num_parallel_calls=tf.data.experimental.AUTOTUNE)
        dataset.prefetch(tf.data.experimental.AUTOTUNE)
        return dataset
