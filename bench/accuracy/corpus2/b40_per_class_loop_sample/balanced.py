"""Imitates a class-imbalanced image-classification repo: one dataset per class built in
a `for` loop (each with a random-augmenting map), collected in a list, combined with
`tf.data.Dataset.sample_from_datasets`, then cached -- freezing the augmentation.
TFP005 here needs data flow through a list + sample_from_datasets (LABELING2 R5)."""
import os

import tensorflow as tf

IMG = 160
AUTOTUNE = tf.data.AUTOTUNE


def load_and_augment(path, label):
    img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
    img = tf.image.resize(img, (IMG, IMG))
    img = tf.image.random_brightness(img, 0.2)
    img = tf.image.random_flip_left_right(img)
    return img / 255.0, label


def balanced_dataset(root, class_names, batch_size=32):
    per_class = []
    for idx, name in enumerate(class_names):
        pattern = os.path.join(root, name, "*.jpg")
        class_ds = (tf.data.Dataset.list_files(pattern, shuffle=True)
                    .map(lambda p, i=idx: (p, i))
                    .map(load_and_augment, num_parallel_calls=AUTOTUNE)
                    .repeat())
        per_class.append(class_ds)

    weights = [1.0 / len(class_names)] * len(class_names)
    mixed = tf.data.Dataset.sample_from_datasets(per_class, weights=weights, seed=42)
    mixed = mixed.take(20000).cache()  # expect: TFP005
    return mixed.batch(batch_size).prefetch(AUTOTUNE)
