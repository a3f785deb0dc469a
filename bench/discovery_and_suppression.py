"""How much file discovery (excludes, .gitignore) and suppression scanning add to `check`.

Run: python bench/discovery_and_suppression.py [DIR ...]   (default: the Python standard library and,
when installed, the tensorflow package: large trees of real files). Prints medians of 5 warm runs.
Not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
import sysconfig
import time
from collections.abc import Callable
from pathlib import Path

from tfpar_doctor.analysis.discover import Excludes, iter_python_files
from tfpar_doctor.analysis.suppress import scan_suppressions


def median_seconds(action: Callable[[], object], repeats: int = 5) -> float:
    action()  # warm the file system cache
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def trees(arguments: list[str]) -> list[Path]:
    if arguments:
        return [Path(a) for a in arguments]
    found = [Path(sysconfig.get_paths()["stdlib"])]
    spec = importlib.util.find_spec("tensorflow")
    if spec is not None and spec.submodule_search_locations:
        found.append(Path(next(iter(spec.submodule_search_locations))))
    return found


def measure(tree: Path) -> None:
    files = list(iter_python_files([tree], Excludes(tree)))
    sources = [f.read_bytes() for f in files]
    hits = [s for s in sources if b"noqa" in s.lower()]
    megabytes = sum(map(len, sources)) / 1e6
    with_gitignore = median_seconds(lambda: list(iter_python_files([tree], Excludes(tree))))
    without = median_seconds(lambda: list(iter_python_files([tree], Excludes(tree, respect_gitignore=False))))
    prefilter = median_seconds(lambda: [s for s in sources if b"noqa" in s.lower()])
    scan = median_seconds(lambda: [scan_suppressions(s, "x.py") for s in hits])
    print(f"{tree}: {len(files)} files, {megabytes:.1f} MB")
    print(f"  discover: {with_gitignore:.3f} s with .gitignore, {without:.3f} s without")
    print(f"  noqa prefilter over all files: {prefilter * 1000:.0f} ms; "
          f"tokenize scan of the {len(hits)} files that mention noqa: {scan * 1000:.0f} ms")


def main() -> None:
    for tree in trees(sys.argv[1:]):
        measure(tree)


if __name__ == "__main__":
    main()
