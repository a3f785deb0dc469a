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
from tfpar_doctor.analysis.facts import ModuleFacts
from tfpar_doctor.analysis.index import ProjectIndex
from tfpar_doctor.analysis.values import Attr, FuncRef

_OPS = ["shuffle(10)", "repeat()", "prefetch(2)", "map(parse, num_parallel_calls=4)", "filter(keep)",
        "cache()", "batch(4)", "unbatch()", "take(100)", "skip(1)", "prefetch(1)", "repeat(2)"]


def _layer_source(source: str = "tf.data.Dataset.from_tensor_slices(files)", ops: list[str] = _OPS) -> bytes:
    lines = ["import tensorflow as tf", "from datasets import load_dataset", "", "def parse(x):",
             "    return x", "", "def keep(x):", "    return True", "",
             "class SpeechDataLayer:", "    def __init__(self, files):",
             f"        self._dataset = {source}"]
    lines += [f"        self._dataset = self._dataset.{op}" for op in ops]
    lines += ["", "    def build(self):"]
    lines += [f"        self._dataset = self._dataset.{op}" for op in ops]
    lines += ["        return self._dataset", ""]
    return "\n".join(lines).encode()


_MAX_STEPS = 2_000


def _count_calls(monkeypatch: pytest.MonkeyPatch, method: str) -> list[int]:
    """Count the calls of ProjectIndex.`method` (the one-element list holds the count); past _MAX_STEPS the
    test fails there rather than run for hours on an unbounded search."""
    steps = [0]
    original = getattr(ProjectIndex, method)

    def counting(self: ProjectIndex, value, depth):  # type: ignore[no-untyped-def]
        steps[0] += 1
        if steps[0] >= _MAX_STEPS:
            raise AssertionError(f"ProjectIndex.{method} explores the same values again and again")
        return original(self, value, depth)

    monkeypatch.setattr(ProjectIndex, method, counting)
    return steps


def test_self_reassigned_dataset_attribute_expands_in_bounded_work(monkeypatch: pytest.MonkeyPatch) -> None:
    facts = extract(_layer_source(), "layer.py", "layer", "")
    index = ProjectIndex({facts.module: facts})
    steps = _count_calls(monkeypatch, "_expand")
    receivers = []
    for func in facts.functions.values():
        for call in func.calls:
            index.qualified_name(call.callee)
            if isinstance(call.callee, Attr) and call.callee.name == "map":
                receivers.append(index.is_dataset(call.callee.base))
    # Before the memo this took millions of steps (4.6 million in 20 s, unfinished); each value once is a few
    # dozen.
    assert steps[0] < _MAX_STEPS
    # ...and the answers are still right: the receiver of `self._dataset.map` is a tf.data dataset.
    assert receivers and all(receivers)


# No tf.data-only keyword (num_parallel_calls) here: such a call alone makes the receiver a tf.data dataset.
_UNTYPED_OPS = [op.replace(", num_parallel_calls=4", "") for op in _OPS]


@pytest.mark.parametrize("ops", [4, len(_OPS)])  # 4: up to the first map
def test_a_self_reassigned_attribute_that_is_not_tf_data_is_answered_in_bounded_work(
    monkeypatch: pytest.MonkeyPatch, ops: int
) -> None:
    """The same shape over a Hugging Face dataset: the answer is "no", and a "no" must rule out every path.
    Before is_dataset remembered its answers, the audit's three reassignments took 2^24 paths and `check`
    never finished (found by an audit on a fresh clone, 2026-12-05)."""
    facts = extract(_layer_source("load_dataset(files)", _UNTYPED_OPS[:ops]), "layer.py", "layer", "")
    index = ProjectIndex({facts.module: facts})
    steps = _count_calls(monkeypatch, "_is_dataset_option")
    receivers = [index.is_dataset(call.callee.base) for func in facts.functions.values()
                 for call in func.calls if isinstance(call.callee, Attr) and call.callee.name == "map"]
    assert steps[0] < _MAX_STEPS
    assert receivers and not any(receivers)


def _star_package(n: int) -> dict[str, ModuleFacts]:
    """A package whose `__init__` star-imports n modules that each star-import the package and every
    sibling: tensorpack's shape (`from .x import *` in every `__init__`), where one file's `check` ran for
    minutes, every lookup walking every path between the modules down to the depth cap."""
    modules = {"pkg": extract("\n".join(f"from pkg.m{i} import *" for i in range(n)).encode(),
                              "pkg/__init__.py", "pkg", "pkg")}
    for i in range(n):
        lines = ["from pkg import *", *(f"from pkg.m{j} import *" for j in range(n) if j != i),
                 "", f"def f{i}(x):", "    return x", ""]
        modules[f"pkg.m{i}"] = extract("\n".join(lines).encode(), f"pkg/m{i}.py", f"pkg.m{i}", "pkg")
    return modules


def test_star_imports_that_import_one_another_are_looked_up_in_bounded_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index = ProjectIndex(_star_package(8))
    steps = [0]
    original = ProjectIndex._lookup_once

    def counting(self: ProjectIndex, *args):  # type: ignore[no-untyped-def]
        steps[0] += 1
        if steps[0] >= _MAX_STEPS:
            raise AssertionError("ProjectIndex.lookup_symbol walks the same star imports again and again")
        return original(self, *args)

    monkeypatch.setattr(ProjectIndex, "_lookup_once", counting)
    # a name no module defines rules out every module once; one a sibling defines is found through it
    assert index.lookup_symbol("pkg.m0.missing") is None
    assert index.lookup_symbol("pkg.m0.f5") == FuncRef("pkg.m5.f5")
    assert index.lookup_symbol("pkg.f3") == FuncRef("pkg.m3.f3")
    assert steps[0] < _MAX_STEPS
