"""Imitates a Kaggle segmentation kernel: albumentations transforms applied through
tf.numpy_function, then `.cache()` to "speed up" the second epoch."""
import albumentations as A
import numpy as np
import tensorflow as tf

AUTO = tf.data.experimental.AUTOTUNE

transforms = A.Compose([
    A.HorizontalFlip(p=0.5),
    A.ShiftScaleRotate(shift_limit=0.05, scale_limit=0.1, rotate_limit=15, p=0.5),
    A.RandomBrightnessContrast(p=0.3),
])


def _aug_fn(image, mask):
    out = transforms(image=image, mask=mask)
    return out["image"].astype(np.float32), out["mask"].astype(np.float32)


def process_data(image, mask):
    aug_img, aug_mask = tf.numpy_function(_aug_fn, [image, mask], [tf.float32, tf.float32])
    return aug_img, aug_mask


def read_pair(img_path, mask_path):
    img = tf.io.decode_png(tf.io.read_file(img_path), channels=3)
    mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1)
    return img, mask


def get_train_ds(img_paths, mask_paths, batch=16):
    ds = tf.data.Dataset.from_tensor_slices((img_paths, mask_paths))
    ds = ds.map(read_pair, num_parallel_calls=AUTO)
    ds = ds.map(process_data, num_parallel_calls=AUTO).cache()  # expect: TFP101, TFP005
    return ds.shuffle(256).batch(batch).prefetch(AUTO)


def get_valid_ds(img_paths, mask_paths, batch=16):
    ds = tf.data.Dataset.from_tensor_slices((img_paths, mask_paths))
    ds = ds.map(read_pair, num_parallel_calls=AUTO).cache()
    return ds.batch(batch)
