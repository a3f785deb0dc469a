"""Music transcription data: note sequences rendered to piano rolls by a Python generator."""

import random

import numpy as np
import tensorflow as tf

STEPS_PER_SECOND = 50
N_PITCHES = 88
WINDOW_STEPS = 256


class NoteSequence:
    def __init__(self, notes, total_time):
        self.notes = notes  # list of (pitch, velocity, start, end)
        self.total_time = total_time


def _random_sequence(rng, n_notes=260):
    notes, t = [], 0.0
    for _ in range(n_notes):
        t += rng.expovariate(8.0)
        dur = rng.uniform(0.05, 1.5)
        notes.append((rng.randint(21, 108), rng.randint(20, 127), t, t + dur))
    return NoteSequence(notes, t + 2.0)


def sequence_to_pianoroll(seq, steps_per_second=STEPS_PER_SECOND):
    n_steps = int(seq.total_time * steps_per_second) + 1
    roll = [[0.0] * N_PITCHES for _ in range(n_steps)]
    onsets = [[0.0] * N_PITCHES for _ in range(n_steps)]
    for pitch, velocity, start, end in seq.notes:
        p = pitch - 21
        s, e = int(start * steps_per_second), int(end * steps_per_second)
        onsets[s][p] = 1.0
        for step in range(s, min(e + 1, n_steps)):
            roll[step][p] = max(roll[step][p], velocity / 127.0)
    return roll, onsets


def pianoroll_windows(seed=0):
    rng = random.Random(seed)
    while True:
        seq = _random_sequence(rng)
        roll, onsets = sequence_to_pianoroll(seq)
        start = rng.randrange(0, max(1, len(roll) - WINDOW_STEPS))
        frames = roll[start:start + WINDOW_STEPS]
        yield (np.asarray(frames, dtype=np.float32),
               np.asarray(onsets[start:start + WINDOW_STEPS], dtype=np.float32))


def make_dataset(batch_size=16):
    ds = tf.data.Dataset.from_generator(
        pianoroll_windows,
        output_signature=(
            tf.TensorSpec(shape=(None, N_PITCHES), dtype=tf.float32),
            tf.TensorSpec(shape=(None, N_PITCHES), dtype=tf.float32),
        ),
    )
    ds = ds.map(lambda roll, onsets: (tf.ensure_shape(roll, (WINDOW_STEPS, N_PITCHES)),
                                      {"frames": roll > 0.0, "onsets": onsets}),
                num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
