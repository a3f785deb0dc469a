"""Imitates the training script of the binarisation project: a tf-native image
pipeline whose map applies a native Keras Rescaling layer object, a model that uses
the py_func metrics, and the py_func Binarize layer used inside the model only. Expected: nothing."""
import tensorflow as tf
from nets.layers import Binarize
from nets.metrics import auc, balanced_accuracy

binarizer = Binarize(method="otsu")
rescale = tf.keras.layers.Rescaling(1.0 / 255)


def load(path, label):
    img = tf.io.decode_png(tf.io.read_file(path), channels=3)
    return tf.image.resize(img, (512, 512)), label


def make_ds(paths, labels):
    ds = tf.data.Dataset.from_tensor_slices((paths, labels))
    ds = ds.map(load, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(lambda x, y: (rescale(x), y))
    return ds.batch(8)


model = tf.keras.Sequential([binarizer, tf.keras.layers.Conv2D(8, 3), tf.keras.layers.GlobalAveragePooling2D(),
                             tf.keras.layers.Dense(1, activation="sigmoid")])
model.compile("adam", "binary_crossentropy", metrics=[auc, balanced_accuracy])
