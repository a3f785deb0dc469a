"""`num_parallel_calls` passed positionally, and maps without it.

TFP101 reports per-element Python whatever the parallelism; TFP102/TFP103 need parallelism, and
`ds.map(f, tf.data.AUTOTUNE)` asks for it as much as `num_parallel_calls=tf.data.AUTOTUNE` does
(`Dataset.map(map_func, num_parallel_calls, deterministic, ...)`; `interleave(map_func, cycle_length,
block_length, num_parallel_calls, ...)`). tf.data's AUTOTUNE in that place also makes the call tf.data's
when its receiver cannot be traced (a parameter), as a tf.data-only keyword does; a number does not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.snippets import last_line_findings

HEADER = '''import numpy as np
import tensorflow as tf

AUTOTUNE = tf.data.experimental.AUTOTUNE
VOCAB = {"a": 1, "b": 2}


def _ids(line):
    out = []
    for ch in line.numpy().decode("utf-8"):
        out.append(VOCAB.get(ch, 0))
    return np.asarray(out, np.int64)


def ids(line):
    return tf.py_function(_ids, [line], tf.int64)


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def read(path):
    return tf.numpy_function(_read, [path], tf.string)


'''


def _codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> set[str]:
    """The codes reported on the last line of `body` (the call under test)."""
    return {f.code for f in last_line_findings(tmp_path, monkeypatch, HEADER, body)}


KNOWN = 'ds = tf.data.TextLineDataset("lines.txt")\n'
PARAMETER = "def build(ds):\n"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        # a known dataset: TFP101 at any parallelism, TFP102/TFP103 only when the map asks for parallelism
        ("out = ds.map(ids, tf.data.AUTOTUNE)", {"TFP101", "TFP102"}),
        ("out = ds.map(ids, AUTOTUNE)", {"TFP101", "TFP102"}),
        ("out = ds.map(ids, 8)", {"TFP101", "TFP102"}),
        ("out = ds.map(ids)", {"TFP101"}),
        ("out = ds.map(ids, None)", {"TFP101"}),
        ("out = ds.map(ids, 1)", {"TFP101"}),
        ("out = ds.map(read, tf.data.AUTOTUNE)", {"TFP101", "TFP103"}),
        ("out = ds.map(read)", {"TFP101", "TFP105"}),
        ("out = ds.filter(lambda x: tf.size(ids(x)) > 0)", {"TFP101"}),
        # interleave: the fourth argument is the parallelism, the second the cycle length
        ("out = ds.interleave(lambda x: tf.data.Dataset.from_tensors(ids(x)), 4, 1, AUTOTUNE)",
         {"TFP101", "TFP102"}),
        # AUTOTUNE as the cycle length asks for no parallel calls: an interleave without them (TFP105)
        ("out = ds.interleave(lambda x: tf.data.Dataset.from_tensors(ids(x)), AUTOTUNE)",
         {"TFP101", "TFP105"}),
    ],
)
def test_known_receiver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str, expected: set[str]
) -> None:
    assert _codes(tmp_path, monkeypatch, KNOWN + call) & {"TFP101", "TFP102", "TFP103", "TFP105"} == expected


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        # tf.data's AUTOTUNE in the place of num_parallel_calls: no other map takes it
        ("    return ds.map(ids, tf.data.AUTOTUNE)", {"TFP101", "TFP102"}),
        ("    return ds.map(read, AUTOTUNE)", {"TFP101", "TFP103"}),
        ("    return ds.interleave(lambda x: tf.data.Dataset.from_tensors(ids(x)), 2, 1, AUTOTUNE)",
         {"TFP101", "TFP102"}),
        # the keyword was always enough
        ("    return ds.map(ids, num_parallel_calls=4)", {"TFP101", "TFP102"}),
        # nothing says tf.data: another library's map may take a number or -1 there
        ("    return ds.map(ids, 4)", set()),
        ("    return ds.map(ids, -1)", set()),
        ("    return ds.map(ids)", set()),
        # AUTOTUNE elsewhere (the cycle length) is not where tf.data's map takes its parallelism
        ("    return ds.interleave(lambda x: tf.data.Dataset.from_tensors(ids(x)), AUTOTUNE)", set()),
    ],
)
def test_parameter_receiver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str, expected: set[str]
) -> None:
    assert _codes(tmp_path, monkeypatch, PARAMETER + call) == expected


def test_a_map_made_tfdata_by_positional_autotune_passes_a_dataset_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What such a map returns is a dataset, so a later map on it needs no evidence of its own."""
    body = PARAMETER + "    ds = ds.map(ids, AUTOTUNE)\n    return ds.map(read)"
    assert _codes(tmp_path, monkeypatch, body) == {"TFP101", "TFP105"}
    body = PARAMETER + "    ds = ds.map(ids, 4)\n    return ds.map(read)"
    assert _codes(tmp_path, monkeypatch, body) == set()
