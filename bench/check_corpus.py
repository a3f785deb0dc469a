"""Run `tfpar-doctor check` over whole source trees and report every internal error.

    python bench/check_corpus.py                      # the standard library and TensorFlow's Python sources
    python bench/check_corpus.py PATH [PATH ...]      # any trees
    python bench/check_corpus.py --per-file --jobs 2  # also check each file alone, with a time limit

Two passes, because they find different failures:

* whole tree: the real command line (`python -m tfpar_doctor check --output-format json-lines TREE`) in a
  subprocess, as a user would run it. It must exit 0 or 1; exit 2 or a traceback on stderr is a bug.
  Cross-module resolution (the project index loading imported modules) only happens here.
* per file (`--per-file`): every file checked alone in a worker process under a time limit, so that one
  crash does not hide the next one and a file that takes forever is named instead of stalling the run.

Not a test: the trees are large (the full run takes minutes). tests/test_corpus_sample.py keeps a fixed
sample of awkward files from these trees under tests/corpus/.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import signal
import subprocess
import sys
import sysconfig
import time
import traceback
from dataclasses import dataclass, field
from multiprocessing import Pool
from pathlib import Path


def default_trees() -> list[Path]:
    """The standard library (without site-packages) and the installed TensorFlow package, if present."""
    trees = [Path(sysconfig.get_paths()["stdlib"])]
    purelib = Path(sysconfig.get_paths()["purelib"])
    if (purelib / "tensorflow").is_dir():
        trees.append(purelib / "tensorflow")
    return trees


@dataclass
class TreeRun:
    tree: str
    exit_code: int
    seconds: float
    findings: int
    by_code: dict[str, int]
    traceback: str  # stderr when it holds a traceback or the exit code is 2, else ""


def run_tree(tree: Path, timeout: float) -> TreeRun:
    command = [sys.executable, "-m", "tfpar_doctor", "check", "--output-format", "json-lines", str(tree)]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return TreeRun(str(tree), -1, time.perf_counter() - started, 0, {}, f"timed out after {timeout:.0f} s")
    seconds = time.perf_counter() - started
    by_code: collections.Counter[str] = collections.Counter()
    for line in done.stdout.splitlines():
        try:
            by_code[json.loads(line)["code"]] += 1
        except (ValueError, KeyError, TypeError):
            continue
    broken = done.returncode not in (0, 1) or "Traceback (most recent call last)" in done.stderr
    return TreeRun(str(tree), done.returncode, seconds, sum(by_code.values()), dict(by_code),
                   done.stderr[-4000:] if broken else "")


# ---------------------------------------------------------------------------- per-file pass


@dataclass
class FileRun:
    path: str
    seconds: float
    codes: list[str] = field(default_factory=list)
    error: str = ""  # the last lines of a traceback, or "timeout"


class _Timeout(Exception):
    pass


def _on_alarm(signum: int, frame: object) -> None:
    raise _Timeout


def _init_worker() -> None:
    signal.signal(signal.SIGALRM, _on_alarm)


def check_one(job: tuple[str, int]) -> FileRun:
    from tfpar_doctor.check import CheckSettings, check_files

    path, timeout = job
    started = time.perf_counter()
    signal.alarm(timeout)
    try:
        result = check_files([Path(path)], CheckSettings())
        return FileRun(path, time.perf_counter() - started, [f.code for f in result.findings])
    except _Timeout:
        return FileRun(path, time.perf_counter() - started, error="timeout")
    except BaseException:  # noqa: BLE001 - finding every crash is the point of this script
        lines = traceback.format_exc().strip().splitlines()
        return FileRun(path, time.perf_counter() - started, error="\n".join(lines[-6:]))
    finally:
        signal.alarm(0)


def python_files(tree: Path) -> list[str]:
    from tfpar_doctor.analysis.discover import iter_python_files

    return [str(p) for p in iter_python_files([tree])]


def run_per_file(trees: list[Path], jobs: int, timeout: int) -> list[FileRun]:
    files = [f for tree in trees for f in python_files(tree)]
    # maxtasksperchild bounds the memory a worker keeps from huge files.
    with Pool(jobs, initializer=_init_worker, maxtasksperchild=200) as pool:
        return list(pool.imap_unordered(check_one, [(f, timeout) for f in files], chunksize=4))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="*", type=Path, help="default: the stdlib and TensorFlow's sources")
    parser.add_argument("--per-file", action="store_true", help="also check each file alone, in a pool")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--file-timeout", type=int, default=60, help="seconds per file in --per-file")
    parser.add_argument("--tree-timeout", type=float, default=3600, help="seconds per whole-tree run")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    trees = args.trees or default_trees()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    failures = 0
    report: dict[str, object] = {"trees": [], "files": []}
    for tree in trees:
        count = len(python_files(tree))
        run = run_tree(tree, args.tree_timeout)
        report["trees"].append(run.__dict__)  # type: ignore[union-attr]
        status = "ok" if not run.traceback else "INTERNAL ERROR"
        print(f"\n{tree}: {count} files, exit {run.exit_code}, {run.seconds:.1f} s, {run.findings} findings "
              f"{dict(sorted(run.by_code.items()))} -> {status}")
        if run.traceback:
            failures += 1
            print(run.traceback)

    if args.per_file:
        started = time.perf_counter()
        runs = run_per_file(trees, args.jobs, args.file_timeout)
        elapsed = time.perf_counter() - started
        report["files"] = [r.__dict__ for r in runs]
        broken = [r for r in runs if r.error]
        failures += len(broken)
        print(f"\nper file: {len(runs)} files in {elapsed:.1f} s with {args.jobs} workers, "
              f"{len(broken)} internal errors or timeouts")
        grouped: dict[str, list[str]] = collections.defaultdict(list)
        for run in broken:
            grouped[run.error.splitlines()[-1]].append(run.path)
        for error, paths in sorted(grouped.items(), key=lambda item: -len(item[1])):
            print(f"  {len(paths)} x {error}\n    e.g. {paths[0]}")
        print("  slowest files:")
        for run in sorted(runs, key=lambda r: -r.seconds)[:10]:
            print(f"    {run.seconds:6.2f} s  {run.path}")
        tfp900 = collections.Counter(code for r in runs for code in r.codes if code == "TFP900")
        print(f"  files reported as TFP900 (unreadable or unparsable): {tfp900['TFP900']}")

    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"\n{'FAILED' if failures else 'PASSED'}: {failures} internal errors")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
