"""One probe run in the child process: the target, its builds, the meter, the calibration, run-wide notes.

`Session` is what every site's measurement shares (child process only; imports TensorFlow). It replaces the
closures and module-global state the child's `run` used to keep: building the user's pipeline with overrides,
the np.sort calibration before each round (§6.10), progress events, the warnings of the run, and
what the first build taught (the call sites, one element's size, whether the pipeline yields batches, the
memory budget).

Section numbers (§) refer to docs/how-probe-measures.md.
"""

from __future__ import annotations

import inspect
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psutil
import tensorflow as tf

from tfpar_doctor.probe import intercept, measure
from tfpar_doctor.probe import thresholds as T
from tfpar_doctor.probe.phases import Timeline
from tfpar_doctor.probe.target import ProbeFailure, load_target, parse_args, user_traceback

Emit = Callable[..., None]


@dataclass
class Settings:
    """The child's configuration (cfg from the parent), with defaults for what an older caller leaves out."""

    target: str
    args: list[str]
    levels: list[str]
    seconds: float
    min_rounds: int
    max_rounds: int
    elements: int | None
    site: str | None
    cores: int
    multiprocessing: bool
    extra_rounds: int
    memory_budget: int | None
    verify_rewrite: bool = False  # run the complete tf-native rewrite on each site's recorded inputs

    @classmethod
    def from_cfg(cls, cfg: dict[str, Any]) -> Settings:
        cores = int(cfg.get("cores") or os.cpu_count() or 1)
        repeat = max(1, int(cfg.get("repeat") or T.MIN_ROUNDS))
        return cls(
            target=cfg["target"],
            args=list(cfg.get("args") or []),
            levels=list(cfg["levels"]),
            seconds=float(cfg["seconds"]),
            min_rounds=repeat,
            max_rounds=max(repeat, int(cfg.get("max_rounds") or T.MAX_ROUNDS)),
            elements=cfg.get("elements"),
            site=cfg.get("site"),
            cores=cores,
            multiprocessing=bool(cfg.get("multiprocessing", True)),
            extra_rounds=int(cfg.get("extra_rounds", 2)) if cores >= 2 else 0,
            memory_budget=cfg.get("memory_budget"),
            verify_rewrite=bool(cfg.get("verify_rewrite", False)),
        )


def ordered_levels(spec: list[str]) -> list[str]:
    """Numeric levels ascending, then the others in the order given (duplicates dropped)."""
    out = list(dict.fromkeys(spec))
    numeric = sorted((x for x in out if x.isdigit()), key=int)
    return numeric + [x for x in out if not x.isdigit()]


