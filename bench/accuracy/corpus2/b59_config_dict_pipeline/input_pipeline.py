"""Imitates a config-driven training framework: a nested config dict supplies reader
options, the number of parallel calls (`cfg["data"]["num_workers"]`, unknown
statically), shuffle sizes and which augmentation to use, chosen from a registry dict.
The registered augmentation uses tf.image random ops; a cache follows when
`cfg["data"]["cache"]` is set."""
import tensorflow as tf

CONFIG = {
    "data": {"pattern": "gs://bucket/train-*", "num_workers": 8, "shuffle": 4096,
             "augment": "flip_crop", "cache": True, "batch": 128},
}


def flip_crop(image, label):
    image = tf.image.random_flip_left_right(image)
    image = tf.image.random_crop(tf.image.resize_with_crop_or_pad(image, 40, 40), (32, 32, 3))
    return image, label


def identity(image, label):
    return image, label


AUGMENTATIONS = {"flip_crop": flip_crop, "none": identity}


def decode(record):
    ex = tf.io.parse_single_example(record, {"img": tf.io.FixedLenFeature([], tf.string),
                                             "label": tf.io.FixedLenFeature([], tf.int64)})
    image = tf.reshape(tf.io.decode_raw(ex["img"], tf.uint8), (32, 32, 3))
    return tf.cast(image, tf.float32) / 255.0, ex["label"]


def build(cfg=CONFIG):
    dcfg = cfg["data"]
    files = tf.data.Dataset.list_files(dcfg["pattern"])
    ds = files.interleave(tf.data.TFRecordDataset, num_parallel_calls=dcfg["num_workers"])
    ds = ds.map(decode, num_parallel_calls=dcfg["num_workers"])
    ds = ds.map(AUGMENTATIONS[dcfg["augment"]], num_parallel_calls=dcfg["num_workers"])
    if dcfg["cache"]:
        ds = ds.cache()
    return ds.shuffle(dcfg["shuffle"]).batch(dcfg["batch"])
