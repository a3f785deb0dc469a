"""Does a TensorFlow call inside a per-element Python callback hang a parallel map (TFP201)?

    python bench/tfp201_hang.py                          # this interpreter's TensorFlow
    python bench/tfp201_hang.py --python /tmp/tf216/bin/python --python /tmp/tf212/bin/python
    python bench/tfp201_hang.py --cases predict --repeat 6 --timeout 30

TensorFlow issue 32454 (a tf.function called from a py_function in a parallel map hangs) and 34659 (the
same from a generator under a parallel interleave): each call back into the runtime needs inter-op
threads while it holds a tf.data pool thread. Every combination of a callback body (`--cases`), a
`num_parallel_calls` and an inter-op pool size runs in its own child process, in its own process group,
killed with the whole group after `--timeout` seconds. A child ends in one of three ways:

    finished   all elements arrived (elements/s is printed)
    hung       no end within the timeout (the group is killed; the last element count is kept)
    stuck-after-all  every element arrived but the process did not exit within the timeout
    aborted    the child died of a signal (SIGABRT, SIGSEGV) or raised

Results go to bench/results/tfp201_hang-<tf version>.json, one record per run with the TensorFlow and
Keras versions the child saw. Not a test: one run per combination costs a TensorFlow import (seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

# What the per-element Python body calls back into (the shapes TFP201's documentation lists).
CASES = ("tf_function", "keras_call", "predict", "iterate_dataset", "generator_interleave", "numpy_only")
# (num_parallel_calls, inter_op_parallelism_threads); -1 is AUTOTUNE, 0 leaves TensorFlow's default.
SETTINGS = ((1, 0), (2, 0), (16, 0), (-1, 0), (2, 1), (16, 1), (-1, 1))
ELEMENTS = 96


@dataclass
class Run:
    python: str
    case: str
    npc: int
    inter_op: int
    outcome: str  # finished | hung | stuck-after-all | aborted
    seconds: float
    elements: int
    tensorflow: str = ""
    keras: str = ""
    detail: str = ""


def child(case: str, npc: int, inter_op: int, elements: int) -> None:
    """Runs one pipeline and prints `element N` lines as they arrive, then `done`."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf

    if inter_op:
        tf.config.threading.set_inter_op_parallelism_threads(inter_op)
    keras = tf.keras
    print(f"versions {tf.__version__} {getattr(keras, '__version__', '?')}", flush=True)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8), keras.layers.Dense(1)])

    @tf.function
    def double(x: tf.Tensor) -> tf.Tensor:
        return x * 2.0

    def body(i: np.ndarray) -> np.ndarray:
        x = np.full((1, 4), float(i), np.float32)
        if case == "tf_function":
            return double(tf.constant(x)).numpy().reshape(-1)[:1]
        if case == "keras_call":
            return np.asarray(model(x)).reshape(-1)[:1]
        if case == "predict":
            return model.predict(x, verbose=0).reshape(-1)[:1]
        if case == "iterate_dataset":
            total = sum(float(v) for v in tf.data.Dataset.range(4).map(lambda v: v * 2))
            return np.array([total], np.float32)
        return np.sort(x).reshape(-1)[:1]  # numpy_only: the control, no call back into TensorFlow

    parallel = tf.data.AUTOTUNE if npc == -1 else npc
    if case == "generator_interleave":
        def gen(i: int) -> Iterator[np.ndarray]:
            yield double(tf.constant([[float(i)] * 4])).numpy().reshape(-1)[:1]

        ds = tf.data.Dataset.range(elements).interleave(
            lambda i: tf.data.Dataset.from_generator(
                gen, args=(i,), output_signature=tf.TensorSpec([1], tf.float32)),
            cycle_length=16, num_parallel_calls=parallel)  # npc may not exceed cycle_length
    else:
        ds = tf.data.Dataset.range(elements).map(
            lambda i: tf.numpy_function(body, [i], tf.float32), num_parallel_calls=parallel)
    for count, _ in enumerate(ds, 1):
        print(f"element {count}", flush=True)
    print("done", flush=True)


def run_one(python: str, case: str, npc: int, inter_op: int, timeout: float, elements: int) -> Run:
    command = [python, str(Path(__file__).resolve()), "--child", case, str(npc), str(inter_op),
               str(elements)]
    start = time.monotonic()
    # A new session: on timeout the whole group (the child and anything it started) is killed.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        hung = True
    seconds = time.monotonic() - start
    lines = out.splitlines()
    versions = next((line.split()[1:] for line in lines if line.startswith("versions ")), ["", ""])
    count = sum(1 for line in lines if line.startswith("element "))
    if hung and count >= elements:
        # Every element arrived but the process did not end: stuck in teardown or killed at the limit.
        outcome, detail = "stuck-after-all", f"all {count} elements arrived, no exit within the timeout"
    elif hung:
        outcome, detail = "hung", f"{count} of {elements} elements before the kill"
    elif process.returncode == 0 and "done" in lines:
        outcome, detail = "finished", f"{count / max(seconds, 1e-9):.1f} el/s including start-up"
    else:
        code = process.returncode
        name = signal.Signals(-code).name if code < 0 else f"exit {code}"
        tail = err.strip().splitlines()[-1:] if err.strip() else []
        outcome, detail = "aborted", f"{name} after {count} elements; {' '.join(tail)[:200]}"
    tensorflow, keras = (versions + ["", ""])[:2]
    return Run(python, case, npc, inter_op, outcome, round(seconds, 2), count, tensorflow, keras, detail)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", action="append", help="interpreter with TensorFlow (repeatable)")
    parser.add_argument("--cases", nargs="*", choices=CASES, default=list(CASES))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=45.0)
    parser.add_argument("--elements", type=int, default=ELEMENTS)
    parser.add_argument("--child", nargs=4, metavar=("CASE", "NPC", "INTER_OP", "ELEMENTS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), int(args.child[2]), int(args.child[3]))
        return 0
    RESULTS.mkdir(exist_ok=True)
    for python in args.python or [sys.executable]:
        runs: list[Run] = []
        for case in args.cases:
            for npc, inter_op in SETTINGS:
                for _ in range(args.repeat):
                    run = run_one(python, case, npc, inter_op, args.timeout, args.elements)
                    runs.append(run)
                    npc_text = "AUTOTUNE" if npc == -1 else str(npc)
                    print(f"TF {run.tensorflow:8} {case:21} npc={npc_text:8} "
                          f"inter_op={inter_op or 'default':7} {run.outcome:8} {run.seconds:6.1f}s  "
                          f"{run.detail}", flush=True)
        version = runs[0].tensorflow if runs else "unknown"
        subset = "" if set(args.cases) == set(CASES) else "-" + "-".join(args.cases)
        target = RESULTS / f"tfp201_hang-{version or 'unknown'}{subset}.json"
        target.write_text(json.dumps([asdict(r) for r in runs], indent=1), encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
