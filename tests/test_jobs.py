"""The process pool: same findings for any --jobs, ordered results, a dying worker costs one file."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import tfpar_doctor.parallel as parallel
from tests.conftest import FIXTURES, TREES, Row, findings_in
from tfpar_doctor.check import CheckSettings
from tfpar_doctor.rules import ALL_RULES


@pytest.mark.parametrize("tree", TREES, ids=lambda p: p.name)
def test_findings_identical_for_any_jobs(
    tree: Path, monkeypatch: pytest.MonkeyPatch, baseline_findings: Callable[[Path], list[Row]]
) -> None:
    """The serial run is the session's baseline (every rule, one job, prefilter on, no cache)."""
    monkeypatch.setattr(parallel, "MIN_POOL_WEIGHT", 0)  # small fixtures would otherwise stay in-process
    serial = baseline_findings(tree)
    in_pool = [findings_in(tree, CheckSettings(rules=ALL_RULES, jobs=jobs)) for jobs in (2, 3)]
    assert serial == in_pool[0] == in_pool[1]


def _square(value: int) -> int:
    return value * value


def _die_on(value: int) -> int:
    if value == 3:
        os._exit(1)  # what a segfault or the OOM killer does to a worker
    return value


def _raise_on(value: int) -> int:
    if value == 2:
        raise ValueError("boom")
    return value


def _crashed(item: tuple[int], message: str) -> int:
    return -item[0]


def test_results_come_back_in_item_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_POOL_WEIGHT", 0)
    items = [(n,) for n in range(40)]
    weights = [n % 7 for n in range(40)]  # submitted largest first, gathered in order
    assert parallel.run_ordered(_square, items, 2, _crashed, weights) == [n * n for n in range(40)]


def test_a_dying_worker_costs_only_its_own_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_POOL_WEIGHT", 0)
    items = [(n,) for n in range(6)]
    assert parallel.run_ordered(_die_on, items, 2, _crashed) == [0, 1, 2, -3, 4, 5]


def test_an_exception_outside_the_task_guard_costs_only_its_item(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_POOL_WEIGHT", 0)
    assert parallel.run_ordered(_raise_on, [(n,) for n in range(4)], 2, _crashed) == [0, 1, -2, 3]


def test_small_work_stays_in_process() -> None:
    # No pool: a worker that would die takes the test process with it, so `_square` it is.
    assert parallel.run_ordered(_square, [(3,)], 8, _crashed, [10]) == [9]
    assert parallel.default_jobs() >= 1


def test_check_of_one_file_imports_nothing_heavy() -> None:
    """The pre-commit case: `check one_file.py` starts without TensorFlow, psutil, matplotlib & co."""
    target = FIXTURES / "rules" / "TFP101" / os.listdir(FIXTURES / "rules" / "TFP101")[0]
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tfpar_doctor", "check", "--no-cache", str(target)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
    assert "tfpar_doctor" in imported and "libcst" in imported  # the measurement itself works
    assert not imported & {"tensorflow", "psutil", "gilknocker", "matplotlib", "numpy", "pandas"}
