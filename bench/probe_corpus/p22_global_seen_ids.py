"""Document-image OCR input: bookkeeping and a coin flip in plain Python inside the traced map."""

import random

import numpy as np
import tensorflow as tf

SEEN_IDS = []
PAGE = (1100, 850)


def _pages(n=12, seed=29):
    rng = np.random.default_rng(seed)
    pages = np.full((n,) + PAGE, 235, dtype=np.uint8)
    for i in range(n):
        rows = rng.integers(0, PAGE[0] - 20, 400)
        cols = rng.integers(0, PAGE[1] - 60, 400)
        for r, c in zip(rows, cols):
            pages[i, r:r + 12, c:c + 50] = 20
    return [tf.io.encode_png(p[..., None]).numpy() for p in pages]


def preprocess(doc_id, png):
    SEEN_IDS.append(doc_id)  # meant to log every page the model saw
    img = tf.io.decode_png(png, channels=1)
    if random.random() < 0.5:  # meant as a per-page augmentation
        img = tf.image.flip_left_right(img)
    img = tf.image.resize(img, (768, 576), antialias=True)
    return {"doc_id": doc_id, "image": tf.image.per_image_standardization(img)}


def make_dataset(batch_size=8):
    pngs = _pages()
    ids = np.arange(len(pngs), dtype=np.int64)
    ds = tf.data.Dataset.from_tensor_slices((ids, pngs)).repeat()
    ds = ds.map(preprocess)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
