"""Imitates a multimodal (image-caption) repository with several from_generator sources:
one decodes images with PIL and tokenises captions per item, one reads JSON annotation
files, and two only yield rows already in memory (a DataFrame and a dict of lists)."""
import json
import os

import numpy as np
import pandas as pd
import tensorflow as tf
from PIL import Image

MAX_TOKENS = 32


def caption_pairs(root, vocab):
    def gen():
        with open(os.path.join(root, "captions.txt")) as f:
            for line in f:
                name, caption = line.rstrip("\n").split("\t", 1)
                img = np.asarray(Image.open(os.path.join(root, name)).convert("RGB").resize((224, 224)))
                ids = [vocab.get(w, 1) for w in caption.lower().split()][:MAX_TOKENS]
                ids += [0] * (MAX_TOKENS - len(ids))
                yield img, np.array(ids, np.int32)
    return gen


def annotation_records(ann_dir):
    for name in sorted(os.listdir(ann_dir)):
        with open(os.path.join(ann_dir, name)) as f:
            rec = json.load(f)
        yield rec["file_name"], len(rec["objects"])


def captions_ds(root, vocab):
    return tf.data.Dataset.from_generator(  # expect: TFP104
        caption_pairs(root, vocab),
        output_signature=(tf.TensorSpec([224, 224, 3], tf.uint8), tf.TensorSpec([MAX_TOKENS], tf.int32)),
    )


def annotations_ds(ann_dir):
    return tf.data.Dataset.from_generator(  # expect: TFP104
        annotation_records, args=[ann_dir],
        output_signature=(tf.TensorSpec([], tf.string), tf.TensorSpec([], tf.int32)),
    )


def dataframe_ds(df: pd.DataFrame):
    def rows():
        for _, row in df.iterrows():
            yield row["path"], row["label"]
    return tf.data.Dataset.from_generator(rows, output_types=(tf.string, tf.int64))


def dict_ds(columns):
    def rows():
        for path, label in zip(columns["path"], columns["label"]):
            yield {"path": path, "label": label}
    return tf.data.Dataset.from_generator(
        rows, output_signature={"path": tf.TensorSpec([], tf.string), "label": tf.TensorSpec([], tf.int64)})
