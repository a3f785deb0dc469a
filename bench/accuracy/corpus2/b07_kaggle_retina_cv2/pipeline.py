"""Imitates a Kaggle APTOS/diabetic-retinopathy kernel: Ben Graham OpenCV preprocessing
inside a numpy_function, an optional label argument (`label=None`), two branches
mapping the same wrapper (a lambda and the def itself), tf-native random flips after,
then a cache of the augmented data in the training branch."""
import cv2
import numpy as np
import pandas as pd
import tensorflow as tf

IMG_SIZE = 320
N_CLASSES = 5


def load_ben_color_bgr_to_rgb(path, sigma_x=10):
    img = cv2.imread(path)
    if img is None:
        return None
    img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    img = cv2.resize(img, (IMG_SIZE, IMG_SIZE))
    img = cv2.addWeighted(img, 4, cv2.GaussianBlur(img, (0, 0), sigma_x), -4, 128)
    return img.astype(np.float32) / 255.0


def augment_tf(img, label):
    img = tf.image.random_flip_left_right(img)
    img = tf.image.random_flip_up_down(img)
    img = tf.image.random_brightness(img, 0.1)
    return img, label


## === cell 3
def make_dataset(df, img_dir, training):
    paths = (img_dir + "/" + df["id_code"].astype(str) + ".png").values
    labels = None
    if "diagnosis" in df.columns:
        labels = df["diagnosis"].values.astype(np.int32)

    def _load_py(path):
        path = path.decode("utf-8")
        img = load_ben_color_bgr_to_rgb(path)
        if img is None:
            img = np.zeros((IMG_SIZE, IMG_SIZE, 3), dtype=np.float32)
        return img

    def _map_fn(path, label=None):
        img = tf.numpy_function(_load_py, [path], Tout=tf.float32)
        img.set_shape((IMG_SIZE, IMG_SIZE, 3))
        if label is None:
            return img
        label_oh = tf.one_hot(label, depth=N_CLASSES, dtype=tf.float32)
        return img, label_oh

    if labels is None:
        ds = tf.data.Dataset.from_tensor_slices(paths)
        ds = ds.map(lambda p: _map_fn(p, None), num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101
    else:
        ds = tf.data.Dataset.from_tensor_slices((paths, labels))
        ds = ds.map(_map_fn, num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101

    if training:
        ds = ds.map(augment_tf, num_parallel_calls=tf.data.AUTOTUNE)
        ds = ds.cache()  # expect: TFP005
        ds = ds.shuffle(1024)
    return ds.batch(16).prefetch(tf.data.AUTOTUNE)


## === cell 4
train_df = pd.read_csv("../input/aptos2019-blindness-detection/train.csv")
train_ds = make_dataset(train_df, "../input/aptos2019-blindness-detection/train_images", True)
