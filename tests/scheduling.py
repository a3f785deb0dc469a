"""The order in which pytest-xdist hands out the test files to its workers: the slowest files first.

`--dist loadfile` (pyproject.toml) keeps each file on one worker, so that a module's shared probe run is made
once, and hands out the files with the most tests first. That leaves for the end the files of few but long
tests (live probe runs, `check` over whole trees and corpora): one worker would run them while the others
have nothing left to do. The files in SLOWEST go first, slowest first; the others follow in xdist's order.

The files whose tests import TensorFlow into the test process itself (IN_PROCESS_TENSORFLOW; every other
TensorFlow run is a probe child) are one unit of work: one worker imports TensorFlow for all of them
instead of each worker that happens to get one of them.
"""

from __future__ import annotations

from typing import Any

from xdist.scheduler import LoadFileScheduling

# Test files that import TensorFlow into the pytest process: seconds of CPU and half a gigabyte each time.
IN_PROCESS_TENSORFLOW = (
    "tests/test_advice.py",
    "tests/probe/test_measure_rounds.py",
    "tests/probe/test_rewrite_verify.py",
)
TENSORFLOW_SCOPE = "tests: TensorFlow in the test process"

# Units of work by their time (`python -m pytest -q -p no:cacheprovider -n 0 FILE`, one file at a time, with
# the facts memo in place; 2026-12-05, machine shared), slowest first; a file missing here (new or renamed)
# is only handed out later, nothing else changes. test_generated_code_parses.py goes first: with the real-code
# corpus rebuilt (bench/realworld/files, not in a fresh clone) it takes minutes on its own.
SLOWEST = (
    "tests/test_generated_code_parses.py",
    "tests/probe/test_fixtures.py",
    "tests/probe/test_robustness.py",
    "tests/test_jobs.py",
    "tests/test_corpus_sample.py",
    "tests/test_prefilter.py",
    "tests/test_cache.py",
    TENSORFLOW_SCOPE,
    "tests/test_rule_fixtures.py",
    "tests/test_property.py",
    "tests/test_advice_property.py",
    "tests/test_scopes.py",
    "tests/test_pool_module.py",
    "tests/test_multiprocess_rewrite.py",
    "tests/probe/test_rewrite_measure.py",
    "tests/probe/test_probe_tfp2xx.py",
    "tests/probe/test_intercept.py",
    "tests/test_report_browser.py",
)


def scope_of(nodeid: str) -> str:
    """The unit of work a test belongs to: its file, or TENSORFLOW_SCOPE."""
    path = nodeid.split("::", 1)[0]
    normalized = path.replace("\\", "/")
    return TENSORFLOW_SCOPE if any(normalized.endswith(f) for f in IN_PROCESS_TENSORFLOW) else path


def rank(scope: str) -> int:
    """A file's place in SLOWEST (len(SLOWEST) when it is not there)."""
    path = scope.replace("\\", "/")
    return next((i for i, slow in enumerate(SLOWEST) if path.endswith(slow)), len(SLOWEST))


class SlowestFilesFirst(LoadFileScheduling):
    """xdist's loadfile scheduling, the next file handed out being the slowest one left; the files of
    IN_PROCESS_TENSORFLOW are one unit."""

    def _split_scope(self, nodeid: str) -> str:
        return scope_of(nodeid)

    def _assign_work_unit(self, node: Any) -> None:
        first = min(self.workqueue, key=rank)  # the first of equals: xdist's own order among the rest
        self.workqueue.move_to_end(first, last=False)
        super()._assign_work_unit(node)
