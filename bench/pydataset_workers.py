"""Keras PyDataset workers: threads against spawned processes, pure Python against NumPy (TFP106).

    python bench/pydataset_workers.py                 # 1, 2, 4 thread workers and 2, 4 spawned, 2 s windows
    python bench/pydataset_workers.py --seconds 4 --batches 200

Two data sources with the same batch count: `PurePython` builds each batch with Python loops and dict
lookups (holds the GIL), `NumpySort` sorts arrays (NumPy releases the GIL). Each setting is measured with
the probe's own code (tfpar_doctor.probe.pydataset.measure: Keras's adapter, the path `fit` takes, after
a warm-up that pays the pool start) and judged by its `judge`, so this script and `tfpar-doctor probe` on
a PyDataset target agree by construction. Results go to bench/results/pydataset_workers-<keras>.json.
Not a test: it takes about a minute, and the numbers depend on how busy the machine is (printed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from dataclasses import asdict
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402 - spawned workers re-import this module and need the classes below
import numpy as np  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


class PurePython(keras.utils.PyDataset):
    """A tokenizer-like batch: Python loops and dict lookups, ~5-10 ms per batch."""

    def __init__(self, batches: int, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.batches = batches
        self.vocab = {f"w{i}": i for i in range(5000)}

    def __len__(self) -> int:
        return self.batches

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        rows = []
        for r in range(32):
            words = [f"w{(index * 31 + r * 7 + k) % 6000}" for k in range(120)]
            rows.append([self.vocab.get(w, 0) for w in words])
        return np.array(rows, np.int32), np.zeros(32, np.int32)


class NumpySort(keras.utils.PyDataset):
    """Array work in NumPy kernels that release the GIL, ~10-20 ms per batch."""

    def __init__(self, batches: int, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.batches = batches

    def __len__(self) -> int:
        return self.batches

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng(index)
        x = np.sort(rng.random((32, 20000)), axis=-1)
        return x[:, :8].astype(np.float32), np.zeros(32, np.float32)


def main() -> int:
    from tfpar_doctor.probe.pydataset import Setting, judge, measure, recommendation

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--batches", type=int, default=120)
    args = parser.parse_args()
    import multiprocessing

    multiprocessing.set_start_method("spawn", force=True)
    settings = [Setting("threads", 1), Setting("threads", 2), Setting("threads", 4),
                Setting("spawn", 2), Setting("spawn", 4)]
    out: dict[str, object] = {"keras": keras.__version__, "python": platform.python_version(),
                              "cores": os.cpu_count(), "seconds": args.seconds}
    for source in (PurePython, NumpySort):
        dataset = source(args.batches)
        levels = []
        for setting in settings:
            level = measure(dataset, setting, args.seconds)
            levels.append(level)
            gil = level.gil_contention if level.gil_contention is not None else float("nan")
            print(f"{source.__name__:10} {setting.level:10} {level.elements_per_second:7.1f} batches/s  "
                  f"cpu {level.cpu_cores:4.2f} cores  gil {gil:.2f}  "
                  f"other {level.other_cpu_cores:4.2f} cores  "
                  f"pool start {level.first_element_seconds or 0:.2f} s/epoch", flush=True)
        judged = judge(levels, os.cpu_count() or 1)
        print(f"{source.__name__:10} verdict {judged.verdict.value}, recommended {recommendation(judged)}")
        for reason in judged.reasons:
            print(f"           {reason}")
        out[source.__name__] = {"levels": [asdict(lv) for lv in levels], "verdict": judged.verdict.value,
                                "recommended": judged.best.level, "reasons": list(judged.reasons)}
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / f"pydataset_workers-{keras.__version__}.json"
    target.write_text(json.dumps(out, indent=1), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
