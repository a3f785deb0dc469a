"""Probing a Keras `PyDataset` target: workers swept as threads and as spawned processes (TFP106).

Keras 3 runs `PyDataset.__getitem__` on a pool of `workers`: threads (`multiprocessing.dummy.Pool`) unless
`use_multiprocessing=True`, then `multiprocessing.Pool` with the default start method. Threads only help
a `__getitem__` that releases the GIL (NumPy kernels, file reads, decoders); processes help pure Python
too, but Keras forks them by default, and forking a process that runs TensorFlow can hang (TFP202): the
probe starts them with spawn, the setting it recommends.

Each setting ("threads:N", "spawn:N") is measured by iterating Keras's own adapter (the path `fit` takes,
without the `from_generator` wrapper) for a window of batches after a warm-up, with the CPU of the
process and its worker processes, and GIL contention (gilknocker) in the probe's process. The verdict and
the recommended setting come from `judge`, with the probe's thresholds (probe/thresholds.py).

Runs in the probe's child process only (imports Keras, psutil and NumPy lazily).
"""

from __future__ import annotations

import inspect
import multiprocessing
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tfpar_doctor.model import LevelResult, ProbeSite, SiteResult, Verdict
from tfpar_doctor.probe import thresholds as th

# The warm-up batches before each window: the first ones pay the pool start (seconds under spawn).
_WARMUP_BATCHES = 2
# A window counts at least this many batches, waiting up to 4x the window for slow ones.
_MIN_BATCHES = 4


def is_pydataset(obj: Any) -> bool:
    """A Keras 3 PyDataset (or Keras 2/3 Sequence), told without importing Keras when it is not loaded."""
    keras = sys.modules.get("keras")
    if keras is None:
        return False
    base = getattr(getattr(keras, "utils", None), "PyDataset", None)
    return base is not None and isinstance(obj, base)


@dataclass(frozen=True, slots=True)
class Setting:
    mode: str  # "threads" or "spawn"
    workers: int

    @property
    def level(self) -> str:
        return f"{self.mode}:{self.workers}"


def settings_for(cores: int) -> list[Setting]:
    """threads at 1, 2, 4 ... cores; spawned processes at 2 ... cores (one process is one thread slower)."""
    counts = sorted({1, *(2**k for k in range(1, 8) if 2**k < cores), max(cores, 2)})
    return [Setting("threads", n) for n in counts] + [Setting("spawn", n) for n in counts if n > 1]


def site_of(dataset: Any) -> ProbeSite:
    """The `__getitem__` the workers run, as the site of the result."""
    getitem = type(dataset).__getitem__
    try:
        path = inspect.getsourcefile(getitem) or "<unknown>"
        line = inspect.getsourcelines(getitem)[1]
    except (OSError, TypeError):
        path, line = "<unknown>", 0
    return ProbeSite(path=path, line=line, method="PyDataset", function=getitem.__qualname__,
                     original_parallelism=str(getattr(dataset, "workers", 1)), runs_python=True,
                     python_kind="pydataset")


def measure(dataset: Any, setting: Setting, seconds: float) -> LevelResult:
    """Batches per second of `dataset` under one worker setting, with CPU and GIL contention.

    Keras creates its worker pool once per epoch (seconds under spawn, when the workers import Keras):
    the window's clock stops at an epoch's end and restarts after the next epoch's warm-up batches, so
    the rate is the steady one, and the start-up goes in `first_element_seconds` (median per epoch)."""
    import psutil
    from keras.src.trainers.data_adapters.py_dataset_adapter import PyDatasetAdapter

    dataset.workers = setting.workers
    dataset.use_multiprocessing = setting.mode != "threads"
    proc = psutil.Process()
    knocker = _knocker()
    adapter = PyDatasetAdapter(dataset, shuffle=False)
    window = _Window(proc, psutil)
    startups: list[float] = []
    try:
        iterator = _start_epoch(adapter, startups)
        if knocker is not None:
            knocker.reset_contention_metric()
            knocker.start()
        window.resume()
        while window.wall() < seconds or (window.batches < _MIN_BATCHES and window.wall() < 4 * seconds):
            try:
                next(iterator)
                window.batches += 1
            except StopIteration:
                window.pause()
                window.epochs += 1
                iterator = _start_epoch(adapter, startups)
                window.resume()
        window.pause()
        gil = None
        if knocker is not None:
            knocker.stop()
            gil = float(knocker.contention_metric)
    finally:
        if adapter.enqueuer is not None:
            adapter.enqueuer.stop()
    wall = max(window.elapsed, 1e-9)
    return LevelResult(level=setting.level, parallelism=setting.workers,
                       elements_per_second=window.batches / wall, spread=0.0, cpu_cores=window.cpu / wall,
                       gil_contention=gil, other_cpu_cores=max(0.0, (window.busy - window.cpu) / wall),
                       repeats=1, elements=window.batches, restarts=window.epochs,
                       first_element_seconds=round(statistics.median(startups), 3))


