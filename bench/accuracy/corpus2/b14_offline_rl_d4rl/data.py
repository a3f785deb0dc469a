"""Imitates an offline-RL (D4RL + Acme) repo: `from tensorflow import data as tf_data`,
a namedtuple element, one long chained expression with odd line breaks ending in
prefetch; NumPy preprocessing with Python `map` beforehand. Expected: nothing."""
import collections

import numpy as np
from tensorflow import data as tf_data

Inputs = collections.namedtuple("Inputs", ["data"])


def _as_f32(xs):
    return list(map(np.float32, xs))


def create_d4rl_env_and_dataset(task_name, batch_size, raw):
    states = np.array(raw['observations'], dtype=np.float32)
    actions = np.array(raw['actions'], dtype=np.float32)
    rewards = np.array(raw['rewards'], dtype=np.float32)
    discounts = np.array(np.logical_not(raw['terminals']), dtype=np.float32)
    next_states = np.array(raw['next_observations'], dtype=np.float32)
    scale = _as_f32([1.0, 0.99])

    dataset = tf_data.Dataset.from_tensor_slices(
        Inputs(data=(states, actions, rewards * scale[0], discounts * scale[1], next_states))
        ).cache().shuffle(
            states.shape[0], reshuffle_each_iteration=True
            ).repeat().batch(
              batch_size, drop_remainder=True
            ).prefetch(tf_data.experimental.AUTOTUNE)
    return task_name, dataset