class Session:
    def __init__(self, settings: Settings, emit: Emit, timeline: Timeline | None = None) -> None:
        self.s = settings
        self.emit = emit
        self.timeline = timeline or Timeline()  # where the run's time goes (probe/phases.py)
        self.cores = settings.cores
        self.warmup = min(0.2, max(0.05, settings.seconds / 5))
        self.warnings: list[str] = []
        self.calibration_rounds: list[dict[str, Any]] = []
        self._calibrated_at = 0.0
        self.meter = measure.Meter(timeline=self.timeline)
        self.make: Callable[..., Any] = lambda: None
        self.kwargs: dict[str, Any] = {}
        self.pool = self.cores
        self.levels = ordered_levels(settings.levels)
        self.first_build_seconds = 0.0
        self.element_bytes: int | None = None
        self.unit = "elements"
        self.dataset_elements: int | None = None  # finite cardinality, when known
        self.memory_budget: int | None = None
        self.memory_budget_source = ""

    # ---------------------------------------------------------------------------------------- the target

    def load(self) -> None:
        self.timeline.switch("pipeline import")
        self.emit("stage", text=f"importing {self.s.target}")
        self.make = load_target(self.s.target)
        self.kwargs = parse_args(self.s.args)
        try:
            inspect.signature(self.make).bind(**self.kwargs)
        except TypeError as exc:
            raise ProbeFailure(
                "usage", f"{self.s.target}: {exc} (pass arguments with --arg key=value)"
            ) from None
        except ValueError:
            pass  # no signature (a builtin): let the call decide

    def build(self, overrides: dict[Any, Any] | None = None, private: int | None = None,
              recording: bool = False) -> Any:
        """The user's pipeline, built again with `overrides` of the sites' parallelism."""
        intercept.STATE.overrides = overrides or {}
        intercept.STATE.recording = recording
        intercept.STATE.build_order = []
        try:
            ds = self.make(**self.kwargs)
        except ProbeFailure:
            raise
        except BaseException as exc:  # noqa: BLE001
            raise ProbeFailure(
                "user", f"{self.s.target} raised {type(exc).__name__}: {exc}", user_traceback(exc)
            ) from None
        finally:
            intercept.STATE.recording = False
        if not isinstance(ds, tf.data.Dataset):
            raise ProbeFailure(
                "not-dataset",
                f"{self.s.target} returned {type(ds).__module__}.{type(ds).__qualname__}, not a "
                "tf.data.Dataset",
            )
        if private:
            options = tf.data.Options()
            options.threading.private_threadpool_size = private
            ds = ds.with_options(options)
        return ds

    def record(self) -> None:
        """The first build: record the call sites, read the first elements, learn the element and the pool."""
        self.timeline.switch("pipeline build")
        self.emit("stage", text="building the pipeline (recording call sites)")
        t0 = time.perf_counter()
        first = self.build(recording=True)
        self.first_build_seconds = time.perf_counter() - t0
        self.timeline.switch("first elements")
        self.emit("stage", text="reading the first elements")
        try:
            self.meter.window(first, min(0.3, self.s.seconds), self.s.elements, 0.0, contention=False)
            self.element_bytes = measure.element_nbytes(self.meter.first_element)
        except measure.EmptyDataset:
            raise ProbeFailure("empty", f"{self.s.target} returned an empty dataset") from None
        except measure.UserError as exc:
            raise ProbeFailure(
                "user",
                f"the pipeline raised {type(exc.original).__name__} while iterating: {exc.original}",
                user_traceback(exc.original),
            ) from None
        self.unit = "batches" if measure.yields_batches(first) else "elements"
        self.dataset_elements = measure.cardinality(first)
        self.pool = measure.user_threadpool(first) or self.cores
        self.memory_budget, self.memory_budget_source = self._budget(first)
        if any(lv.isdigit() and int(lv) > self.pool for lv in self.levels):
            self.warnings.append(
                f"levels above {self.pool} measure nothing more unless a private or unbounded thread pool is "
                f"set (tf.data runs parallel calls on a pool of {self.pool} threads)"
            )

    def _budget(self, ds: Any) -> tuple[int | None, str]:
        if self.s.memory_budget:
            return int(self.s.memory_budget), "--memory-budget"
        set_budget = measure.ram_budget(ds)
        if set_budget:
            return set_budget, "options.autotune.ram_budget"
        return int(psutil.virtual_memory().available / 2), "half the available RAM (tf.data's default)"

    def sites(self) -> list[intercept.Site]:
        """The recorded call sites, or the one `--site FILE:LINE` asks for."""
        sites = list(intercept.STATE.sites.values())
        wanted = self.s.site
        if wanted:
            wpath, _, wline = wanted.rpartition(":")
            chosen = [s for s in sites if s.line == int(wline) and _same_file(s.path, wpath)]
            if not chosen:
                listed = ", ".join(f"{os.path.relpath(s.path)}:{s.line} ({s.method})" for s in sites)
                listed = listed or "none"
                raise ProbeFailure("target", f"no call site at {wanted}; sites found: {listed}")
            sites = chosen
        if not sites:
            self.warnings.append(
                "no user call site of map/interleave/flat_map/filter/from_generator was found "
                "(only library code built this pipeline)"
            )
        return sites

    # ---------------------------------------------------------------------------------------- measuring

    def calibrate(self) -> bool:
        """One calibration before a round; True when the round can be trusted (the reference scaled)."""
        if self._calibration_still_holds():
            self.calibration_rounds[-1]["reused"] = self.calibration_rounds[-1].get("reused", 0) + 1
            return True
        self.emit("stage", text="calibrating (np.sort at npc=1 vs 2)")
        with self.timeline.phase("calibration"):
            result = measure.calibrate(self.meter, min(T.CALIBRATION_SECONDS, self.s.seconds / 2), self.cores)
        speed = result.get("speedup")
        result["trusted"] = speed is None or speed >= T.TRUSTED_CALIBRATION
        self.calibration_rounds.append(result)
        self._calibrated_at = time.perf_counter()
        self.meter.busiest_other = 0.0
        return bool(result["trusted"])

    def _calibration_still_holds(self) -> bool:
        """A trusted calibration, recent, and no window since saw the machine busier than quiet."""
        if not self.calibration_rounds:
            return False
        last = self.calibration_rounds[-1]
        return bool(
            last.get("trusted")
            and last.get("speedup") is not None
            and time.perf_counter() - self._calibrated_at <= T.CALIBRATION_REUSE_SECONDS
            and self.meter.busiest_other <= T.BUSY_SOME * self.cores
        )

    def calibration_speed(self) -> float | None:
        """Median reference speed-up of the trusted rounds (of all rounds when none was trusted)."""
        rounds = self.calibration_rounds
        speeds = [r["speedup"] for r in rounds if r.get("speedup") and r.get("trusted")]
        speeds = speeds or [r["speedup"] for r in rounds if r.get("speedup")]
        return sorted(speeds)[len(speeds) // 2] if speeds else None

    def tick(self, text: str) -> None:
        self.emit("tick", text=text)

    def plan_more(self, windows: int, why: str | None = None) -> None:
        self.emit("plan_more", extra=windows)
        if why and why not in self.warnings:
            self.warnings.append(why)

    def pool_for(self, level: str) -> int | None:
        if level.startswith("private:"):
            return int(level.split(":", 1)[1])
        if level == "unbounded":
            return None
        return self.pool

    def calibration_summary(self) -> dict[str, Any]:
        if not self.calibration_rounds:
            return {}
        med = self.calibration_speed()
        multi = self.cores >= 2
        summary = {
            "ok": bool(med is not None and med >= T.CALIBRATION_WEAK) if multi else True,
            "speedup": med,
            "expected": 1.9 if multi else 1.0,
            "quality": round(max(0.0, min(1.0, ((med or 1.0) - 1.0) / 0.9)), 3) if multi else 1.0,
            "rounds": self.calibration_rounds,
            "trusted_rounds": sum(1 for r in self.calibration_rounds if r.get("trusted")),
        }
        if multi and med is not None and med < T.CALIBRATION_WEAK:
            self.warnings.append(
                f"calibration: the known-parallel reference (np.sort) gave {med:.2f}x at npc=2 over npc=1 "
                "(expected ~1.9x); this machine did not lend its cores evenly, confidence lowered"
            )
        return summary


def _same_file(path: str, wanted: str) -> bool:
    same = path == os.path.abspath(wanted) or path.endswith(os.sep + wanted)
    return same or os.path.basename(path) == wanted
