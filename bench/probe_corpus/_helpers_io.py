"""A fake object store / RPC layer: every request waits on the 'network' (time.sleep releases the GIL)."""

import functools
import hashlib
import time

import tensorflow as tf


class FakeObjectStore:
    """Stands in for GCS/S3: GET has a fixed round-trip latency, the payload comes from memory."""

    def __init__(self, blobs, latency_s=0.012):
        self._blobs = dict(blobs)
        self.latency_s = latency_s

    def get(self, key):
        if isinstance(key, bytes):
            key = key.decode()
        time.sleep(self.latency_s)  # network round trip
        return self._blobs[key]


def retry(times=3, backoff_s=0.05):
    def deco(fn):
        @functools.wraps(fn)
        def wrapped(*a, **kw):
            for attempt in range(times):
                try:
                    return fn(*a, **kw)
                except ConnectionError:
                    time.sleep(backoff_s * (attempt + 1))
            return fn(*a, **kw)
        return wrapped
    return deco


def py_function_op(Tout):
    """Wrap a Python function so it can be used in Dataset.map (as in the TF performance guide)."""

    def deco(fn):
        @functools.wraps(fn)
        def op(*tensors):
            return tf.py_function(fn, list(tensors), Tout)
        return op
    return deco


def remote_tokenize(text, endpoint="tok-svc:8500", latency_s=0.010, max_len=64):
    """Blocking call to a tokenizer micro-service: almost all of the time is spent waiting."""
    if hasattr(text, "numpy"):
        text = text.numpy()
    if isinstance(text, bytes):
        text = text.decode()
    time.sleep(latency_s)  # RPC to `endpoint`
    digest = hashlib.md5(text.encode()).digest()
    ids = [b % 200 + 3 for b in digest * (max_len // len(digest) + 1)][:max_len]
    return ids
