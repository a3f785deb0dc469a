"""Imitates a KerasCV object-detection training script reading JPEGs from S3 with boto3:
a py_function whose `func` is a lambda closing over the client and bucket, a
functools.partial map with AUTOTUNE, a dict element, ragged boxes. The Python body
is a network read (`get_object(...).read()`) followed by a PIL decode; read as
network-I/O-bound (LABELING2.md A3)."""
import pickle
from functools import partial
from io import BytesIO

import boto3
import numpy as np
import tensorflow as tf
from PIL import Image

BUCKET = "my-detection-data"


def load_dataset_dict(path):
    with open(path, "rb") as f:
        return pickle.load(f)


def read_from_s3(s3_client, bucket_name, key):
    response = s3_client.get_object(Bucket=bucket_name, Key=key)
    return response["Body"].read()


# --- TF Data Helpers ---
def load_image_from_s3(bucket_name, image_path, s3_client):
    object_key = image_path.numpy().decode("utf-8")
    raw = read_from_s3(s3_client, bucket_name, object_key)
    img = Image.open(BytesIO(raw)).convert("RGB")
    return np.array(img, dtype=np.float32)


def load_sample(image_path, classes, boxes, s3_client, bucket_name):
    image = tf.py_function(
        func=lambda path: load_image_from_s3(bucket_name, path, s3_client),
        inp=[image_path],
        Tout=tf.float32,
    )
    image.set_shape([None, None, 3])
    bounding_boxes = {
        "classes": tf.cast(classes, tf.int32),
        "boxes": tf.cast(boxes, tf.float32),
    }
    return {"images": image, "bounding_boxes": bounding_boxes}


def dict_to_tuple(sample):
    return sample["images"], sample["bounding_boxes"]


def main():
    meta = load_dataset_dict("train_meta.pkl")
    s3 = boto3.client("s3")
    paths = tf.ragged.constant(meta["paths"])
    classes = tf.ragged.constant(meta["classes"])
    boxes = tf.ragged.constant(meta["boxes"])
    train_ds = tf.data.Dataset.from_tensor_slices((meta["paths"], classes, boxes))
    train_ds = train_ds.shuffle(len(meta["paths"]))
    train_ds = train_ds.map(partial(load_sample, s3_client=s3, bucket_name=BUCKET),  # expect: TFP101, TFP103
                            num_parallel_calls=tf.data.AUTOTUNE)
    train_ds = train_ds.ragged_batch(8, drop_remainder=True)
    train_ds = train_ds.map(dict_to_tuple, num_parallel_calls=tf.data.AUTOTUNE)
    train_ds = train_ds.prefetch(tf.data.AUTOTUNE)
    return train_ds, paths


if __name__ == "__main__":
    main()
