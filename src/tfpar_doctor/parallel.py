"""Run one task per file in a process pool and hand the results back in the order of the files.

Parsing with libcst is CPU-bound Python, so threads would only take turns on the GIL: processes it is.
`ModuleFacts` are plain picklable dataclasses, which is what makes this cheap. The order of the results
never depends on which worker finished first, so findings are identical for any `--jobs`.

Fail-safe: the task itself turns exceptions into an error result (see `check.load_facts`); if a worker
process dies outright (a crash in native code, the OOM killer), the files it may have been working on are
retried one at a time, and a file that kills its worker again gets `crashed(item, message)`: one file is
reported, the run goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

Item = TypeVar("Item", bound=tuple)
Result = TypeVar("Result")

# Below this much work (in weight units, e.g. bytes of source) a pool costs more than it saves: starting
# workers takes tens of milliseconds, parsing a small file a few. The pre-commit case of one changed file
# stays in-process.
MIN_POOL_WEIGHT = 64_000


def default_jobs() -> int:
    """The cores this process may run on (a container's CPU set, not the host's core count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _context() -> multiprocessing.context.BaseContext:
    # fork starts a worker in about a millisecond with every module already imported; spawn would import
    # libcst again in each worker. macOS and Windows lack a safe fork: use their default there.
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def run_ordered(
    task: Callable[..., Result],
    items: Sequence[Item],
    jobs: int,
    crashed: Callable[[Item, str], Result],
    weights: Sequence[int] | None = None,
) -> list[Result]:
    """`[task(*item) for item in items]`, in up to `jobs` processes; same results, same order."""
    weights = list(weights) if weights is not None else [1] * len(items)
    jobs = max(1, min(jobs, len(items)))
    if jobs == 1 or sum(weights) < MIN_POOL_WEIGHT:
        return [task(*item) for item in items]
    results: dict[int, Result] = {}
    # Largest first, so that one big file does not start last and leave the other workers idle.
    order = sorted(range(len(items)), key=lambda i: -weights[i])
    pending = _run_pool(task, items, order, jobs, results, crashed)
    for index in pending:  # a worker died: retry the unfinished files alone, each in a fresh worker
        leftover = _run_pool(task, items, [index], 1, results, crashed)
        if leftover:
            results[index] = crashed(items[index], "the analysis process crashed on this file")
    return [results[i] for i in range(len(items))]


def _run_pool(
    task: Callable[..., Result],
    items: Sequence[Item],
    order: list[int],
    jobs: int,
    results: dict[int, Result],
    crashed: Callable[[Item, str], Result],
) -> list[int]:
    """Runs `order` in a pool, filling `results`; returns the indices left undone by a broken pool."""
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=_context())
    futures: dict[int, Future[Result]] = {}
    try:
        for index in order:
            futures[index] = executor.submit(task, *items[index])
        for index in order:
            try:
                results[index] = futures[index].result()
            except BrokenProcessPool:
                break
            except Exception as exc:  # noqa: BLE001 - e.g. a result that does not pickle: one file's loss
                results[index] = crashed(items[index], f"{type(exc).__name__}: {exc}")
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return [i for i in order if i not in results]
