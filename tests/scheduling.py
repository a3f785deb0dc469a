"""The order in which pytest-xdist hands out the test files to its workers: the slowest files first.

`--dist loadfile` (pyproject.toml) keeps each file on one worker, so that a module's shared probe run is made
once, and hands out the files with the most tests first. That leaves for the end the files of few but long
tests (live probe runs, `check` over whole trees and corpora): one worker would run them while the others
have nothing left to do. The files in SLOWEST go first, slowest first; the others follow in xdist's order.
"""

from __future__ import annotations

from typing import Any

from xdist.scheduler import LoadFileScheduling

# Test files by their time on 2 cores (`python -m pytest -q --durations=0`, setup and teardown included),
# slowest first; a file missing here (new or renamed) is only handed out later, nothing else changes.
SLOWEST = (
    "tests/probe/test_fixtures.py",
    "tests/probe/test_robustness.py",
    "tests/test_corpus_sample.py",
    "tests/test_prefilter.py",
    "tests/test_cache.py",
    "tests/probe/test_rewrite_measure.py",
    "tests/test_advice_property.py",
    "tests/test_scopes.py",
    "tests/probe/test_probe_tfp2xx.py",
    "tests/test_jobs.py",
    "tests/probe/test_rewrite_verify.py",
    "tests/test_multiprocess_rewrite.py",
    "tests/test_generated_code_parses.py",
    "tests/probe/test_intercept.py",
    "tests/probe/test_measure_rounds.py",
    "tests/test_report_browser.py",
)


def rank(scope: str) -> int:
    """A file's place in SLOWEST (len(SLOWEST) when it is not there)."""
    path = scope.replace("\\", "/")
    return next((i for i, slow in enumerate(SLOWEST) if path.endswith(slow)), len(SLOWEST))


class SlowestFilesFirst(LoadFileScheduling):
    """xdist's loadfile scheduling, the next file handed out being the slowest one left."""

    def _assign_work_unit(self, node: Any) -> None:
        first = min(self.workqueue, key=rank)  # the first of equals: xdist's own order among the rest
        self.workqueue.move_to_end(first, last=False)
        super()._assign_work_unit(node)
