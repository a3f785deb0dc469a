"""A py_function/numpy_function passes its function the values of `inp`: a parameter given a constant there
holds it on every call, so the branch it rules out adds no evidence to the body's class (as in traced code).
Here an I/O body with a pure-Python loop behind `if augment:` is I/O-bound (TFP103) when `False` is passed,
and of undecided class (TFP101 alone) when the loop may run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.snippets import last_line_findings

HEADER = '''import numpy as np
import tensorflow as tf


def shuffle_pairs(data, n):
    pairs = []
    for i in range(n):
        for j in range(i + 1, n):
            pairs.append((i, j))
    return data, pairs


def load(path, augment, n=4):
    data = np.load(path)
    if augment:
        data, _ = shuffle_pairs(data, n)
    return data


def load_negated(path, augment):
    data = np.load(path)
    if not augment:
        data, _ = shuffle_pairs(data, 4)
    return data


def load_default(path, augment=False):
    data = np.load(path)
    if augment:
        data, _ = shuffle_pairs(data, 4)
    return data


def load_through(path):
    return load(path, False)


class Loader:
    def read(self, path, augment):
        data = np.load(path)
        if augment:
            data, _ = shuffle_pairs(data, 4)
        return data


def make(paths, flags):
    ds = tf.data.Dataset.from_tensor_slices(paths)
'''


def _codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, callback: str) -> set[str]:
    """The findings on a parallel map whose function is `lambda p: <callback>`."""
    body = f"    return ds.map(lambda p: {callback}, num_parallel_calls=8)"
    return {f.code for f in last_line_findings(tmp_path, monkeypatch, HEADER, body)}


@pytest.mark.parametrize(
    "callback",
    [
        "tf.numpy_function(load, [p, False], tf.float32)",
        "tf.py_function(func=load, inp=[p, 0], Tout=tf.float32)",
        "tf.numpy_function(load_negated, [p, True], tf.float32)",
        "tf.numpy_function(load_default, [p], tf.float32)",
        "tf.numpy_function(load_through, [p], tf.float32)",
        "tf.py_function(Loader().read, [p, False], tf.float32)",
    ],
    ids=["false", "zero-keyword", "negated-true", "default", "callee-constant", "method"],
)
def test_a_branch_ruled_out_by_a_constant_adds_no_evidence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, callback: str
) -> None:
    assert _codes(tmp_path, monkeypatch, callback) == {"TFP101", "TFP103"}


@pytest.mark.parametrize(
    "callback",
    [
        "tf.numpy_function(load, [p, True], tf.float32)",
        "tf.numpy_function(load_negated, [p, False], tf.float32)",
        "tf.py_function(Loader().read, [p, True], tf.float32)",
        # Not a constant: the flag is whatever the caller of `make` passes.
        "tf.numpy_function(load, [p, flags], tf.float32)",
        # `inp` is not a list the analysis can read: nothing is assumed about the parameters.
        "tf.numpy_function(load, flags, tf.float32)",
    ],
    ids=["true", "negated-false", "method-true", "unknown-flag", "unknown-inp"],
)
def test_a_branch_that_may_run_keeps_its_evidence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, callback: str
) -> None:
    assert _codes(tmp_path, monkeypatch, callback) == {"TFP101"}
