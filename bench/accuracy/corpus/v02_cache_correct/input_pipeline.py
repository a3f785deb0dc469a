"""Imitates the corrected twin of the tutorial pipeline (cache the decoded images, then
augment per epoch) plus the benchmark idiom that caches one element of fake data."""
import tensorflow as tf

AUTOTUNE = tf.data.experimental.AUTOTUNE


def decode(path, label):
    img = tf.io.decode_png(tf.io.read_file(path), channels=3)
    img = tf.image.convert_image_dtype(img, tf.float32)
    return tf.image.resize(img, [224, 224]), label


def random_augment(img, label):
    img = tf.image.random_flip_left_right(img)
    img = tf.image.random_crop(tf.image.resize_with_crop_or_pad(img, 240, 240), [224, 224, 3])
    img = tf.image.random_saturation(img, 0.7, 1.3)
    return img, label


def train_input(paths, labels, batch_size):
    ds = tf.data.Dataset.from_tensor_slices((paths, labels))
    ds = ds.map(decode, num_parallel_calls=AUTOTUNE)
    ds = ds.cache()
    ds = ds.shuffle(4096, reshuffle_each_iteration=True)
    ds = ds.map(random_augment, num_parallel_calls=AUTOTUNE)
    return ds.batch(batch_size, drop_remainder=True).prefetch(AUTOTUNE)


def synthetic_input(batch_size):
    image = tf.random.uniform([224, 224, 3])
    label = tf.constant(3, tf.int64)
    ds = tf.data.Dataset.from_tensors((image, label))
    ds = ds.take(1).cache().repeat()
    return ds.batch(batch_size)
