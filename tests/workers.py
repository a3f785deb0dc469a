"""What the pytest-xdist workers of one test run share: a directory, turns, and values computed once.

The suite runs on every core (`-n auto` in pyproject.toml). Two things must still hold across the worker
processes: a test marked `alone` (a live probe run whose verdict comes from measured throughput) runs with
no other test beside it, as it did when the suite ran in one process, because a neighbour's CPU would move
its numbers; and an expensive reference result (a `check` of a whole fixture tree) is computed once per run,
not once per worker. Both use flock(2) on files in the run's shared temporary directory. Without xdist (or
with `-n 0`) there is one process: nothing to share, nothing to wait for.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

try:
    import fcntl
except ImportError:  # Windows: no flock; run the suite with -n 0 there
    fcntl = None  # type: ignore[assignment]


def run_directory(config: pytest.Config) -> Path | None:
    """The directory every worker of this xdist run sees; None when this process is not an xdist worker."""
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    if workerinput is None or fcntl is None:
        return None
    basetemp = config.option.basetemp
    if basetemp:  # xdist gives each worker <the run's base temp>/popen-gwN
        return Path(basetemp).parent
    directory = Path(tempfile.gettempdir()) / f"tfpar-tests-{workerinput['testrunuid']}"
    directory.mkdir(exist_ok=True)
    return directory


@contextlib.contextmanager
def _locked(path: Path, operation: int) -> Iterator[IO[str]]:
    with path.open("a", encoding="utf-8") as handle:
        fcntl.flock(handle, operation)
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Turns:
    """Whose turn it is, among the workers of one run: every test holds `running` shared, except a test
    marked `alone`, which holds it exclusively (it waits for the tests running beside it to end; none
    starts until it ends).

    A reader-writer lock alone lets the other workers' back-to-back tests keep an `alone` test waiting:
    every test first passes `gate`, which a waiting `alone` test holds, so the next test of another worker
    waits behind it instead of slipping in ahead."""

    def __init__(self, directory: Path) -> None:
        self._running = directory / "tfpar-running.lock"
        self._gate = directory / "tfpar-gate.lock"

    @contextlib.contextmanager
    def turn(self, alone: bool) -> Iterator[None]:
        with self._running.open("a", encoding="utf-8") as running:
            with _locked(self._gate, fcntl.LOCK_EX):
                fcntl.flock(running, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(running, fcntl.LOCK_UN)


def computed_once(directory: Path | None, name: str, compute: Callable[[], Any]) -> Any:
    """`compute()`'s JSON-able value as JSON reads it back (tuples become lists, in every worker alike):
    computed by the first worker that asks for it, read from `directory` by the others."""
    if directory is None:
        return json.loads(json.dumps(compute()))
    stored = directory / f"{name}.json"
    with _locked(directory / f"{name}.lock", fcntl.LOCK_EX):
        if not stored.is_file():
            text = json.dumps(compute())
            # written whole, then renamed: a worker never reads half a file
            partial = stored.with_suffix(".partial")
            partial.write_text(text, encoding="utf-8")
            partial.replace(stored)
        return json.loads(stored.read_text(encoding="utf-8"))
