"""Imitates a reinforcement-learning / recsys repository that registers a dataset with
the tf.data service once and lets trainers read it by id. The source is a generator over
in-memory replay records."""
import tensorflow as tf
from tensorflow import data as tfdata


def replay_records(buffer):
    def gen():
        for obs, action, reward in buffer:
            yield obs, action, reward
    return gen


def register(buffer, dispatcher_address):
    ds = tf.data.Dataset.from_generator(
        replay_records(buffer),
        output_signature=(tf.TensorSpec([84, 84, 4], tf.uint8),
                          tf.TensorSpec([], tf.int32),
                          tf.TensorSpec([], tf.float32)),
    )
    ds = ds.batch(64)
    dataset_id = tfdata.experimental.service.register_dataset(dispatcher_address, ds)  # expect: TFP301
    return dataset_id


def consume(dataset_id, dispatcher_address, element_spec):
    return tfdata.experimental.service.from_dataset_id(
        processing_mode="parallel_epochs",
        service=dispatcher_address,
        dataset_id=dataset_id,
        element_spec=element_spec,
    )
