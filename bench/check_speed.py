"""How fast is `tfpar-doctor check` next to flake8 and ruff, on the same machine in the same run?

    python bench/check_speed.py                 # stdlib + TensorFlow sources + one-file latency, 3 repeats
    python bench/check_speed.py --repeat 1      # quicker, noisier
    python bench/check_speed.py --trees stdlib  # one tree only (stdlib, tensorflow)

Trees: (a) the standard library of the running interpreter (`sysconfig.get_paths()['stdlib']`, without
site-packages) and (b) the Python sources of the installed TensorFlow package. Every tool gets the same
explicit list of files, and no configuration file (`--isolated`): ruff with its default rules and
`--no-cache`, flake8 with its defaults and `-j auto`. tfpar-doctor runs cold (empty cache: it parses and
writes the cache), warm (the same command again), and with `--no-cache`. One file: the pre-commit case,
a small pipeline file checked by the console script, start-up included.

Each measurement is the median wall time of `--repeat` runs, with the CPU seconds the child used (wall
time on a busy machine says as much about the neighbours as about the tool; the CPU time does not).
Prints ratios against the targets of issue 4 and writes everything to bench/results/check_speed-*.json.
Not a test: the whole run takes minutes, mostly flake8.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
# A small pipeline file as pre-commit passes it: one changed file, a map with a py_function.
ONE_FILE = '''"""Input pipeline for the keyword spotter."""
import numpy as np
import tensorflow as tf


def _augment(wave):
    noise = np.random.normal(0, 0.01, wave.shape).astype(np.float32)
    return wave + noise


def make_dataset(paths, batch_size=32):
    ds = tf.data.Dataset.from_tensor_slices(paths)
    ds = ds.map(tf.io.read_file, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(lambda x: tf.numpy_function(_augment, [x], tf.float32), num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
'''


@dataclass
class Timing:
    label: str
    command: list[str]
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def python_files(tree: Path) -> list[str]:
    """The tree's .py files, without site-packages and caches (sorted: every tool gets the same list)."""
    found: list[str] = []
    for directory, dirnames, filenames in os.walk(tree):
        dirnames[:] = sorted(d for d in dirnames if d not in ("site-packages", "__pycache__"))
        found.extend(os.path.join(directory, name) for name in sorted(filenames) if name.endswith(".py"))
    return found


def run(command: list[str], cwd: Path, timeout: float) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        sys.stderr.write(
            f"  ! {command[0]} did not finish within {timeout:.0f} s; recorded as {timeout:.0f} s\n"
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return timeout, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), -1
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        sys.stderr.write(
            f"  ! {command[0]} exited {done.returncode}: {done.stderr.decode(errors='replace')[-500:]}\n"
        )
    return wall, cpu, done.returncode


def measure(label: str, command: list[str], cwd: Path, repeat: int, timeout: float,
            before_each: list[str] | None = None) -> Timing:
    timing = Timing(label, command[:6] + (["..."] if len(command) > 6 else []))
    for _ in range(repeat):
        if before_each:
            subprocess.run(
                before_each, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
            )
        wall, cpu, code = run(command, cwd, timeout)
        timing.wall.append(round(wall, 3))
        timing.cpu.append(round(cpu, 3))
        timing.exit_codes.append(code)
    print(
        f"  {label:<34} {timing.median:8.2f} s wall  {timing.median_cpu:8.2f} s CPU   (runs: {timing.wall})",
        flush=True,
    )
    return timing


def tool(name: str) -> list[str]:
    """The console script next to this interpreter (what pre-commit runs), else `python -m`."""
    script = Path(sys.executable).parent / name
    if script.is_file():
        return [str(script)]
    found = shutil.which(name)
    if found:
        return [found]
    return [sys.executable, "-m", name.replace("-", "_")]


