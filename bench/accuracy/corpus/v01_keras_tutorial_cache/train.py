"""Imitates a Keras image-classification tutorial (flowers / cats-vs-dogs) as copied into
many downstream repositories: augmentation mapped first, then cached."""
import tensorflow as tf

AUTOTUNE = tf.data.AUTOTUNE
IMG_SIZE = 180


def resize_rescale(image, label):
    image = tf.image.resize(image, [IMG_SIZE, IMG_SIZE])
    return tf.cast(image, tf.float32) / 255.0, label


def augment(image, label):
    image = tf.image.random_flip_left_right(image)
    image = tf.image.random_brightness(image, max_delta=0.1)
    image = tf.image.random_contrast(image, 0.8, 1.2)
    return tf.clip_by_value(image, 0.0, 1.0), label


def prepare(ds, shuffle=False, augment_data=False):
    ds = ds.map(resize_rescale, num_parallel_calls=AUTOTUNE)
    if shuffle:
        ds = ds.shuffle(1000)
    if augment_data:
        ds = ds.map(augment, num_parallel_calls=AUTOTUNE).cache()  # expect: TFP005
    return ds.batch(32).prefetch(AUTOTUNE)


def main(data_dir):
    train = tf.data.Dataset.list_files(data_dir + "/train/*/*.jpg")
    train = train.map(lambda p: (tf.io.decode_jpeg(tf.io.read_file(p), channels=3),
                                 tf.strings.split(p, "/")[-2] == "dog"),
                      num_parallel_calls=AUTOTUNE)
    # receiver is a function parameter here; the map carries num_parallel_calls
    train_ds = prepare(train, shuffle=True, augment_data=True)
    return train_ds
