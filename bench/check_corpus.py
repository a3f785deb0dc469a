"""Run `tfpar-doctor check` over whole source trees and report every internal error.

    python bench/check_corpus.py                    # the standard library and TensorFlow's Python sources
    python bench/check_corpus.py PATH [PATH ...]    # any trees
    python bench/check_corpus.py --all-files        # also parse and analyse every file (prefilter off)

Two passes, because they exercise different code:

* command line (always): `python -m tfpar_doctor check --no-cache --output-format json-lines TREE` in a
  subprocess, exactly as a user runs it (prefilter, process pool). It must exit 0 or 1; exit 2, a
  traceback or "internal error" on stderr is a bug.
* every file (`--all-files`): the library's `check_files` with the prefilter off, so that every file goes
  through libcst, the extractor, the project index and all rules, not only the files that mention tf.data.
  Slow (all of libcst's parsing of ~60 MB): minutes to tens of minutes.

Not a test: the trees are large. tests/test_corpus_sample.py keeps a fixed sample of awkward files from
these trees under tests/corpus/.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import re
import subprocess
import sys
import sysconfig
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path


def default_trees() -> list[Path]:
    """The standard library (without site-packages) and the installed TensorFlow package, if present."""
    trees = [Path(sysconfig.get_paths()["stdlib"])]
    tensorflow = Path(sysconfig.get_paths()["purelib"]) / "tensorflow"
    if tensorflow.is_dir():
        trees.append(tensorflow)
    return trees


@dataclass
class Run:
    tree: str
    mode: str  # "command" or "all-files"
    files: int
    seconds: float
    exit_code: int | None = None  # the command's; None for the in-process pass
    by_code: dict[str, int] = field(default_factory=dict)
    unparsable: dict[str, int] = field(default_factory=dict)  # TFP900 messages, grouped by their kind
    internal_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.internal_errors and self.exit_code in (None, 0, 1)


def _kind(message: str) -> str:
    """`cannot parse: invalid syntax` -> `cannot parse`, sizes and positions dropped, for grouping."""
    return re.sub(r"\d+", "N", message.split(":")[0])


def run_command(tree: Path, jobs: int | None, timeout: float) -> Run:
    command = [sys.executable, "-m", "tfpar_doctor", "check", "--no-cache", "--output-format", "json-lines"]
    if jobs:
        command += ["--jobs", str(jobs)]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [*command, str(tree)], capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return Run(
            str(tree),
            "command",
            count_files(tree),
            time.perf_counter() - started,
            internal_errors=[f"timed out after {timeout:.0f} s"],
        )
    run = Run(str(tree), "command", count_files(tree), time.perf_counter() - started, done.returncode)
    by_code: collections.Counter[str] = collections.Counter()
    unparsable: collections.Counter[str] = collections.Counter()
    for line in done.stdout.splitlines():
        finding = json.loads(line)
        by_code[finding["code"]] += 1
        if finding["code"] == "TFP900":
            unparsable[_kind(finding["message"])] += 1
    run.by_code, run.unparsable = dict(by_code), dict(unparsable)
    if done.returncode not in (0, 1) or "Traceback" in done.stderr or "internal error" in done.stderr:
        run.internal_errors = [done.stderr[-4000:] or f"exit {done.returncode} with an empty stderr"]
    return run


def run_all_files(tree: Path, jobs: int | None) -> Run:
    from tfpar_doctor.analysis.discover import iter_python_files
    from tfpar_doctor.check import CheckSettings, check_files

    files = list(iter_python_files([tree]))
    settings = CheckSettings()
    settings.prefilter = False
    settings.jobs = jobs
    started = time.perf_counter()
    try:
        result = check_files(files, settings)
    except Exception as exc:  # noqa: BLE001 - an escaped exception is exactly what this looks for
        return Run(str(tree), "all-files", len(files), time.perf_counter() - started,
                   internal_errors=[f"check_files raised {type(exc).__name__}: {exc}"])
    run = Run(str(tree), "all-files", len(files), time.perf_counter() - started)
    run.by_code = dict(collections.Counter(f.code for f in result.findings))
    run.unparsable = dict(
        collections.Counter(_kind(f.message) for f in result.findings if f.code == "TFP900")
    )
    run.internal_errors = list(result.internal_errors)
    return run


def count_files(tree: Path) -> int:
    from tfpar_doctor.analysis.discover import iter_python_files

    return sum(1 for _ in iter_python_files([tree]))


def describe(run: Run) -> str:
    status = "ok" if run.ok else "INTERNAL ERROR"
    exit_part = f"exit {run.exit_code}, " if run.exit_code is not None else ""
    lines = [f"{run.mode:9s} {run.tree}: {run.files} files, {exit_part}{run.seconds:.1f} s -> {status}",
             f"          findings {dict(sorted(run.by_code.items()))}",
             f"          TFP900 by kind {dict(sorted(run.unparsable.items()))}"]
    lines += [f"          ! {error}" for error in run.internal_errors[:20]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="*", type=Path, help="default: the stdlib and TensorFlow's sources")
    parser.add_argument("--all-files", action="store_true", help="also analyse every file, prefilter off")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per command-line run")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    trees = args.trees or default_trees()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {load:.1f}, "
          f"Python {platform.python_version()}, {platform.platform()}", flush=True)
    runs = []
    for tree in trees:  # the quick pass over every tree first, then the slow one
        runs.append(run_command(tree, args.jobs, args.timeout))
        print(describe(runs[-1]), flush=True)
    for tree in trees if args.all_files else ():
        runs.append(run_all_files(tree, args.jobs))
        print(describe(runs[-1]), flush=True)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in runs], indent=1), encoding="utf-8")
    failed = [r for r in runs if not r.ok]
    print(f"\n{'FAILED' if failed else 'PASSED'}: {len(failed)} of {len(runs)} runs had internal errors")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
