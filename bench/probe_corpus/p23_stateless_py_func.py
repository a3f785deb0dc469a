"""Legacy TF1-style pipeline: a py_func declared stateless, with no num_parallel_calls."""

import numpy as np
import tensorflow as tf

VOCAB = 30000
SEQ = 128


def _corpus(n=64, seed=31):
    rng = np.random.default_rng(seed)
    return [rng.integers(0, VOCAB, size=24000).astype(np.int64) for _ in range(n)]


def mask_tokens(ids, mask_prob=0.15, seed_base=1234):
    """BERT-style masking and span packing, token by token in Python."""
    ids = ids.tolist()
    state = (seed_base + ids[0]) & 0xFFFFFFFF
    inputs, targets, spans = [], [], []
    run = 0
    for tok in ids:
        state = (1103515245 * state + 12345) & 0x7FFFFFFF
        r = state / 0x7FFFFFFF
        if r < mask_prob:
            inputs.append(103)
            targets.append(tok)
            run += 1
        else:
            inputs.append(tok % VOCAB)
            targets.append(-100)
            if run:
                spans.append(run)
                run = 0
    longest = max(spans) if spans else 0
    return (np.asarray(inputs[:SEQ], dtype=np.int64), np.asarray(targets[:SEQ], dtype=np.int64),
            np.int64(longest))


def input_fn(batch_size):
    data = np.stack(_corpus())
    ds = tf.data.Dataset.from_tensor_slices(data).repeat()
    ds = ds.map(lambda x: tf.compat.v1.py_func(mask_tokens, [x], [tf.int64, tf.int64, tf.int64],
                                               stateful=False))
    return ds.batch(batch_size)


def make_dataset(batch_size=32):
    return input_fn(batch_size)
