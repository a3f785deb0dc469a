"""Imitates the TFDS "Training a neural network on MNIST" guide extended with an
augmentation map that the author added after the cache, without num_parallel_calls."""
import tensorflow as tf
import tensorflow_datasets as tfds


def normalize_img(image, label):
    return tf.cast(image, tf.float32) / 255.0, label


def augment(image, label):
    image = tf.image.resize_with_crop_or_pad(image, 34, 34)
    image = tf.image.random_crop(image, [28, 28, 1])
    image = tf.image.random_brightness(image, 0.2)
    return image, label


def get_data(batch_size=128):
    (ds_train, ds_test), ds_info = tfds.load(
        "mnist", split=["train", "test"], shuffle_files=True, as_supervised=True, with_info=True)
    ds_train = ds_train.map(normalize_img, num_parallel_calls=tf.data.AUTOTUNE)
    ds_train = ds_train.cache()
    ds_train = ds_train.shuffle(ds_info.splits["train"].num_examples)
    ds_train = ds_train.map(augment)  # expect: TFP105
    ds_train = ds_train.batch(batch_size).prefetch(tf.data.AUTOTUNE)

    ds_test = ds_test.map(normalize_img, num_parallel_calls=tf.data.AUTOTUNE)
    ds_test = ds_test.batch(batch_size).cache().prefetch(tf.data.AUTOTUNE)
    return ds_train, ds_test
