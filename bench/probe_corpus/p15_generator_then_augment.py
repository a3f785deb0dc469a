"""Synthetic trajectory data for a motion model: a Python simulator feeds a cheap TF stage."""

import math
import random

import numpy as np
import tensorflow as tf

AUTOTUNE = tf.data.experimental.AUTOTUNE
STEPS = 450
N_AGENTS = 8


def simulate(seed=0):
    """Tiny particle simulator in pure Python: every step updates every agent with Python floats."""
    rng = random.Random(seed)
    while True:
        pos = [[rng.uniform(-10, 10), rng.uniform(-10, 10)] for _ in range(N_AGENTS)]
        vel = [[rng.gauss(0, 1), rng.gauss(0, 1)] for _ in range(N_AGENTS)]
        traj = []
        for _ in range(STEPS):
            for a in range(N_AGENTS):
                fx = fy = 0.0
                for b in range(N_AGENTS):
                    if a == b:
                        continue
                    dx, dy = pos[b][0] - pos[a][0], pos[b][1] - pos[a][1]
                    d2 = dx * dx + dy * dy + 0.1
                    inv = 1.0 / (d2 * math.sqrt(d2))
                    fx += dx * inv
                    fy += dy * inv
                vel[a][0] += 0.01 * fx
                vel[a][1] += 0.01 * fy
                pos[a][0] += 0.01 * vel[a][0]
                pos[a][1] += 0.01 * vel[a][1]
            traj.append([c for p in pos for c in p])
        yield np.asarray(traj, dtype=np.float32), np.int32(rng.random() < 0.5)


def to_model_inputs(traj, label):
    traj = tf.ensure_shape(traj, (STEPS, 2 * N_AGENTS))
    deltas = traj[1:] - traj[:-1]
    return {"positions": traj[1:], "deltas": deltas}, label


def make_dataset(batch_size=32):
    ds = tf.data.Dataset.from_generator(
        simulate,
        output_types=(tf.float32, tf.int32),
        output_shapes=((STEPS, 2 * N_AGENTS), ()),
    )
    ds = ds.map(to_model_inputs, num_parallel_calls=AUTOTUNE)
    ds = ds.filter(lambda x, y: tf.reduce_all(tf.math.is_finite(x["positions"])))
    return ds.batch(batch_size).prefetch(AUTOTUNE)
