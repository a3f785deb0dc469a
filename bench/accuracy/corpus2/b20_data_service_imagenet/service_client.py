"""Imitates a tf.data-service benchmark client (absl app): builds the ImageNet input
from a sibling module and `apply`s `tf.data.experimental.service.distribute` with a
dispatcher address from FLAGS. The pipeline is tf-native, so no TFP301."""
import time

import tensorflow as tf
from absl import app, flags
from imagenet_input import input_fn

FLAGS = flags.FLAGS
flags.DEFINE_string('dispatcher_ip', 'localhost', 'Dispatcher address.')
flags.DEFINE_integer('batch_size', 256, 'Global batch.')
flags.DEFINE_integer('num_epochs', 1, 'The number of epochs.')

data_dir = '/data/imagenet/tfrecords'


def make_dataset():
    ds = input_fn(
        is_training=True,
        data_dir=data_dir,
        batch_size=FLAGS.batch_size,
        dtype=tf.float16,
        datasets_num_private_threads=4,  # 32
        drop_remainder=False,
        dataset_repeat=False
    )
    return ds


def main(argv):
    del argv

    dataset = make_dataset()

    # tf-data service
    dataset = dataset.apply(tf.data.experimental.service.distribute(
        processing_mode="distributed_epoch", service="grpc://" + FLAGS.dispatcher_ip + ":31000",
        max_outstanding_requests=8))

    @tf.function
    def process_epoch(dataset):
        for _ in dataset:
            pass

    for _ in range(FLAGS.num_epochs):
        start = time.time()
        process_epoch(dataset)
        print(f'Epoch took: {time.time() - start}')


if __name__ == '__main__':
    app.run(main)
