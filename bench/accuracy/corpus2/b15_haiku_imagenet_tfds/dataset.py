"""Imitates a JAX/Haiku ImageNet example: tfds with SkipDecoding, options object with
private_threadpool_size, cache *before* the random crop map, a batch loop over
`reversed(batch_dims)`, an Enum for the mode. Expected: nothing (stateful random map
has num_parallel_calls; cache precedes it)."""
import enum
from collections.abc import Generator, Sequence

import jax
import numpy as np
import tensorflow as tf
import tensorflow_datasets as tfds

MEAN_RGB = (0.485 * 255, 0.456 * 255, 0.406 * 255)


class Split(enum.Enum):
    TRAIN = 1
    TEST = 2


def _decode_and_random_crop(image_bytes):
    shape = tf.image.extract_jpeg_shape(image_bytes)
    bbox = tf.constant([0.0, 0.0, 1.0, 1.0], dtype=tf.float32, shape=[1, 1, 4])
    begin, size, _ = tf.image.sample_distorted_bounding_box(
        shape, bounding_boxes=bbox, min_object_covered=0.1,
        aspect_ratio_range=(3 / 4, 4 / 3), area_range=(0.08, 1.0),
        max_attempts=10, use_image_if_no_bounding_boxes=True)
    offset_y, offset_x, _ = tf.unstack(begin)
    h, w, _ = tf.unstack(size)
    window = tf.stack([offset_y, offset_x, h, w])
    return tf.image.decode_and_crop_jpeg(image_bytes, window, channels=3)


def _preprocess_image(example, is_training):
    image = _decode_and_random_crop(example["image"]) if is_training else \
        tf.image.decode_jpeg(example["image"], channels=3)
    image = tf.image.resize(image, [224, 224])
    if is_training:
        image = tf.image.random_flip_left_right(image)
    image = (image - tf.constant(MEAN_RGB)) / 58.0
    return {"images": image, "labels": example["label"]}


def load(split: Split, *, is_training: bool, batch_dims: Sequence[int]) -> Generator:
    ds = tfds.load("imagenet2012:5.*.*", split="train" if split == Split.TRAIN else "validation",
                   decoders={"image": tfds.decode.SkipDecoding()})
    total_batch_size = np.prod(batch_dims)

    options = tf.data.Options()
    options.threading.private_threadpool_size = 48
    options.threading.max_intra_op_parallelism = 1
    if is_training:
        options.deterministic = False
    ds = ds.with_options(options)

    if is_training:
        if jax.process_count() > 1:
            ds = ds.cache()
        ds = ds.repeat()
        ds = ds.shuffle(buffer_size=10 * total_batch_size, seed=0)

    ds = ds.map(lambda ex: _preprocess_image(ex, is_training),
                num_parallel_calls=tf.data.experimental.AUTOTUNE)

    for batch_size in reversed(batch_dims):
        ds = ds.batch(batch_size)

    ds = ds.prefetch(tf.data.experimental.AUTOTUNE)
    yield from tfds.as_numpy(ds)
