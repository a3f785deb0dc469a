"""Throughput of the process-pool rewrite against the original pipeline, for the fixture pipelines.

    python bench/pool_rewrite.py

Copies each fixture pipeline twice, applies the generated rewrite to one copy, and times each in its own
process (TensorFlow imported, pool started and 10 elements taken before the 6 s window). Prints el/s for
both and their ratio (a light body loses to the pool's pickling and process round trips), and the seconds
from the last element to the process's exit, with the generated exit hook and without it.
"""

from __future__ import annotations

import shutil
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


if __name__ == "__main__":
    main()
'''
CASES = {
    "gil_bound": (("probe/gil_bound.py", "probe/text_features.py"), "gil_bound",
                  "gil_bound.make_dataset(10**6)"),
    "pool_shapes": (("probe/pool_shapes/pipeline.py", "probe/pool_shapes/words.py"), "pipeline",
                    "pipeline.make_dataset(10**6)"),
}


def rate(directory: Path, module: str, expression: str, seconds: float) -> tuple[float, float]:
    """(el/s, seconds from the last element to the process's exit: pool shutdown and interpreter exit)."""
    (directory / "run.py").write_text(RUNNER.format(module=module, expression=expression, seconds=seconds))
    proc = subprocess.Popen([sys.executable, "run.py"], cwd=directory, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    measured = None
    for line in proc.stdout:
        if line.startswith("RATE"):
            measured, finished = float(line.split()[1]), time.perf_counter()
    _, err = proc.communicate(timeout=300)
    if measured is None:
        raise SystemExit(f"{directory.name} failed:\n{err[-2000:]}")
    return measured, time.perf_counter() - finished


def _drop_exit_hook(directory: Path, modules: list[str]) -> None:
    """The pool modules as generated before the exit hook: the pool is left to multiprocessing's exit."""
    for module in modules:
        path = directory / f"{module}.py"
        path.write_text(path.read_text().replace("atexit.register(_close_pool)", "pass"))


def main(seconds: float = 6.0) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, (files, module, expression) in CASES.items():
            rates: dict[str, float] = {}
            exits: dict[str, float] = {}
            for kind in ("original", "rewritten", "no-exit-hook"):
                directory = Path(tmp) / f"{name}-{kind}"
                directory.mkdir()
                for file in files:
                    shutil.copy(FIXTURES / file, directory)
                if kind != "original":
                    pipeline = directory / Path(files[0]).name
                    rewrites = rewrites_for(pipeline)
                    apply_rewrites(rewrites, pipeline)
                    if kind == "no-exit-hook":
                        _drop_exit_hook(directory, [r.module for r in rewrites])
                rates[kind], exits[kind] = rate(directory, module, expression, seconds)
            ratio = rates["rewritten"] / rates["original"]
            print(f"{name}: original {rates['original']:.0f} el/s (exit {exits['original']:.1f} s), pool "
                  f"rewrite {rates['rewritten']:.0f} el/s (exit {exits['rewritten']:.1f} s) ({ratio:.2f}x); "
                  f"without the exit hook: exit {exits['no-exit-hook']:.1f} s")


if __name__ == "__main__":
    main()
