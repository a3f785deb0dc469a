"""Probe accuracy benchmark: run the probe on each fixture pipeline and compare with the expected verdicts.

    python bench/probe_accuracy.py [--seconds 1.0] [--repeat 3] [--levels 1,2,auto] [fixture ...]

Prints, per site: verdict (expected), confidence, best level and its speed-up, the multiprocessing
speed-up, and the wall time of the whole probe. Not a test: it takes minutes and needs an idle machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from tfpar_doctor.probe import runner

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "probe"

# fixture -> {line: expected verdict}
EXPECTED = {
    "gil_bound.py": {9: "gil-bound"},
    "numpy_sort.py": {16: "scales"},
    "io_sleep.py": {15: "threadpool-capped"},
    "tf_native.py": {15: "scales"},
    "two_stage.py": {19: "gil-bound", 20: "not-bottleneck"},
    "generator.py": {15: "gil-bound", 16: "not-bottleneck"},
    "trace_time.py": {22: "trace-time-only"},
    "artificial_dataset.py": {39: "threadpool-capped"},  # the map; the generator site is not labelled
    "short_dataset.py": {19: "unmeasurable"},
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("fixtures", nargs="*")
    parser.add_argument("--seconds", type=float, default=0.8)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--levels", default=None)
    parser.add_argument("--no-multiprocessing", action="store_true")
    args = parser.parse_args()
    names = args.fixtures or list(EXPECTED)
    cores = len(os.sched_getaffinity(0))
    right = total = 0
    for name in names:
        options = runner.ProbeOptions(
            target=f"{FIXTURES / name}:make_dataset",
            seconds=args.seconds,
            repeat=args.repeat,
            levels=runner.parse_levels(args.levels, cores) if args.levels else None,
            multiprocessing=not args.no_multiprocessing,
            cores=cores,
        )
        start = time.monotonic()
        try:
            run = runner.run_probe(options)
        except runner.ProbeError as exc:
            print(f"{name}: ERROR {exc.kind}: {exc.message}")
            continue
        wall = time.monotonic() - start
        for site in run.sites:
            expected = EXPECTED.get(name, {}).get(site.site.line, "?")
            ok = site.verdict.value == expected
            total += expected != "?"
            right += ok
            mp = f"{site.multiprocessing_speedup:.2f}x" if site.multiprocessing_speedup else "-"
            best = (
                f"{site.best_level} ({site.best_speedup:.2f}x)" if site.best_speedup else str(site.best_level)
            )
            other = max((lv.other_cpu_cores for lv in site.pipeline), default=0.0)
            print(
                f"{name}:{site.site.line} {site.site.method:<14} {site.verdict.value:<18} "
                f"expected {expected:<18} {'OK ' if ok else 'BAD'} conf {site.confidence:.2f} "
                f"best {best:<18} mp {mp:<6} other-cpu {other:.2f} cal {run.calibration.get('speedup')} "
                f"wall {wall:.1f}s"
            )
            if not ok:
                for reason in site.reasons:
                    print("      ", reason)
    print(f"{right}/{total} verdicts as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
