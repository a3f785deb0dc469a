"""Imitates the loader half of a U-Net repo: plain generator functions that open and
decode image/mask pairs with PIL per element (a train and a validation variant),
and a random flip helper using TF ops."""
import os

import numpy as np
import tensorflow as tf
from PIL import Image

INPUT_SHAPE = (256, 256)


def _pair_paths(root):
    names = sorted(os.listdir(os.path.join(root, "images")))
    return [(os.path.join(root, "images", n), os.path.join(root, "masks", n)) for n in names]


def train_generator(root="data/train"):
    for img_path, mask_path in _pair_paths(root):
        img = Image.open(img_path).convert("RGB").resize(INPUT_SHAPE)
        mask = Image.open(mask_path).convert("L").resize(INPUT_SHAPE)
        yield (np.asarray(img, np.float32) / 255.0,
               (np.asarray(mask, np.float32) > 127).astype(np.float32)[..., None])


def validation_generator(root="data/val"):
    yield from train_generator(root)


def random_flip(input_image, input_mask):
    if tf.random.uniform(()) > 0.5:
        input_image = tf.image.flip_left_right(input_image)
        input_mask = tf.image.flip_left_right(input_mask)

    return input_image, input_mask


def normalize(input_image, input_mask):
    input_image = tf.cast(input_image, tf.float32) / 255.0
    return input_image, input_mask
