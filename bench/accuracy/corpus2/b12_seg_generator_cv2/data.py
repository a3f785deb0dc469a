"""Imitates a DeepLab-style semantic-segmentation repo: a generator *factory* that
reads and resizes images/masks with OpenCV per element, `from_generator` with the old
output_types/output_shapes keywords split over lines, a callable Augment *class
instance* mapped with AUTOTUNE, and a TFRecord branch whose decode fn prints."""
import cv2
import numpy as np
import tensorflow as tf

IMAGE_SIZE = (512, 512)
BATCH_SIZE = 4
PALETTE = {(0, 0, 0): 0, (128, 0, 0): 1, (0, 128, 0): 2}


def read_image(path):
    img = cv2.imread(path)[:, :, ::-1]
    img = cv2.resize(img, (IMAGE_SIZE[1], IMAGE_SIZE[0]))
    return img.astype(np.float32) / 127.5 - 1


def _convert_to_segmentation_mask(mask_path):
    rgb = cv2.imread(mask_path)[:, :, ::-1]
    out = np.zeros(rgb.shape[:2], np.float32)
    for color, idx in PALETTE.items():
        out[np.all(rgb == np.array(color), axis=-1)] = idx
    return out


class Augment(tf.keras.layers.Layer):
    def __init__(self, seed=42):
        super().__init__()
        self.flip = tf.keras.layers.RandomFlip(mode="horizontal", seed=seed)

    def call(self, inputs, labels):
        return self.flip(inputs), labels


def generator_fn(image_list, mask_list):
    """Return a function that returns a generator."""

    def generator():
        for im_path, mask_path in zip(image_list, mask_list):
            mask = _convert_to_segmentation_mask(mask_path)
            mask = cv2.resize(mask, (IMAGE_SIZE[1], IMAGE_SIZE[0]), interpolation=cv2.INTER_AREA)
            image = read_image(im_path)
            yield image, np.expand_dims(mask, axis=-1)

    return generator


def data_generator(image_list, mask_list):
    gen = generator_fn(image_list, mask_list)
    dataset = tf.data.Dataset.from_generator(gen, output_types=(tf.float32, tf.float32)  # expect: TFP104
                                             , output_shapes=(
            (IMAGE_SIZE[0], IMAGE_SIZE[1], 3), (IMAGE_SIZE[0], IMAGE_SIZE[1], 1)))
    dataset = dataset.map(Augment(), num_parallel_calls=tf.data.AUTOTUNE)
    dataset = dataset.batch(BATCH_SIZE, drop_remainder=True)
    return dataset


def tfrecord_decode(tf_record):
    features = {
        'image/encoded': tf.io.FixedLenFeature([], tf.string),
        'image/segmentation/class/encoded': tf.io.FixedLenFeature([], tf.string),
    }
    parsed = tf.io.parse_single_example(tf_record, features)
    print("decoding record", tf_record)  # expect: TFP001
    image = tf.image.decode_jpeg(parsed['image/encoded'], channels=3)
    mask = tf.image.decode_png(parsed['image/segmentation/class/encoded'], channels=1)
    return tf.cast(image, tf.float32) / 127.5 - 1, tf.cast(mask, tf.float32)


def record_dataset(pattern):
    ds = tf.data.TFRecordDataset(tf.io.gfile.glob(pattern))
    ds = ds.map(tfrecord_decode, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(BATCH_SIZE, drop_remainder=True)
