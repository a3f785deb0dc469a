"""ImageNet-style training input: decode+random-crop (heavy, native ops), then a cheap normalisation."""

import os
import tempfile

import numpy as np
import tensorflow as tf

MEAN_RGB = [0.485 * 255, 0.456 * 255, 0.406 * 255]
STDDEV_RGB = [0.229 * 255, 0.224 * 255, 0.225 * 255]


class ImageNetInput:
    def __init__(self, data_dir, image_size=224, is_training=True):
        self.data_dir = data_dir
        self.image_size = image_size
        self.is_training = is_training

    def _decode_and_random_crop(self, path):
        image_bytes = tf.io.read_file(path)
        shape = tf.io.extract_jpeg_shape(image_bytes)
        bbox = tf.constant([0.0, 0.0, 1.0, 1.0], dtype=tf.float32, shape=[1, 1, 4])
        begin, size, _ = tf.image.sample_distorted_bounding_box(
            shape, bounding_boxes=bbox, min_object_covered=0.1, aspect_ratio_range=(0.75, 1.33),
            area_range=(0.5, 1.0), max_attempts=10, use_image_if_no_bounding_boxes=True)
        offset_y, offset_x, _ = tf.unstack(begin)
        target_h, target_w, _ = tf.unstack(size)
        window = tf.stack([offset_y, offset_x, target_h, target_w])
        image = tf.io.decode_and_crop_jpeg(image_bytes, window, channels=3)
        image = tf.image.resize(image, [self.image_size, self.image_size], method="bilinear")
        return tf.image.random_flip_left_right(image)

    def _normalize(self, image):
        image -= tf.constant(MEAN_RGB, shape=[1, 1, 3], dtype=image.dtype)
        image /= tf.constant(STDDEV_RGB, shape=[1, 1, 3], dtype=image.dtype)
        return tf.cast(image, tf.bfloat16)

    def input_fn(self, batch_size):
        files = tf.data.Dataset.list_files(os.path.join(self.data_dir, "*.JPEG"), shuffle=True)
        ds = files.repeat()
        ds = ds.map(self._decode_and_random_crop, num_parallel_calls=tf.data.AUTOTUNE)
        ds = ds.map(self._normalize, num_parallel_calls=tf.data.AUTOTUNE)
        return ds.batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)


def _write_images(root, n=40, size=(900, 1200)):
    rng = np.random.default_rng(21)
    yy, xx = np.mgrid[0:size[0], 0:size[1]]
    grain = rng.integers(-25, 25, size=size + (3,), dtype=np.int16)
    for i in range(n):
        base = np.stack([(xx // (i + 2)) % 256, (yy // 3 + i * 9) % 256, (xx * yy // 97) % 256], axis=-1)
        img = np.clip(base + np.roll(grain, 131 * i, axis=0), 0, 255).astype(np.uint8)
        tf.io.write_file(os.path.join(root, f"n0144{i:04d}.JPEG"), tf.io.encode_jpeg(img, quality=90))
    return root


def make_dataset(batch_size=32):
    root = _write_images(tempfile.mkdtemp(prefix="imagenet_"))
    return ImageNetInput(root).input_fn(batch_size)
