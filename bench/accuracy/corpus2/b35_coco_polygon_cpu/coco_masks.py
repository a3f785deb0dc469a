"""Imitates an instance-segmentation repo that keeps COCO annotations in a Python dict
and rasterises polygons per element in a py_function (pure-Python scanline loops over
vertices), mapped with `tf.data.AUTOTUNE`. CPU-bound Python at AUTOTUNE."""
import json

import numpy as np
import tensorflow as tf

with open("annotations/instances_train.json") as _f:
    _COCO = json.load(_f)
ANNS = {}
for _a in _COCO["annotations"]:
    ANNS.setdefault(_a["image_id"], []).append(_a)


def _polygon_area(poly):
    area = 0.0
    n = len(poly) // 2
    for i in range(n):
        x1, y1 = poly[2 * i], poly[2 * i + 1]
        x2, y2 = poly[(2 * i + 2) % (2 * n)], poly[(2 * i + 3) % (2 * n)]
        area += x1 * y2 - x2 * y1
    return abs(area) / 2.0


def _rasterise(image_id, height, width):
    mask = [[0] * int(width) for _ in range(int(height))]
    for ann in ANNS.get(int(image_id), []):
        for poly in ann["segmentation"]:
            if _polygon_area(poly) < 4.0:
                continue
            ys = poly[1::2]
            for y in range(int(min(ys)), int(max(ys)) + 1):
                xs = poly[0::2]
                for x in range(int(min(xs)), int(max(xs)) + 1):
                    mask[y][x] = ann["category_id"]
    return np.array(mask, dtype=np.int32)


def load_example(image_id, path, height, width):
    image = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
    mask = tf.py_function(_rasterise, [image_id, height, width], tf.int32)
    mask.set_shape([None, None])
    return image, mask


def make_dataset(records):
    ids, paths, hs, ws = zip(*records)
    ds = tf.data.Dataset.from_tensor_slices((list(ids), list(paths), list(hs), list(ws)))
    ds = ds.map(load_example, num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101, TFP102
    return ds.padded_batch(4)
