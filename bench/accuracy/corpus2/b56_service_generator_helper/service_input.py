"""Imitates a Horovod/Spark-style helper that monkey-patches a `send_to_data_service`
method and a training input that starts from `from_generator` over a Petastorm-like
reader yielding in-memory rows. The generator itself is fine (no TFP104), but a
from_generator pipeline sent to tf.data service cannot run there (TFP301)."""
import contextlib

import tensorflow as tf


@contextlib.contextmanager
def tf_data_service(address):
    yield address


def send_to_data_service(dataset, address, reuse_dataset=False):
    with tf_data_service(address) as dispatcher_address:
        return dataset.apply(tf.data.experimental.service.distribute(
            processing_mode="distributed_epoch",
            service=dispatcher_address,
            job_name="job" if reuse_dataset else None))


tf.data.Dataset.send_to_data_service = send_to_data_service


class RowReader:
    def __init__(self, rows):
        self.rows = rows

    def __iter__(self):
        return iter(self.rows)


def training_input(rows, address):
    reader = RowReader(rows)
    ds = tf.data.Dataset.from_generator(lambda: reader,
                                        output_signature=tf.TensorSpec([8], tf.float32))
    ds = ds.batch(64)
    ds = ds.apply(tf.data.experimental.service.distribute(  # expect: TFP301
        processing_mode="distributed_epoch", service=address))
    return ds
