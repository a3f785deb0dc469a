"""Imitates a university deep-learning assignment ("Subtask 1b"): filter out small images
*before* decoding with a `tf.py_func` over `functools.partial(_filter_size, ...)` that
opens each file with PIL to read its size (I/O), then a parallel tf-native parse map
with a partial. `filter` takes no num_parallel_calls, so only TFP101."""
import glob
import os
from functools import partial

import tensorflow as tf
from PIL import Image

IMAGE_SIZE = 64


def _labels_from_file_names(file_list):
    return [int(os.path.basename(f).split("_")[0]) for f in file_list]


def _filter_size(filename, size_threshold):
    with Image.open(filename.decode()) as im:
        w, h = im.size
    return w * h >= size_threshold


def _parse_function(filename, label, im_size):
    image = tf.image.decode_png(tf.read_file(filename), channels=3)
    image = tf.image.resize_images(image, [im_size, im_size])
    return image, label


def create_dataset(path):
    file_list = glob.glob(os.path.join(path, '*.png'))  # list of filename strings
    labels = _labels_from_file_names(file_list)         # get list of labels corresponding to images
    dataset = tf.data.Dataset.from_tensor_slices((tf.convert_to_tensor(file_list), tf.convert_to_tensor(labels)))

    #####Start Subtask 1b#####

    # Filter too small images - Filter before reading the image content
    dataset_filtered_names = dataset.filter(lambda filename, label:  # expect: TFP101
                                            tf.py_func(
                                                partial(_filter_size, size_threshold=900),  # function to apply
                                                [filename],  # list of intput tensors to function
                                                [tf.bool]))  # list of tf data types of what is returned
    #####End Subtask#####

    # Parse image from filename
    dataset = dataset_filtered_names.map(
        partial(_parse_function, im_size=IMAGE_SIZE),
        num_parallel_calls=12)
    return dataset
