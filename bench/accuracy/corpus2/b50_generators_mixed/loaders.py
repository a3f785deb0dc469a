"""Imitates a Kaggle tabular+image competition notebook: one generator that lists the
image folder and decodes each image with keras `load_img` plus a pandas lookup per
element (TFP104), one that yields rows already held in memory (fine), and one that
yields file paths from a glob done once in the loop header (fine)."""
import glob
import os

import numpy as np
import pandas as pd
import tensorflow as tf

IMAGES_PATH = "../input/petfinder/train/"
CSV_PATH = "../input/petfinder/train.csv"
relevant_columns = ["Subject Focus", "Eyes", "Face", "Near", "Action", "Accessory",
                    "Group", "Collage", "Human", "Occlusion", "Info", "Blur"]
metadata_csv = pd.read_csv(CSV_PATH)
ROWS = metadata_csv[relevant_columns].values.astype(np.float32)
TARGETS = metadata_csv["Pawpularity"].values.astype(np.float32)


def pythonic_loader_train():
    for i in os.listdir(IMAGES_PATH):
        img = tf.keras.utils.load_img(path=IMAGES_PATH + i, color_mode="rgb", target_size=(256, 256))
        img = np.array(img).astype(np.float32) / 255.0
        metadata = metadata_csv[metadata_csv["Id"] == i[:-4]]
        features = metadata[relevant_columns].values[0].astype(np.float32)
        yield {"Image": img, "Feature": features}, metadata["Pawpularity"].values[0]


def tabular_rows():
    for row, target in zip(ROWS, TARGETS):
        yield row, target


def image_paths():
    for p in sorted(glob.glob(IMAGES_PATH + "*.jpg")):
        yield p


## === cell 2
train_loader = tf.data.Dataset.from_generator(  # expect: TFP104
    pythonic_loader_train,
    output_signature=(
        {
            "Image": tf.TensorSpec(shape=(256, 256, 3), dtype=tf.float32),
            "Feature": tf.TensorSpec(shape=(12,), dtype=tf.float32),
        },
        tf.TensorSpec(shape=(), dtype=tf.float32),
    ),
)

tab_loader = tf.data.Dataset.from_generator(
    tabular_rows,
    output_signature=(tf.TensorSpec(shape=(12,), dtype=tf.float32),
                      tf.TensorSpec(shape=(), dtype=tf.float32)))

path_loader = tf.data.Dataset.from_generator(image_paths, output_signature=tf.TensorSpec((), tf.string))