def _start_epoch(adapter: Any, startups: list[float]) -> Any:
    """A new epoch's iterator after its warm-up batches (the pool start), timed into `startups`."""
    started = time.perf_counter()
    iterator = adapter.get_numpy_iterator()
    for _ in range(_WARMUP_BATCHES):
        next(iterator, None)
    startups.append(time.perf_counter() - started)
    return iterator


class _Window:
    """Wall time, our CPU (with the worker processes) and the machine's, summed over running segments."""

    def __init__(self, proc: Any, psutil: Any) -> None:
        self._proc, self._psutil = proc, psutil
        self.batches = self.epochs = 0
        self.elapsed = self.cpu = self.busy = 0.0
        self._marks: tuple[float, float, float] | None = None

    def _now(self) -> tuple[float, float, float]:
        return time.perf_counter(), _cpu(self._proc), _busy(self._psutil.cpu_times())

    def resume(self) -> None:
        self._marks = self._now()

    def pause(self) -> None:
        if self._marks is None:
            return
        now = self._now()
        self.elapsed += now[0] - self._marks[0]
        self.cpu += now[1] - self._marks[1]
        self.busy += now[2] - self._marks[2]
        self._marks = None

    def wall(self) -> float:
        running = time.perf_counter() - self._marks[0] if self._marks is not None else 0.0
        return self.elapsed + running


def _knocker() -> Any:
    try:
        from gilknocker import KnockKnock

        return KnockKnock(polling_interval_micros=1000)
    except Exception:  # noqa: BLE001 - contention is optional
        return None


def _cpu(proc: Any) -> float:
    """CPU seconds of the process, its ended (reaped) worker processes and its living ones."""
    times = proc.cpu_times()
    total = times.user + times.system
    total += getattr(times, "children_user", 0.0) + getattr(times, "children_system", 0.0)
    for child in proc.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except Exception:  # noqa: BLE001 - a worker may exit while we read it
            continue
    return total


def _busy(t: Any) -> float:
    return float(t.user + t.system + getattr(t, "nice", 0.0))


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: Verdict
    reasons: tuple[str, ...]
    best: LevelResult
    thread_speedup: float
    process_speedup: float | None


def judge(levels: list[LevelResult], cores: int) -> Judgement:
    """The verdict and the recommended setting from a sweep (one decision, here)."""
    base = next(lv for lv in levels if lv.level == "threads:1")
    rate = max(base.elements_per_second, 1e-9)
    threads = [lv for lv in levels if lv.level.startswith("threads:")]
    spawned = [lv for lv in levels if lv.level.startswith("spawn:")]
    best_thread = max(threads, key=lambda lv: lv.elements_per_second)
    thread_speedup = best_thread.elements_per_second / rate
    best_spawn = max(spawned, key=lambda lv: lv.elements_per_second) if spawned else None
    process_speedup = best_spawn.elements_per_second / rate if best_spawn else None
    gil = max((lv.gil_contention or 0.0) for lv in threads)
    busy = max(lv.other_cpu_cores for lv in levels)
    reasons = [f"threads: {thread_speedup:.2f}x at {best_thread.level} over one worker ({rate:.1f} "
               f"batches/s), {best_thread.cpu_cores:.2f} cores busy, GIL contention up to {gil:.2f}"]
    if best_spawn is not None and process_speedup is not None:
        reasons.append(f"spawned processes: {process_speedup:.2f}x at {best_spawn.level} "
                       f"({best_spawn.cpu_cores:.2f} cores busy, worker start-up excluded)")
    if busy > th.BUSY_UNRELIABLE * cores:
        reasons.append(f"other processes used up to {busy:.2f} cores: the numbers are not reliable")
        return Judgement(Verdict.INCONCLUSIVE, tuple(reasons), base, thread_speedup, process_speedup)
    if thread_speedup >= th.ISOLATED_SCALES:
        best = _lowest_within(threads, best_thread)
        return Judgement(Verdict.SCALES, tuple(reasons), best, thread_speedup, process_speedup)
    if best_spawn is not None and process_speedup is not None and process_speedup >= th.POOL_GAIN:
        reasons.append("threads do not help but processes do: `__getitem__` holds the GIL")
        return Judgement(Verdict.GIL_BOUND, tuple(reasons), _lowest_within(spawned, best_spawn),
                         thread_speedup, process_speedup)
    if thread_speedup < th.FLAT and (gil >= th.HIGH_CONTENTION or best_thread.cpu_cores < th.ONE_CORE_MAX):
        reasons.append("more thread workers add nothing and about one core is busy: `__getitem__` holds "
                       "the GIL")
        return Judgement(Verdict.GIL_BOUND, tuple(reasons), base, thread_speedup, process_speedup)
    verdict = Verdict.PARTIAL if thread_speedup >= th.PARTIAL_MIN else Verdict.INCONCLUSIVE
    return Judgement(verdict, tuple(reasons), _lowest_within(threads, best_thread), thread_speedup,
                     process_speedup)


