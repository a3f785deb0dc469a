"""Imitates a gaze-estimation repo that builds a tiny dataset per element *inside* an
interleave lambda and maps a py_function parser on it (nested map, AUTOTUNE), then
caches; plus a CSV shard reader with nested maps without num_parallel_calls."""
import numpy as np
import tensorflow as tf
from PIL import Image


def _load_pair(face_path, binary_path):
    face = np.asarray(Image.open(face_path.numpy().decode()).resize((224, 224)), np.float32)
    binary = np.asarray(Image.open(binary_path.numpy().decode()).convert("L").resize((224, 224)), np.float32)
    return face / 255.0, binary[..., None] / 255.0


def tf_parse_function(x, y, z):
    face, binary = tf.py_function(_load_pair, [x, y], [tf.float32, tf.float32])
    face.set_shape((224, 224, 3))
    binary.set_shape((224, 224, 1))
    gazepoint = tf.reshape(z, (2,))
    return {"channel1_input": face, "channel2_input": binary}, gazepoint


def create_dataset(face_paths, binary_paths, gaze_points, batch_size=16):
    dataset = tf.data.Dataset.from_tensor_slices((face_paths, binary_paths, gaze_points))

    # Apply interleaving to read multiple files in parallel
    dataset = dataset.interleave(
        lambda x, y, z: tf.data.Dataset.from_tensors((x, y, z)).map(tf_parse_function, num_parallel_calls=tf.data.AUTOTUNE),  # expect: TFP101
        cycle_length=4,  # Number of input elements processed concurrently
        block_length=1,
        num_parallel_calls=tf.data.AUTOTUNE
    )

    # Cache the dataset to improve performance
    dataset = dataset.cache()
    dataset = dataset.shuffle(buffer_size=len(face_paths))
    return dataset.batch(batch_size)


def csv_shards(files):
    lines = tf.data.Dataset.from_tensor_slices(files).interleave(
        lambda f: tf.data.TextLineDataset(f).skip(1).map(
            lambda l: tf.io.decode_csv(l, [0.0] * 8)),
        cycle_length=5, num_parallel_calls=tf.data.AUTOTUNE)
    return lines
