"""tests/workers.py: under pytest-xdist a test marked `alone` runs with no other test beside it, the others
run side by side, and a reference result is computed once for all the workers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.workers import computed_once

ROOT = Path(__file__).resolve().parent.parent

# Each test leaves a file in RUNNING while it runs and looks, a few times, at who else is running: an `alone`
# test must see nobody, any other test no `alone` one.
TURNS = '''
import time
from pathlib import Path

import pytest

RUNNING = Path({running!r})


def _run(name: str, alone: bool) -> None:
    mine = RUNNING / name
    mine.touch()
    try:
        for _ in range(10):
            beside = sorted(p.name for p in RUNNING.iterdir() if p != mine)
            assert not (beside if alone else [b for b in beside if b.startswith("alone")]), beside
            time.sleep(0.01)
    finally:
        mine.unlink()


@pytest.mark.alone
@pytest.mark.parametrize("n", range(4))
def test_alone(n: int) -> None:
    _run(f"alone-{{n}}", alone=True)


@pytest.mark.parametrize("n", range(12))
def test_together(n: int) -> None:
    _run(f"together-{{n}}", alone=False)
'''


def test_an_alone_test_never_runs_beside_another_worker_s_test(tmp_path: Path) -> None:
    pytest.importorskip("xdist")
    suite, running = tmp_path / "suite", tmp_path / "running"
    suite.mkdir()
    running.mkdir()
    (suite / "conftest.py").write_text(
        "from tests.conftest import pytest_configure, pytest_runtest_protocol  # noqa: F401\n",
        encoding="utf-8")
    (suite / "test_turns.py").write_text(TURNS.format(running=str(running)), encoding="utf-8")
    # a run of its own: none of this worker's PYTEST_XDIST_* settings, the repository importable, and of the
    # installed plugins only xdist (hypothesis and the LSP client take seconds to import in every worker)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    # --dist load: the tests of the one file are spread over both workers, alone ones included
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "xdist.plugin", "-n", "2",
         "--dist", "load", "--basetemp", str(tmp_path / "base"), "-W",
         "ignore::pytest.PytestUnknownMarkWarning", str(suite)],
        cwd=suite, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "16 passed" in done.stdout, done.stdout[-3000:]


def test_a_value_is_computed_once_for_every_worker(tmp_path: Path) -> None:
    calls: list[str] = []

    def compute(who: str) -> list[tuple[str, int]]:
        calls.append(who)
        return [("TFP101", 3)]

    first = computed_once(tmp_path, "baseline-x", lambda: compute("first"))
    second = computed_once(tmp_path, "baseline-x", lambda: compute("second"))
    assert calls == ["first"]
    # every worker gets the value as JSON reads it back, the one that computed it too
    assert first == second == [["TFP101", 3]]
    assert computed_once(None, "baseline-x", lambda: compute("alone")) == [["TFP101", 3]]
    assert calls == ["first", "alone"]


def test_the_slowest_files_are_handed_out_first_and_all_exist() -> None:
    pytest.importorskip("xdist")
    from tests.scheduling import SLOWEST, TENSORFLOW_SCOPE, rank

    # a renamed file would silently fall back to xdist's order: the table names files that exist
    assert [p for p in SLOWEST if p != TENSORFLOW_SCOPE and not (ROOT / p).is_file()] == []
    assert [rank(p) for p in SLOWEST] == list(range(len(SLOWEST)))
    assert rank("tests/test_config.py") == len(SLOWEST)


def test_the_files_that_import_tensorflow_in_process_are_one_unit_of_work() -> None:
    pytest.importorskip("xdist")
    from tests.scheduling import IN_PROCESS_TENSORFLOW, TENSORFLOW_SCOPE, scope_of

    assert [p for p in IN_PROCESS_TENSORFLOW if not (ROOT / p).is_file()] == []
    assert {scope_of(f"{p}::test_x[1]") for p in IN_PROCESS_TENSORFLOW} == {TENSORFLOW_SCOPE}
    assert scope_of("tests/test_config.py::test_x") == "tests/test_config.py"