def prefilter_stats(files: list[str], workdir: Path) -> dict[str, int]:
    """How many files the prefilter passes to the parser (not timed)."""
    from tfpar_doctor.analysis.prefilter import (
        Prefilter,
        module_file_resolver,
        site_methods_for,
        without_code_sites,
    )
    from tfpar_doctor.rules import ALL_RULES

    paths = [Path(f) for f in files]

    def read(path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except OSError:
            return None

    sources = {p: read(p) for p in paths}
    methods = site_methods_for(r for r in ALL_RULES if r.enabled_by_default)
    chosen = Prefilter(module_file_resolver(workdir), read, methods).candidates(paths, sources)
    # as check does: candidates whose site tokens are only in docstrings or comments are not parsed
    text_only = set(
        without_code_sites(methods, *(sources[p] or b"" for p, ok in zip(paths, chosen, strict=True) if ok))
    )
    chosen_paths = [p for p, ok in zip(paths, chosen, strict=True) if ok]
    dropped = {chosen_paths[i] for i in text_only}
    chosen = [ok and p not in dropped for p, ok in zip(paths, chosen, strict=True)]
    lines = sum((sources[p] or b"").count(b"\n") for p in paths)
    parsed_lines = sum((sources[p] or b"").count(b"\n") for p, ok in zip(paths, chosen, strict=True) if ok)
    return {"files": len(paths), "lines": lines, "candidates": sum(chosen), "candidate_lines": parsed_lines}


def bench_tree(name: str, tree: Path, repeat: int, timeout: float, slow_repeat: int,
               no_cache_runs: bool = True) -> dict[str, object]:
    files = python_files(tree)
    print(f"\n{name}: {tree} ({len(files)} files)", flush=True)
    with tempfile.TemporaryDirectory(prefix="tfpar-bench-") as work:
        workdir = Path(work)
        listing = workdir / "files.txt"
        listing.write_text("\n".join(files), encoding="utf-8")
        stats = prefilter_stats(files, workdir)
        print(f"  prefilter: {stats['candidates']} of {stats['files']} files parsed "
              f"({stats['candidate_lines']} of {stats['lines']} lines)", flush=True)
        ours = [*tool("tfpar-doctor"), "check", "--exit-zero", "--output-format", "concise"]
        timings = {
            "tfpar_cold": measure(
                "tfpar-doctor check (cold cache)",
                [*ours, *files],
                workdir,
                repeat,
                timeout,
                before_each=[*tool("tfpar-doctor"), "clean"],
            ),
            "tfpar_warm": measure(
                "tfpar-doctor check (warm cache)", [*ours, *files], workdir, repeat, timeout
            ),
            **(
                {
                    "tfpar_no_cache": measure(
                        "tfpar-doctor check --no-cache",
                        [*ours, "--no-cache", *files],
                        workdir,
                        repeat,
                        timeout,
                    )
                }
                if no_cache_runs
                else {}
            ),
            "ruff": measure(
                "ruff check --no-cache",
                [*tool("ruff"), "check", "--no-cache", "--isolated", "--exit-zero", *files],
                workdir,
                repeat,
                timeout,
            ),
            "flake8": measure(
                "flake8 -j auto",
                [*tool("flake8"), "-j", "auto", "--isolated", "--exit-zero", *files],
                workdir,
                slow_repeat,
                timeout,
            ),
        }
    return {"tree": str(tree), "prefilter": stats, "timings": {k: asdict(v) | {"median": v.median,
            "median_cpu": v.median_cpu} for k, v in timings.items()}, "_objects": timings}


def bench_one_file(repeat: int, timeout: float) -> dict[str, object]:
    print("\none file (pre-commit): a 15-line pipeline module, console script, start-up included", flush=True)
    with tempfile.TemporaryDirectory(prefix="tfpar-bench-") as work:
        workdir = Path(work)
        (workdir / "input_pipeline.py").write_text(ONE_FILE, encoding="utf-8")
        ours = [*tool("tfpar-doctor"), "check", "--exit-zero", "input_pipeline.py"]
        timings = {
            "tfpar_no_cache": measure(
                "tfpar-doctor check --no-cache", [*ours, "--no-cache"], workdir, repeat, timeout
            ),
            "tfpar_warm": measure("tfpar-doctor check (warm cache)", ours, workdir, repeat, timeout),
            "ruff": measure(
                "ruff check --no-cache",
                [*tool("ruff"), "check", "--no-cache", "--isolated", "--exit-zero", "input_pipeline.py"],
                workdir,
                repeat,
                timeout,
            ),
            "flake8": measure(
                "flake8",
                [*tool("flake8"), "--isolated", "--exit-zero", "input_pipeline.py"],
                workdir,
                repeat,
                timeout,
            ),
        }
    return {
        "timings": {
            k: asdict(v) | {"median": v.median, "median_cpu": v.median_cpu} for k, v in timings.items()
        },
        "_objects": timings,
    }


def machine() -> dict[str, object]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    def version(command: list[str]) -> str:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else "?"

    return {
        "cpu": model or platform.processor(),
        "cores": cores,
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "load_average_at_start": os.getloadavg(),
        "tfpar_doctor": version([*tool("tfpar-doctor"), "--version"]),
        "ruff": version([*tool("ruff"), "--version"]),
        "flake8": version([*tool("flake8"), "--version"]),
    }


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("inf")


def verdicts(trees: dict[str, dict[str, object]], one: dict[str, object] | None) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []

    def row(target: str, value: float, limit: float, unit: str, ok: bool, *timings: Timing) -> None:
        # A run that timed out or was killed has no time to compare: say so instead of a verdict.
        complete = all(code in (0, 1) for timing in timings for code in timing.exit_codes)
        rows.append({"target": target, "measured": value, "limit": limit, "unit": unit,
                     "met": ok if complete else None})

    for name, result in trees.items():
        t = result["_objects"]
        cold, warm, ruff, flake8 = (t[k].median for k in ("tfpar_cold", "tfpar_warm", "ruff", "flake8"))
        row(f"{name}: cold / flake8 -j auto", ratio(cold, flake8), 1.0, "x", cold < flake8,
            t["tfpar_cold"], t["flake8"])
        if name == "stdlib":
            row(
                f"{name}: cold / ruff",
                ratio(cold, ruff),
                3.0,
                "x",
                cold <= 3 * ruff,
                t["tfpar_cold"],
                t["ruff"],
            )
        row(f"{name}: cold / warm", ratio(cold, warm), 5.0, "x (at least)", cold >= 5 * warm,
            t["tfpar_cold"], t["tfpar_warm"])
    if one is not None:
        timing = one["_objects"]["tfpar_no_cache"]
        row("one file, no cache, wall", round(timing.median, 3), 0.5, "s", timing.median < 0.5, timing)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument(
        "--trees", nargs="*", default=["stdlib", "tensorflow"], choices=["stdlib", "tensorflow"]
    )
    parser.add_argument("--no-one-file", action="store_true", help="skip the single-file latency")
    parser.add_argument(
        "--skip-no-cache",
        action="store_true",
        help="do not time the trees with --no-cache as well (the cold run already parses all)",
    )
    parser.add_argument("--slow-repeat", type=int, default=1,
                        help="runs of flake8 per tree (minutes each; its ratio to the others is large)")
    parser.add_argument("--timeout", type=float, default=1800.0,
                        help="seconds allowed per run; a run that takes longer is recorded as this many")
    args = parser.parse_args()

    info = machine()
    print(f"machine: {info['cpu']}, {info['cores']} cores, load {info['load_average_at_start']}; "
          f"{info['tfpar_doctor']}, ruff {info['ruff']}, flake8 {info['flake8']}", flush=True)
    trees: dict[str, dict[str, object]] = {}
    locations = {"stdlib": Path(sysconfig.get_paths()["stdlib"]),
                 "tensorflow": Path(sysconfig.get_paths()["purelib"]) / "tensorflow"}
    for name in args.trees:
        if not locations[name].is_dir():
            print(f"\n{name}: not installed, skipped", flush=True)
            continue
        trees[name] = bench_tree(name, locations[name], args.repeat, args.timeout, args.slow_repeat,
                                 not args.skip_no_cache)
    one = None if args.no_one_file else bench_one_file(max(args.repeat, 5), args.timeout)

    print("\nratios (median wall time):")
    for name, result in trees.items():
        t = result["_objects"]
        print(f"  {name}: cold/flake8 {ratio(t['tfpar_cold'].median, t['flake8'].median)}x, "
              f"cold/ruff {ratio(t['tfpar_cold'].median, t['ruff'].median)}x, "
              f"cold/warm {ratio(t['tfpar_cold'].median, t['tfpar_warm'].median)}x; "
              f"flake8/cold {ratio(t['flake8'].median, t['tfpar_cold'].median)}x faster than flake8")
    rows = verdicts(trees, one)
    print("\ntargets (issue 4):")
    for r in rows:
        verdict = {True: "met", False: "MISSED", None: "no verdict: a run timed out or failed"}[r["met"]]
        print(f"  [{verdict}] {r['target']}: {r['measured']} (limit {r['limit']} {r['unit']})")
    info["load_average_at_end"] = os.getloadavg()
    report = {
        "machine": info,
        "repeat": args.repeat,
        "trees": {k: {kk: vv for kk, vv in v.items() if kk != "_objects"} for k, v in trees.items()},
        "one_file": None if one is None else {k: v for k, v in one.items() if k != "_objects"},
        "targets": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"check_speed-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nwritten to {out.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