def _lowest_within(levels: list[LevelResult], best: LevelResult) -> LevelResult:
    """The fewest workers within RECOMMEND_WITHIN of the best: workers cost memory and start-up."""
    floor = best.elements_per_second * (1 - th.RECOMMEND_WITHIN)
    return min((lv for lv in levels if lv.elements_per_second >= floor), key=lambda lv: lv.parallelism or 0)


def recommendation(judged: Judgement) -> str:
    """The setting to write, in the user's code."""
    if judged.verdict is Verdict.INCONCLUSIVE:
        return "none: the measurements were inconclusive (see the reasons), measure on an idle machine"
    mode, _, workers = judged.best.level.partition(":")
    if mode == "threads":
        return f"workers={workers}" + ("" if workers != "1" else " (thread workers do not help)")
    return (f"workers={workers}, use_multiprocessing=True with multiprocessing.set_start_method('spawn') "
            "under `if __name__ == '__main__':` (Keras forks by default, TFP202)")


def probe(dataset: Any, cores: int, seconds: float, emit: Callable[..., None]) -> SiteResult:
    """Sweep the settings and judge: one SiteResult for the `__getitem__` site, batches as the unit."""
    # Keras creates its worker processes with the default start method; spawn is the safe one.
    multiprocessing.set_start_method("spawn", force=True)
    original = (dataset.workers, dataset.use_multiprocessing)
    levels: list[LevelResult] = []
    try:
        for setting in settings_for(cores):
            emit("tick", text=f"PyDataset {setting.level}")
            levels.append(measure(dataset, setting, seconds))
    finally:
        dataset.workers, dataset.use_multiprocessing = original
    judged = judge(levels, cores)
    notes = [f"recommended: {recommendation(judged)}"]
    startup = max(levels, key=lambda lv: lv.first_element_seconds or 0.0)
    if startup.first_element_seconds and startup.first_element_seconds > 0.5:
        notes.append(f"Keras starts its worker pool again every epoch: {startup.first_element_seconds:.1f} s "
                     f"per epoch at {startup.level} (not in the batches/s)")
    return SiteResult(
        site=site_of(dataset),
        verdict=judged.verdict,
        confidence=0.5 if judged.verdict is Verdict.INCONCLUSIVE else 0.8,
        reasons=judged.reasons,
        pipeline=levels,
        best_level=None if judged.verdict is Verdict.INCONCLUSIVE else judged.best.level,
        best_speedup=None if judged.verdict is Verdict.INCONCLUSIVE else round(
            judged.best.elements_per_second / _rate(levels), 3),
        multiprocessing_speedup=judged.process_speedup,
        notes=tuple(notes),
        unit="batches",
        signature="pydataset-sweep",
    )


def _rate(levels: list[LevelResult]) -> float:
    return max(statistics.median([lv.elements_per_second for lv in levels if lv.level == "threads:1"]), 1e-9)


def run_target(session: Any, tf: Any, emit: Callable[..., None]) -> dict[str, Any] | None:
    """The probe's run for a target that returns a PyDataset (None when it returns something else): called
    by the child when the target did not return a tf.data.Dataset."""
    import platform

    from tfpar_doctor.model import ProbeRun
    from tfpar_doctor.probe import results

    made = session.make(**session.kwargs)
    if not is_pydataset(made):
        return None
    emit("stage", text=f"sweeping the PyDataset's workers ({type(made).__qualname__})")
    started = time.perf_counter()
    site = probe(made, session.cores, session.s.seconds, emit)
    run = ProbeRun(
        target=session.s.target, tensorflow_version=tf.__version__, python_version=platform.python_version(),
        cores=session.cores, machine=platform.platform(), calibration={}, sites=[site],
        warnings=list(session.warnings), duration_seconds=None,
        options={"kind": "pydataset", "seconds": session.s.seconds,
                 "settings": [lv.level for lv in site.pipeline],
                 "child_seconds": round(time.perf_counter() - started, 2)},
    )
    return results.to_dict(run)
