"""Imitates a TF1 screenshot-classifier script: a class with a @staticmethod `parse`
passed to `tf.contrib.data.map_and_batch`, prefetch/repeat/shuffle in odd order,
commented-out lines, a one-shot iterator, and a debugging `print` inside `parse`
(map_and_batch's function is traced -- LABELING2.md A1)."""
import os

import tensorflow as tf


class DataSet_Name:
    @staticmethod
    def parse(path, name):
        image_string = tf.read_file(path)
        print("parse called for", name)  # expect: TFP001
        image = tf.image.decode_png(image_string, channels=3)
        image = tf.image.resize_images(image, [300, 300])
        return image, name


def get_batch(args):
    image_names = sorted(os.listdir(args.data_dir))
    img_path = [os.path.join(args.data_dir, name) for name in image_names]

    dataset = tf.data.Dataset.from_tensor_slices((img_path, image_names))

    dataset = dataset.shuffle(buffer_size=len(image_names))

    #batch process
    # dataset = dataset.prefetch(buffer_size=args.batch_size*10)
    dataset = dataset.prefetch(buffer_size=args.batch_size)
    dataset = dataset.repeat(1)
    dataset = dataset.shuffle(buffer_size=512)

    dataset = dataset.apply(tf.contrib.data.map_and_batch(DataSet_Name.parse, batch_size=args.batch_size))
    iterator = dataset.make_one_shot_iterator()
    image, name = iterator.get_next()

    # reshape to get batch size
    screen_size = 300
    image = tf.reshape(image, [args.batch_size, screen_size, screen_size, 3])
    name = tf.reshape(name, [args.batch_size, 1])

    return image, name
