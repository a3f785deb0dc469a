"""The prefilter's steps around the byte scan, run in the process pool: files whose site tokens are only
in docstrings or comments are dropped after CPython's parser says so, and the skipped files are still
compiled so that one that does not parse reports TFP900 (analysis/prefilter.py says why skipping is safe).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tfpar_doctor.settings import CheckSettings
from tfpar_doctor.sources import Sources

if TYPE_CHECKING:
    from tfpar_doctor.analysis.prefilter import ScanMemo
    from tfpar_doctor.cache import FactsCache


# Files per task of the byte-level checks below: enough to amortise sending work to a worker, few enough
# to balance the workers.
_BATCH = 24


def _flag_in_batches(
    table: Sources,
    indices: list[int],
    task: Callable[..., tuple[int, ...]],
    jobs: int,
    crashed: Callable[[tuple[bytes, ...]], tuple[int, ...]],
) -> list[tuple[int, bool]]:
    """(index, flagged) for each of `indices`. `task(*sources)` returns the positions of the sources it
    flags; it runs in the pool over batches of `_BATCH` files, and `crashed(sources)` answers for a batch
    whose worker died."""
    from tfpar_doctor.parallel import run_ordered

    batches = [indices[start : start + _BATCH] for start in range(0, len(indices), _BATCH)]
    items = [tuple(table.source(index) or b"" for index in batch) for batch in batches]
    flagged = run_ordered(
        task, items, jobs, lambda item, message: crashed(item), [sum(map(len, item)) for item in items]
    )
    return [
        (index, position in hits)
        for batch, hits in zip(batches, flagged, strict=True)
        for position, index in enumerate(batch)
    ]


def drop_text_only_sites(
    table: Sources, wanted: list[bool], jobs: int, methods: frozenset[str], memo: ScanMemo | None
) -> None:
    """Candidates whose site tokens are all in docstrings or comments are skipped after all: CPython's
    parser tells (in the pool, once per content with the cache). They are then compile-checked like any
    skipped file, and the index still loads them on demand if a pipeline elsewhere imports them."""
    from functools import partial

    from tfpar_doctor.analysis.prefilter import without_code_sites

    todo: list[int] = []
    for index, want in enumerate(wanted):
        if not want:
            continue
        key = table.key(index)
        known = memo.code_sites.get(key) if memo is not None and key is not None else None
        if known is not None:
            wanted[index] = known
        elif table.source(index) is not None:
            todo.append(index)
    # a crashed batch flags nothing: every file in it is parsed, as without this step
    task = partial(without_code_sites, methods)
    for index, text_only in _flag_in_batches(table, todo, task, jobs, lambda _: ()):
        wanted[index] = not text_only
        key = table.key(index)
        if memo is not None and key is not None:
            memo.code_sites[key] = not text_only
            memo.changed = True


def compile_skipped(table: Sources, wanted: list[bool], jobs: int, cache: FactsCache | None) -> None:
    """Files the prefilter skipped must still report TFP900: CPython compiles them (in the pool, and only
    once per content when the cache is on); one that fails goes back to the full parse (`wanted`)."""
    from tfpar_doctor.analysis.prefilter import failing_to_compile

    known = cache.compiles() if cache is not None else set()
    todo = [
        index
        for index, want in enumerate(wanted)
        if not want and (table.key(index) or "") not in known and table.source(index) is not None
    ]
    compiled: list[str] = []
    # a crashed batch fails every file in it: the full parse then judges each
    def all_failed(item: tuple[bytes, ...]) -> tuple[int, ...]:
        return tuple(range(len(item)))

    for index, failed in _flag_in_batches(table, todo, failing_to_compile, jobs, all_failed):
        key = table.key(index)
        if failed:
            wanted[index] = True
        elif key:
            compiled.append(key)
    if cache is not None:
        cache.add_compiles(compiled)


def prefilter(
    files: Sequence[Path],
    table: Sources,
    settings: CheckSettings,
    cache: FactsCache | None,
    jobs: int,
    read_or_none: Callable[[Path], bytes | None],
) -> list[bool]:
    """Which files to parse: the byte scan's candidates, less those with sites only in text, plus the
    skipped files that do not compile (they report TFP900). `read_or_none` reads imported modules."""
    from tfpar_doctor.analysis.prefilter import Prefilter, module_file_resolver, site_methods_for

    methods = site_methods_for(settings.rules)
    memo = cache.scan_memo(methods) if cache is not None else None
    keys = [table.key(index) for index in range(len(files))] if cache is not None else None
    scan = Prefilter(module_file_resolver(), read_or_none, methods, memo)
    wanted = scan.candidates(files, table.by_path(), keys)
    drop_text_only_sites(table, wanted, jobs, methods, memo)
    if cache is not None and memo is not None:
        cache.save_scan_memo(methods, memo)
    compile_skipped(table, wanted, jobs, cache)
    return wanted
