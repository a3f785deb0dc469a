"""TFP105 on maps of callable objects over TensorFlow Datasets splits, and its advice for Python maps.

`tfds.load` returns a dataset when given `split=`, a dict of datasets by split without it, a list of
datasets for a list of splits, and `(that, info)` with `with_info=True`: a subscript or an unpacked item of
any of them is a tf.data receiver. An instance of a class with `__call__` mapped over it runs its
`__call__`. A function picked from a container by a runtime value stays unknown (silent).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.snippets import last_line_findings
from tfpar_doctor.model import Finding

HEADER = '''import json

import tensorflow as tf
import tensorflow_datasets as tfds


class Jitter:
    def __init__(self, strength=0.2, **kwargs):
        self.strength = strength

    def __call__(self, image, label):
        return tf.image.random_brightness(image, self.strength), label


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def read(path):
    return tf.numpy_function(_read, [path], tf.string)


'''


def _last_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> list[Finding]:
    return last_line_findings(tmp_path, monkeypatch, HEADER, body)


@pytest.mark.parametrize(
    ("body", "fires"),
    [
        ('ds = tfds.load("mnist", split="train", as_supervised=True)\nout = ds.map(Jitter())', True),
        ('splits = tfds.load("mnist", as_supervised=True)\nout = splits["train"].map(Jitter())', True),
        ('splits, info = tfds.load("mnist", with_info=True)\nout = splits["test"].map(Jitter())', True),
        ('train, test = tfds.load("mnist", split=["train", "test"])\nout = test.map(Jitter())', True),
        ('out = tfds.load("mnist")["train"].shuffle(100).map(Jitter())', True),
        ('out = tfds.builder("mnist").as_dataset()["train"].map(Jitter())', True),
        # a name bound in two branches, one of them what tfds.load returns (the other is not a dataset)
        ("def load(name, local):\n    if local:\n        splits = json.load(open(name)), 0\n"
         "    else:\n        splits = tfds.load(name, with_info=True)\n"
         '    return splits[0]["train"].map(Jitter())', True),
        ("def load(name, local):\n    if local:\n        splits, total = json.load(open(name)), 0\n"
         "    else:\n        splits, info = tfds.load(name, with_info=True)\n"
         '    return splits["train"].map(Jitter())', True),
        # one instance through a name, built with **kwargs
        ('def make(**kw):\n    jitter = Jitter(**kw)\n'
         '    return tfds.load("mnist", split="train").map(jitter)', True),
        # neither branch is tf.data
        ('def load(name, local):\n    splits = json.load(open(name)) if local else {}\n'
         '    return splits["train"].map(Jitter())', False),
        ('splits = json.load(open("splits.json"))\nout = splits["train"].map(Jitter())', False),
        # a function picked from a container by a runtime value is unknown
        ('JITTERS = {"a": Jitter(), "b": Jitter(0.5)}\n\ndef make(kind):\n'
         '    return tfds.load("mnist", split="train").map(JITTERS[kind])', False),
        ('def make(i):\n    jitters = [Jitter(), Jitter(0.5)]\n'
         '    return tfds.load("mnist", split="train").map(jitters[i])', False),
        # parallel already
        ('out = tfds.load("mnist", split="train").map(Jitter(), num_parallel_calls=tf.data.AUTOTUNE)', False),
    ],
)
def test_callable_instance_over_tfds_splits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, fires: bool
) -> None:
    codes = {f.code for f in _last_line(tmp_path, monkeypatch, body)}
    assert ("TFP105" in codes) is fires, codes


def test_python_map_advice_asks_for_thread_safety(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A py_function map is often kept sequential on purpose (a shared video or HDF5 reader): the advice to
    parallelise it says what parallel calls require. A traced map's advice has no such caveat."""
    python = _last_line(tmp_path, monkeypatch, 'out = tf.data.Dataset.list_files("*.bin").map(read)')
    traced = _last_line(tmp_path, monkeypatch, 'out = tf.data.Dataset.list_files("*.bin").map(Jitter())')
    (python_finding,) = [f for f in python if f.code == "TFP105"]
    (traced_finding,) = [f for f in traced if f.code == "TFP105"]
    assert "thread-safe" in python_finding.advice
    assert "thread-safe" not in traced_finding.advice
