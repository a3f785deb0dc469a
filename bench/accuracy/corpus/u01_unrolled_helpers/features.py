"""Imitates a speech-feature repository that computes delta features and per-band
statistics in traced helpers with Python loops of various lengths."""
import tensorflow as tf

N_BANDS = 40
N_DELTA = 2
HARMONICS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
             17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32]


def band_energy(spec):
    out = []
    for b in range(N_BANDS):  # expect: TFP004
        out.append(tf.reduce_mean(spec[:, b]))
    return tf.stack(out)


def deltas(spec):
    feats = [spec]
    for _ in range(N_DELTA):
        feats.append(feats[-1][1:] - feats[-1][:-1])
    return feats


def harmonic_sum(spec):
    total = tf.zeros_like(spec[:, 0])
    for h in HARMONICS:  # expect: TFP004
        total += spec[:, h]
    return total


def short_window(spec):
    acc = spec
    for _ in range(31):
        acc = acc + 0.0
    return acc


def long_window(spec):
    acc = spec
    for k in range(32):  # expect: TFP004
        acc = tf.roll(acc, shift=k, axis=0)
    return acc


def features(spec, label):
    return (band_energy(spec), harmonic_sum(spec), short_window(spec), long_window(spec),
            deltas(spec)[0]), label


def make(specs, labels):
    ds = tf.data.Dataset.from_tensor_slices((specs, labels))
    return ds.map(features, num_parallel_calls=tf.data.AUTOTUNE)
