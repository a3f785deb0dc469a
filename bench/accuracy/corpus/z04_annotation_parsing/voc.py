"""Imitates a Faster R-CNN / VOC repository: annotation strings (one object per line,
"x1 y1 x2 y2 cls") are parsed in Python per element; one variant asks AUTOTUNE for it,
the evaluation variant has no num_parallel_calls; remote masks are fetched with urllib."""
import urllib.request

import numpy as np
import tensorflow as tf

CLASSES = ["aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat"]


def parse_objects(annotation):
    boxes = []
    for line in annotation.decode("utf-8").strip().splitlines():
        parts = line.split()
        if len(parts) != 5 or parts[4] not in CLASSES:
            continue
        x1, y1, x2, y2 = (float(v) for v in parts[:4])
        boxes.append([y1, x1, y2, x2, float(CLASSES.index(parts[4]))])
    return np.array(boxes or [[0, 0, 0, 0, -1]], dtype=np.float32)


def fetch_mask(url):
    with urllib.request.urlopen(url.decode("utf-8"), timeout=5) as resp:
        return np.frombuffer(resp.read(), dtype=np.uint8)


def _boxes(image_path, annotation):
    boxes = tf.numpy_function(parse_objects, [annotation], tf.float32)
    return image_path, boxes


def _mask(image_path, mask_url):
    return image_path, tf.numpy_function(fetch_mask, [mask_url], tf.uint8)


def train(paths, annotations):
    ds = tf.data.Dataset.from_tensor_slices((paths, annotations))
    return ds.map(_boxes, num_parallel_calls=tf.data.experimental.AUTOTUNE)  # expect: TFP101, TFP102


def evaluate(paths, annotations):
    ds = tf.data.Dataset.from_tensor_slices((paths, annotations))
    return ds.map(_boxes)  # expect: TFP101


def masks(paths, urls):
    ds = tf.data.Dataset.from_tensor_slices((paths, urls))
    return ds.map(_mask, num_parallel_calls=tf.data.experimental.AUTOTUNE)  # expect: TFP101, TFP103


def masks_sequential(paths, urls):
    ds = tf.data.Dataset.from_tensor_slices((paths, urls))
    return ds.map(_mask, num_parallel_calls=1)  # expect: TFP101, TFP105
