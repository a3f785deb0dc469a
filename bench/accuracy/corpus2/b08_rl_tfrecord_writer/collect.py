"""Imitates a Ray + TF2 PPO repo that writes rollouts to TFRecord: `serialize_sample`
builds a tf.train.Example in Python, wrapped by `tf.py_function` and mapped over a
from_tensor_slices dataset without num_parallel_calls (the TF TFRecord-tutorial
pattern), then written with TFRecordWriter. Ray remote elsewhere."""
import numpy as np
import ray
import tensorflow as tf

RESERVED_GATHERING_CPUS = 2


def _bytes_feature(value):
    if isinstance(value, type(tf.constant(0))):
        value = value.numpy()
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=[value]))


def _float_feature(value):
    return tf.train.Feature(float_list=tf.train.FloatList(value=[value]))


def serialize_sample(s, a, ap, r, adv):
    feature = {
        "state": _bytes_feature(tf.io.serialize_tensor(s)),
        "action": _bytes_feature(tf.io.serialize_tensor(a)),
        "action_prob": _float_feature(ap),
        "return": _float_feature(r),
        "advantage": _float_feature(adv),
    }

    # Create a Features message using tf.train.Example.
    example_proto = tf.train.Example(features=tf.train.Features(feature=feature))
    return example_proto.SerializeToString()


def tf_serialize_example(sample):
    tf_string = tf.py_function(serialize_sample, (sample["state"],
                                                  sample["action"],
                                                  sample["action_prob"],
                                                  sample["return"],
                                                  sample["advantage"],), tf.string)
    return tf.reshape(tf_string, ())


@ray.remote(num_cpus=RESERVED_GATHERING_CPUS)
def collect(model, horizon, env_name, discount, lam, pid):
    states = np.zeros((horizon, 8), np.float32)
    actions = np.zeros((horizon,), np.int64)
    probs = np.ones((horizon,), np.float32)
    returns = np.zeros((horizon,), np.float32)
    advantages = np.zeros((horizon,), np.float32)

    dataset = tf.data.Dataset.from_tensor_slices({
        "state": states, "action": actions, "action_prob": probs,
        "return": returns, "advantage": advantages,
    })
    dataset = dataset.map(tf_serialize_example)  # expect: TFP101, TFP105

    path = f"/tmp/rollouts/{env_name}_{pid}.tfrecord"
    with tf.io.TFRecordWriter(path) as writer:
        for record in dataset:
            writer.write(record.numpy())
    return path
