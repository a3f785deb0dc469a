"""Value expansion is bounded in work, not only in depth.

A speech data layer of a public sequence-to-sequence toolkit reassigns
`self._dataset = self._dataset.<op>(...)` a dozen times in two methods. Each reading of `self._dataset` is
then a choice of a dozen values that each read `self._dataset` again: expanded afresh at every level, the
work grows as 12^depth before the depth cap (`report` ran for more than five minutes on that one file).
Every value is now expanded once.
"""

from __future__ import annotations

import pytest

from tfpar_doctor.analysis.extract import extract
from tfpar_doctor.analysis.index import ProjectIndex
from tfpar_doctor.analysis.values import Attr

_OPS = ["shuffle(10)", "repeat()", "prefetch(2)", "map(parse, num_parallel_calls=4)", "filter(keep)",
        "cache()", "batch(4)", "unbatch()", "take(100)", "skip(1)", "prefetch(1)", "repeat(2)"]


def _layer_source() -> bytes:
    lines = ["import tensorflow as tf", "", "def parse(x):", "    return x", "",
             "def keep(x):", "    return True", "",
             "class SpeechDataLayer:", "    def __init__(self, files):",
             "        self._dataset = tf.data.Dataset.from_tensor_slices(files)"]
    lines += [f"        self._dataset = self._dataset.{op}" for op in _OPS]
    lines += ["", "    def build(self):"]
    lines += [f"        self._dataset = self._dataset.{op}" for op in _OPS]
    lines += ["        return self._dataset", ""]
    return "\n".join(lines).encode()


def test_self_reassigned_dataset_attribute_expands_in_bounded_work(monkeypatch: pytest.MonkeyPatch) -> None:
    facts = extract(_layer_source(), "layer.py", "layer", "")
    index = ProjectIndex({facts.module: facts})
    steps = 0
    original = ProjectIndex._expand

    def counting(self: ProjectIndex, value, depth):  # type: ignore[no-untyped-def]
        nonlocal steps
        steps += 1
        return original(self, value, depth)

    monkeypatch.setattr(ProjectIndex, "_expand", counting)
    receivers = []
    for func in facts.functions.values():
        for call in func.calls:
            index.qualified_name(call.callee)
            if isinstance(call.callee, Attr) and call.callee.name == "map":
                receivers.append(index.is_dataset(call.callee.base))
    # Before the memo this took millions of steps (4.6 million in 20 s, unfinished); each value once is a few
    # dozen.
    assert steps < 2_000
    # ...and the answers are still right: the receiver of `self._dataset.map` is a tf.data dataset.
    assert receivers and all(receivers)
