"""Does a fork pool started after TensorFlow hang its children (TFP202)?

    python bench/fork_after_tf.py --python /tmp/tf216/bin/python --python /tmp/tf28/bin/python

Each scenario runs in its own process group, killed after `--timeout` seconds: the parent imports
TensorFlow, does some work, then starts a `multiprocessing.get_context("fork").Pool(2)` whose children
run a task. Scenarios:

    after-ops        the parent ran eager ops before the fork; the children run NumPy
    after-iterator   a parallel tf.data iterator ran to the end before the fork; the children run NumPy
    while-iterating  a parallel tf.data iterator is running in another thread during the fork
    children-tf      the children run TensorFlow ops themselves (the documented hang of issues 5448, 14442)

Prints one line per run (finished / hung / aborted); not a test.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SCENARIOS = ("after-ops", "after-iterator", "while-iterating", "children-tf")


def _numpy_task(i: int) -> float:
    import numpy as np

    return float(np.sort(np.random.default_rng(i).random(100_000))[0])


def _tf_task(i: int) -> float:
    import tensorflow as tf

    return float(tf.reduce_sum(tf.range(i + 10)).numpy())


def child(scenario: str) -> None:
    import multiprocessing
    import threading

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    print(f"versions {tf.__version__}", flush=True)
    tf.reduce_sum(tf.random.uniform([256, 256]) @ tf.random.uniform([256, 256])).numpy()
    ds = tf.data.Dataset.range(2000).map(lambda x: x * 2, num_parallel_calls=tf.data.AUTOTUNE)
    if scenario == "after-iterator":
        sum(int(v) for v in ds)
    elif scenario == "while-iterating":
        threading.Thread(target=lambda: [int(v) for v in ds.repeat(50)], daemon=True).start()
        time.sleep(0.5)
    task = _tf_task if scenario == "children-tf" else _numpy_task
    with multiprocessing.get_context("fork").Pool(2) as pool:
        print(f"results {sum(pool.map(task, range(8)))}", flush=True)
    print("done", flush=True)


def run(python: str, scenario: str, timeout: float) -> str:
    start = time.monotonic()
    process = subprocess.Popen([python, str(Path(__file__).resolve()), "--child", scenario],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, _ = process.communicate()
        return f"hung      {time.monotonic() - start:5.1f}s  {_version(out)}"
    if process.returncode == 0 and "done" in out.split():
        return f"finished  {time.monotonic() - start:5.1f}s  {_version(out)}"
    tail = err.strip().splitlines()[-1:] if err.strip() else [f"exit {process.returncode}"]
    return f"aborted   {time.monotonic() - start:5.1f}s  {_version(out)}  {tail[0][:160]}"


def _version(out: str) -> str:
    return next((line.split()[1] for line in out.splitlines() if line.startswith("versions ")), "?")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", action="append")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    for python in args.python or [sys.executable]:
        for scenario in SCENARIOS:
            for _ in range(args.repeat):
                print(f"{scenario:16} {run(python, scenario, args.timeout)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
