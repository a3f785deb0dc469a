"""Imitates a U-Net segmentation repository (TF 1.x eager era) whose dataset is built
from a Python generator that reads and pads image/mask pairs with OpenCV and NumPy."""
import os

import cv2
import numpy as np
import tensorflow as tf


def get_train_generator(directory, img_dir="images", mask_dir="masks"):
    def train_generator():
        img_root = os.path.join(directory, img_dir)
        mask_root = os.path.join(directory, mask_dir)
        for name in sorted(os.listdir(img_root)):
            x = cv2.imread(os.path.join(img_root, name), cv2.IMREAD_GRAYSCALE)
            y = cv2.imread(os.path.join(mask_root, name), cv2.IMREAD_GRAYSCALE)
            x = np.pad(x, ((13, 14), (13, 14)), mode="symmetric").astype(np.float32) / 255.0
            y = (np.pad(y, ((13, 14), (13, 14)), mode="symmetric") > 127).astype(np.float32)
            yield x[..., None], y[..., None]

    return train_generator


def make_dataset(directory, batch_size=4):
    gen = get_train_generator(directory)
    ds = tf.data.Dataset.from_generator(  # expect: TFP104
        gen,
        output_signature=(
            tf.TensorSpec([128, 128, 1], tf.float32),
            tf.TensorSpec([128, 128, 1], tf.float32),
        ),
    )
    return ds.shuffle(64).batch(batch_size)
