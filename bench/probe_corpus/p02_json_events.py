"""Click-stream model: each record is a JSON array of small event objects, aggregated per record."""

import json
import random

import numpy as np
import tensorflow as tf

N_FEATURES = 24
EVENT_TYPES = ["view", "click", "add_to_cart", "purchase", "scroll", "search", "share"]


def _fake_session(rng, n_events=4000):
    t = 1_700_000_000
    events = []
    for _ in range(n_events):
        t += rng.randint(1, 90)
        events.append({
            "ts": t,
            "type": rng.choice(EVENT_TYPES),
            "item": f"sku-{rng.randint(0, 5000)}",
            "price": round(rng.uniform(1, 300), 2),
            "meta": {"page": rng.randint(1, 20), "ref": rng.choice(["ads", "mail", "direct"])},
        })
    return json.dumps(events)


def parse_session(raw):
    events = json.loads(raw)
    counts = dict.fromkeys(EVENT_TYPES, 0)
    spend, pages, items = 0.0, set(), set()
    gaps = []
    prev = None
    for ev in events:
        counts[ev["type"]] += 1
        if ev["type"] == "purchase":
            spend += ev["price"]
        pages.add(ev["meta"]["page"])
        items.add(ev["item"])
        if prev is not None:
            gaps.append(ev["ts"] - prev)
        prev = ev["ts"]
    gaps.sort()
    feats = [counts[k] for k in EVENT_TYPES]
    feats += [spend, len(pages), len(items), len(events)]
    feats += [gaps[int(q * (len(gaps) - 1))] for q in (0.1, 0.25, 0.5, 0.75, 0.9)]
    feats += [sum(1 for g in gaps if g > 60), max(gaps), min(gaps)]
    feats += [0.0] * (N_FEATURES - len(feats))
    return np.asarray(feats[:N_FEATURES], dtype=np.float32)


def make_dataset(batch_size=64, num_parallel_calls=4):
    rng = random.Random(7)
    sessions = [_fake_session(rng) for _ in range(64)]

    ds = tf.data.Dataset.from_tensor_slices(sessions).repeat()
    ds = ds.map(lambda s: tf.numpy_function(parse_session, [s], tf.float32),
                num_parallel_calls=num_parallel_calls)
    ds = ds.map(lambda f: tf.math.log1p(tf.reshape(f, [N_FEATURES])), num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size).prefetch(1)
