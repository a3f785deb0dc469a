"""Throughput of the process-pool rewrite against the original pipeline, for the fixture pipelines.

    python bench/pool_rewrite.py [repeats]

Copies each fixture pipeline, applies the generated rewrite to a copy, and times each in its own process
(TensorFlow imported, pool started and 10 elements taken before the 6 s window). Three pipelines per fixture:
as written, as the advice hands it over (the map keeps or gets AUTOTUNE), and with the setting the advice
used to hand over (2 x WORKERS calls on an unbounded thread pool). Prints el/s and the ratio to the original,
and the seconds from the last element to the process's exit, with the part spent releasing the iterator
(tf.data waits for every call in flight). With repeats, each number is the median.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tfpar_doctor.advice.pool_apply import apply_rewrites, rewrites_for

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RUNNER = '''
import time

import {module}


def main():
    elements = iter({expression})
    for _ in range(11):
        next(elements)  # warm: traced, pool started, workers ready
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < {seconds}:
        next(elements)
        count += 1
    print("RATE", count / (time.perf_counter() - start), flush=True)
    released = time.perf_counter()
    del elements
    print("RELEASED", time.perf_counter() - released, flush=True)


if __name__ == "__main__":
    main()
'''
CASES = {
    "gil_bound": (("probe/gil_bound.py", "probe/text_features.py"), "gil_bound",
                  "gil_bound.make_dataset(10**6)"),
    "pool_shapes": (("probe/pool_shapes/pipeline.py", "probe/pool_shapes/words.py"), "pipeline",
                    "pipeline.make_dataset(10**6)"),
}
# What the advice handed over before: 2 x WORKERS calls in flight (WORKERS = this machine's cores).
UNBOUNDED = {"num_parallel_calls": str(2 * (os.cpu_count() or 1)), "use_unbounded_threadpool": "True"}
KINDS = {"original": None, "handed over": {}, "2 x WORKERS unbounded": UNBOUNDED}


def rate(directory: Path, module: str, expression: str, seconds: float) -> tuple[float, float, float]:
    """(el/s, seconds from the last element to the process's exit, of which releasing the iterator)."""
    (directory / "run.py").write_text(RUNNER.format(module=module, expression=expression, seconds=seconds))
    proc = subprocess.Popen([sys.executable, "run.py"], cwd=directory, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    measured, released = None, 0.0
    for line in proc.stdout:
        if line.startswith("RATE"):
            measured, finished = float(line.split()[1]), time.perf_counter()
        elif line.startswith("RELEASED"):
            released = float(line.split()[1])
    _, err = proc.communicate(timeout=300)
    if measured is None:
        raise SystemExit(f"{directory.name} failed:\n{err[-2000:]}")
    return measured, time.perf_counter() - finished, released


def one(tmp: Path, name: str, kind: str, seconds: float) -> tuple[float, float, float]:
    files, module, expression = CASES[name]
    directory = Path(tempfile.mkdtemp(dir=tmp))
    for file in files:
        shutil.copy(FIXTURES / file, directory)
    keywords = KINDS[kind]
    if keywords is not None:
        pipeline = directory / Path(files[0]).name
        apply_rewrites(rewrites_for(pipeline, keywords or None), pipeline)
    return rate(directory, module, expression, seconds)


def main(repeats: int = 1, seconds: float = 6.0) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name in CASES:
            runs = {kind: [one(Path(tmp), name, kind, seconds) for _ in range(repeats)] for kind in KINDS}
            medians = {kind: [statistics.median(r[i] for r in rows) for i in range(3)]
                       for kind, rows in runs.items()}
            base = medians["original"][0]
            parts = [f"{kind} {m[0]:.0f} el/s ({m[0] / base:.2f}x; exit {m[1]:.1f} s, iterator {m[2]:.1f} s)"
                     for kind, m in medians.items()]
            print(f"{name} (median of {repeats}): " + "; ".join(parts), flush=True)
            for kind, rows in runs.items():
                print(f"    {kind}: " + ", ".join(f"{r[0]:.0f} el/s exit {r[1]:.1f} s" for r in rows),
                      flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
