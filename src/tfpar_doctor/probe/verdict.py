"""The verdict for one call site: a pure function of its measurements (no TensorFlow, unit-tested on tables).

The verdict logic is a table: `SIGNATURES` lists one small function per verdict signature, tried in this
order; the first that matches decides. Every number they compare against lives in `thresholds.py` with where
it came from. `judge()` returns the verdict with the signature that matched and, for `probe --explain`, why
each earlier signature did not, with the numbers. What a verdict means to the terminal, the report and the
advisor is `tfpar_doctor.model.VERDICT_MEANING`, beside the enum.

Order (docs/how-probe-measures.md, sections 1-7):

1. ``trace-time``: no per-element Python but side effects while traced (§1) -> trace-time-only.
2. ``ran-out`` / ``impossible-speedup``: the dataset ran out inside the windows, or a computing stage sped up
   beyond the cores -> unmeasurable, with what to pass (§6.13).
3. ``nothing-measured`` -> inconclusive.
4. ``headroom`` / ``stage-scales-alone``: the pipeline does not follow this site -> not-bottleneck.
5. ``no-parallelism-knob``: filter/flat_map/parallel_interleave that the pipeline waits on -> inconclusive.
6. Flat curves: ``flat-contended``, ``flat-processes-scale``, ``flat-one-core``, ``flat-fell`` (gil-bound,
   only when the interpreter has a GIL), ``flat-one-core-lent`` (inconclusive), ``flat-native-saturated``,
   ``flat-python-saturated`` (scales), ``flat-no-replay`` (not-bottleneck), ``flat-other`` (partial or
   inconclusive).
7. Rising curves: ``rising-waiting`` (threadpool-capped; scales when a larger pool did not help anywhere),
   ``rising-scales``, ``rising-native`` (scales), ``rising-without-cpu`` (gil-bound), ``rising-partial``.

`quality()` then lowers the confidence for a busy machine, a wide spread or a poor calibration, and turns a
computing stage measured on a saturated machine into `inconclusive`. `recommend()` picks the level to use.

Section numbers (§) refer to docs/how-probe-measures.md.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from tfpar_doctor.model import LevelResult, Verdict
from tfpar_doctor.probe import thresholds as T

RECOMMEND_WITHIN = T.RECOMMEND_WITHIN


@dataclass
class SiteMeasurements:
    """Everything the verdict looks at for one site (levels as in `LevelResult.level`)."""

    method: str
    runs_python: bool
    cores: int
    pipeline: Sequence[LevelResult]
    isolated: Sequence[LevelResult] = ()
    python_kind: str | None = None
    nested: bool = False
    parallel_capable: bool = True  # the site has a num_parallel_calls the probe varied in the pipeline
    side_effects: dict[str, int] = field(default_factory=dict)  # Python side effects seen at trace time
    trace_seconds: float = 0.0
    stage_per_pipeline_element: float | None = None  # the stage's output elements per pipeline element
    calibration_speedup: float | None = None  # np.sort reference, npc=2 over npc=1
    threadpool_size: int | None = None
    # the same Python function timed serially and in a process pool (probe.alternative), pool over serial
    multiprocessing_speedup: float | None = None
    multiprocessing_workers: int | None = None
    gil_enabled: bool = True  # False on a free-threaded build running without the GIL: never assume it
    pipeline_unit: str = "el/s"  # "batches/s" when the pipeline's elements are batches
    dataset_elements: int | None = None  # the pipeline's cardinality when finite and known


def _numeric(levels: Sequence[LevelResult]) -> list[LevelResult]:
    out = [lv for lv in levels if lv.level.isdigit()]
    return sorted(out, key=lambda lv: int(lv.level))


def _get(levels: Sequence[LevelResult], name: str) -> LevelResult | None:
    for lv in levels:
        if lv.level == name:
            return lv
    return None


def _extra(levels: Sequence[LevelResult]) -> list[LevelResult]:
    return [lv for lv in levels if lv.level.startswith("private:") or lv.level == "unbounded"]


def _contention(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.2f}"


def _ratio(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.2f}x"


def _fmt(rate: float) -> str:
    return f"{rate:.3g}" if rate < 100 else f"{rate:.0f}"


@dataclass
class _Curve:
    """One throughput curve (pipeline or isolated) summarised."""

    name: str
    base: LevelResult
    top: LevelResult  # highest numeric level <= cores
    best: LevelResult  # best of numeric (<= cores) and autotune
    autotune: LevelResult | None
    extra_best: LevelResult | None  # best private/unbounded level
    numeric: list[LevelResult] = field(default_factory=list)  # numeric levels within the pool
    unit: str = "el/s"

    def _over_base(self, lv: LevelResult) -> float:
        base = self.base.elements_per_second
        return lv.elements_per_second / base if base else 0.0

    @property
    def s_top(self) -> float:
        return self._over_base(self.top)

    @property
    def s_best(self) -> float:
        return self._over_base(self.best)

    @property
    def flat(self) -> bool:
        """No numeric level gains FLAT over level 1, and AUTOTUNE (same pool) not clearly more either:
        a lone AUTOTUNE outlier beyond the numeric levels is noise, not scaling."""
        if not self.base.elements_per_second:
            return True
        numeric_best = max(self._over_base(lv) for lv in self.numeric)
        auto = self._over_base(self.autotune) if self.autotune else 0.0
        return numeric_best < T.FLAT and auto < T.AUTOTUNE_FLAT

    def describe(self) -> str:
        parts = [f"{lv.level}: {_fmt(lv.elements_per_second)} {self.unit}" for lv in (self.base, self.top)]
        if self.autotune is not None:
            parts.append(f"autotune: {_fmt(self.autotune.elements_per_second)} {self.unit}")
        return ", ".join(dict.fromkeys(parts))


def _curve(name: str, levels: Sequence[LevelResult], cores: int, unit: str = "el/s") -> _Curve | None:
    numeric = [lv for lv in _numeric(levels) if lv.elements_per_second > 0]
    if not numeric:
        return None
    base = numeric[0]
    within = [lv for lv in numeric if int(lv.level) <= max(cores, int(base.level))]
    top = within[-1]
    candidates = list(within)
    auto = _get(levels, "autotune")
    if auto is not None:
        candidates.append(auto)
    best = max(candidates, key=lambda lv: lv.elements_per_second)
    extras = _extra(levels)
    extra_best = max(extras, key=lambda lv: lv.elements_per_second) if extras else None
    return _Curve(name, base, top, best, auto, extra_best, within, unit)


class Evidence:
    """The quantities the signatures compare, computed once from the measurements."""

    def __init__(self, m: SiteMeasurements) -> None:
        self.m = m
        self.cores = max(m.cores, 1)
        unit = m.pipeline_unit
        self.pipe = _curve("pipeline", m.pipeline, self.cores, unit) if m.parallel_capable else None
        self.iso = _curve("stage alone", m.isolated, self.cores)
        self.primary = self.pipe or self.iso
        self.pipe_flat = self.pipe is None or self.pipe.flat
        if not m.parallel_capable and m.pipeline and self.iso is not None:
            self.whole: LevelResult | None = max(m.pipeline, key=lambda lv: lv.elements_per_second)
        else:
            self.whole = self.pipe.best if self.pipe is not None else None
        self.ratio = m.stage_per_pipeline_element
        cal = m.calibration_speedup
        self.cal = cal
        self.lent_one_core = cal is not None and self.cores >= 2 and cal < T.CALIBRATION_ONE_CORE
        curve = self.primary
        self.top = curve.top if curve else None
        self.base = curve.base if curve else None
        self.contention = self.top.gil_contention if self.top else None
        self.contention_high = self.contention is not None and self.contention >= T.HIGH_CONTENTION
        self.cpu_top = self.top.cpu_cores if self.top else 0.0
        self.gil = m.gil_enabled

    @property
    def needed(self) -> float | None:
        """Elements per second the whole pipeline needs from this stage."""
        if self.whole is None or not self.ratio:
            return None
        return self.whole.elements_per_second * self.ratio

    def cpu_text(self) -> str:
        assert self.base is not None and self.top is not None
        return (
            f"process CPU {self.base.cpu_cores:.2f} cores at {self.base.level}, {self.cpu_top:.2f} at "
            f"{self.top.level} (of {self.cores})"
        )

    def gil_text(self) -> str:
        if not self.gil:
            return "the interpreter runs without the GIL (free-threaded): no GIL contention to measure"
        c = self.contention
        return f"GIL contention {c:.2f}" if c is not None else "GIL contention not measured"

    def curve_text(self) -> str:
        assert self.primary is not None
        what = "k generator copies in a parallel interleave" if self.m.method == "from_generator" else None
        return f"{what or self.primary.name}: {self.primary.describe()} -> {self.primary.s_best:.2f}x at best"

    def about_one_core(self, strict: bool = False) -> bool:
        high = T.ONE_CORE_STRICT if strict else T.ONE_CORE_MAX
        base = self.base.cpu_cores if self.base else 0.0
        return T.ONE_CORE_MIN <= self.cpu_top <= high and base <= high

    def gil_signature(self, curve: _Curve | None) -> bool:
        """Per-element Python, GIL contended, about one core at the top level of `curve`."""
        return bool(
            self.m.runs_python
            and curve is not None
            and (curve.top.gil_contention or 0.0) >= T.HIGH_CONTENTION
            and curve.top.cpu_cores <= T.ONE_CORE_MAX
        )


@dataclass
class Outcome:
    """What one signature found: a verdict when it matched, else why not (with the numbers)."""

    matched: bool
    why: str = ""
    verdict: Verdict = Verdict.INCONCLUSIVE
    confidence: float = 0.0
    reasons: list[str] = field(default_factory=list)


def no(why: str) -> Outcome:
    return Outcome(False, why)


def yes(verdict: Verdict, confidence: float, reasons: list[str], why: str = "") -> Outcome:
    return Outcome(True, why or (reasons[0] if reasons else ""), verdict, confidence, reasons)


# ----------------------------------------------------------------------------------------------- signatures


def trace_time(e: Evidence) -> Outcome:
    m = e.m
    if m.runs_python or not m.side_effects:
        return no("runs per-element Python" if m.runs_python else "no Python side effect while traced")
    effects = ", ".join(f"{name} x{count}" for name, count in sorted(m.side_effects.items()))
    reasons = [
        f"the mapped function's Python side effects ({effects}) ran while it was traced "
        f"({m.trace_seconds:.2f} s), not per element: the function runs as graph ops"
    ]
    curve = _curve("pipeline", m.pipeline, e.cores, m.pipeline_unit)
    curve = curve or _curve("stage alone", m.isolated, e.cores)
    if curve is not None:
        reasons.append(f"per-element graph work {curve.name}: {curve.describe()} ({curve.s_best:.2f}x)")
    return yes(Verdict.TRACE_TIME_ONLY, 0.9, reasons)


def _short(e: Evidence) -> Outcome | None:
    """A finite dataset that one window reads most of, without running out."""
    n = e.m.dataset_elements
    per_window = [lv.elements / lv.repeats for lv in e.m.pipeline if lv.repeats]
    if n is None or not per_window or max(per_window) <= T.SHORT_SHARE * n:
        return None
    return yes(
        Verdict.UNMEASURABLE,
        0.85,
        [
            f"the dataset holds only {n} elements and a measuring window read {max(per_window):.0f} of them: "
            "each window starts a fresh iterator, so start-up and the end of the data fall inside it",
            "make it longer (e.g. --arg with more files or samples, or .repeat() in the target) or bound the "
            "windows well below its length with --elements N",
        ],
    )


def ran_out(e: Evidence) -> Outcome:
    restarted = [lv for lv in list(e.m.pipeline) if lv.restarts > 0]
    if not restarted:
        short = _short(e)
        return short or no("the dataset never ran out inside a measuring window")
    worst = max(restarted, key=lambda lv: lv.restarts)
    return yes(
        Verdict.UNMEASURABLE,
        0.9,
        [
            f"the dataset ran out {worst.restarts} time(s) inside the measuring windows at level "
            f"{worst.level} "
            f"({worst.elements} elements counted): every restart pays the start-up again, so the rates say "
            "nothing about parallelism",
            "make it longer (e.g. --arg with more files or samples, or .repeat() in the target) or bound the "
            "windows below its length with --elements N",
        ],
    )


def impossible_speedup(e: Evidence) -> Outcome:
    curve = e.primary
    if curve is None:
        return no("nothing measured")
    limit = e.cores * T.IMPOSSIBLE_SPEEDUP
    computing = curve.top.cpu_cores >= T.SATURATED_SHARE * e.cores
    if curve.s_best <= limit or not computing:
        return no(
            f"best speed-up {curve.s_best:.2f}x within {limit:.2f}x (cores x {T.IMPOSSIBLE_SPEEDUP})"
            if curve.s_best <= limit
            else f"{curve.s_best:.2f}x but CPU {curve.top.cpu_cores:.2f} cores: a waiting stage can overlap"
        )
    spread = max(lv.spread for lv in curve.numeric)
    return yes(
        Verdict.UNMEASURABLE,
        0.8,
        [
            f"{curve.name}: {curve.s_best:.2f}x at {curve.best.level} on {e.cores} cores for a stage that "
            f"computes (CPU {curve.top.cpu_cores:.2f} cores, spread up to {spread:.0%}): physically "
            "impossible, the windows measured something else (a dataset too short or too uneven, or a "
            "machine whose speed changed between windows: other load, a VM's stolen time)",
            "probe again on a quiet machine; if it repeats, give it more elements (--arg) or fixed windows "
            "(--elements N)",
        ],
    )


def nothing_measured(e: Evidence) -> Outcome:
    if e.primary is not None:
        return no("levels were measured")
    return yes(Verdict.INCONCLUSIVE, 0.2, ["no level could be measured"])


def headroom(e: Evidence) -> Outcome:
    iso, pipe, needed = e.iso, e.pipe, e.needed
    if iso is None or e.whole is None or needed is None or needed <= 0:
        return no("no stage-alone replay or no output ratio to compare with the pipeline")
    big = iso.base.elements_per_second >= T.BIG_HEADROOM * needed
    if not (e.pipe_flat or big):
        return no(f"the pipeline follows this site ({pipe.s_best:.2f}x)" if pipe else "pipeline not varied")
    factor = T.GIL_SHARED_FACTOR if e.gil_signature(pipe) else T.NOT_BOTTLENECK_FACTOR
    have = iso.base.elements_per_second / needed
    if have < factor:
        return no(f"stage alone {have:.1f}x what the pipeline needs (below {factor}x)")
    reasons = [
        f"stage alone at npc={iso.base.level}: {_fmt(iso.base.elements_per_second)} el/s, the whole pipeline "
        f"needs {_fmt(needed)} el/s from it ({have:.1f}x headroom)"
    ]
    if pipe is not None and e.pipe_flat:
        reasons.append(f"varying it moves the pipeline only {pipe.s_best:.2f}x ({pipe.describe()})")
    elif pipe is not None:
        reasons.append(
            f"the pipeline moved {pipe.s_best:.2f}x while it was varied ({pipe.describe()}): with this much "
            "headroom that is noise from the rest of the pipeline"
        )
    return yes(Verdict.NOT_BOTTLENECK, 0.85 if e.pipe_flat else 0.7, reasons)


def stage_scales_alone(e: Evidence) -> Outcome:
    iso, pipe = e.iso, e.pipe
    if iso is None or pipe is None or not e.pipe_flat:
        return no("the pipeline follows this site" if pipe is not None else "no pipeline to compare with")
    if iso.s_best < T.ISOLATED_SCALES:
        return no(f"the stage alone gains only {iso.s_best:.2f}x (below {T.ISOLATED_SCALES}x)")
    if e.gil_signature(pipe) and e.gil_signature(iso):
        return no("the GIL-bound signature shows in the pipeline and in the stage alone")
    return yes(
        Verdict.NOT_BOTTLENECK,
        0.7,
        [
            f"stage alone scales {iso.s_best:.2f}x ({iso.describe()}) but the pipeline stays flat "
            f"({pipe.s_best:.2f}x: {pipe.describe()}): another stage limits it"
        ],
    )


def no_parallelism_knob(e: Evidence) -> Outcome:
    m = e.m
    if m.parallel_capable or m.method == "from_generator":
        return no("the site has a parallelism the probe varied")
    if m.method == "parallel_interleave":
        first = (
            "parallel_interleave is deprecated and has no num_parallel_calls, and the stage alone is not "
            "much faster than the pipeline: use interleave(..., num_parallel_calls=tf.data.AUTOTUNE)"
        )
    else:
        first = (
            f"{m.method} has no num_parallel_calls and the stage alone is not much faster than the pipeline: "
            "move its work into a parallel map before it"
        )
    reasons = [first]
    if e.iso is not None and e.whole is not None:
        reasons.append(
            f"stage alone {_fmt(e.iso.base.elements_per_second)} el/s, whole pipeline "
            f"{_fmt(e.whole.elements_per_second)} {m.pipeline_unit}"
        )
    return yes(Verdict.INCONCLUSIVE, 0.4, reasons)


def _flat(e: Evidence) -> str | None:
    """Why a flat-curve signature does not apply (None: the curve is flat)."""
    assert e.primary is not None
    if not e.primary.flat:
        return f"the curve rises ({e.primary.s_best:.2f}x, flat below {T.FLAT}x)"
    return None


def _flat_reasons(e: Evidence) -> list[str]:
    return [e.curve_text(), e.cpu_text(), e.gil_text()]


def _needs_gil(e: Evidence) -> str | None:
    if not e.gil:
        return "the interpreter runs without the GIL: a GIL-bound verdict is never assumed"
    if not e.m.runs_python:
        return "no per-element Python"
    return None


def flat_contended(e: Evidence) -> Outcome:
    why = _flat(e) or _needs_gil(e)
    if why:
        return no(why)
    if not (e.contention_high and e.cpu_top <= T.ONE_CORE_MAX):
        return no(
            f"contention {_contention(e.contention)} (needs >= {T.HIGH_CONTENTION}), CPU {e.cpu_top:.2f} "
            f"(needs <= {T.ONE_CORE_MAX})"
        )
    reasons = _flat_reasons(e)
    top, base = e.top, e.base
    assert top is not None and base is not None
    if top.first_element_seconds and base.first_element_seconds:
        reasons.append(
            f"first element {base.first_element_seconds * 1000:.0f} ms at {base.level}, "
            f"{top.first_element_seconds * 1000:.0f} ms at {top.level}"
        )
    return yes(Verdict.GIL_BOUND, 0.6 if e.lent_one_core else 0.9, reasons)


def flat_processes_scale(e: Evidence) -> Outcome:
    why = _flat(e) or _needs_gil(e)
    if why:
        return no(why)
    mp = e.m.multiprocessing_speedup
    if mp is None or mp < T.PROCESSES_SCALE or not e.about_one_core():
        return no(
            f"process pool {'not measured' if mp is None else f'{mp:.2f}x'} (needs >= {T.PROCESSES_SCALE}x), "
            f"CPU {e.cpu_top:.2f} cores"
        )
    workers = f"{e.m.multiprocessing_workers}-process" if e.m.multiprocessing_workers else "process"
    reasons = _flat_reasons(e) + [
        f"the same Python function in a {workers} pool ran {mp:.2f}x faster than serially, while threads "
        "stayed at one core: it parallelises across processes, not threads (the GIL)"
    ]
    assert e.primary is not None and e.top is not None
    fell = e.primary.s_top < T.FELL
    if fell:
        reasons.append(
            f"throughput fell to {e.primary.s_top:.2f}x at {e.top.level}: the threads cost more than they add"
        )
    return yes(Verdict.GIL_BOUND, 0.85 if e.contention_high or fell else 0.75, reasons)


def flat_one_core(e: Evidence) -> Outcome:
    why = _flat(e) or _needs_gil(e)
    if why:
        return no(why)
    some = e.contention is None or e.contention >= T.SOME_CONTENTION
    if not (e.about_one_core(strict=True) and not e.lent_one_core and some):
        return no(
            f"CPU {e.cpu_top:.2f} cores, calibration {_ratio(e.cal)}, "
            f"contention {_contention(e.contention)}: not one core on a machine that lent its cores"
        )
    lent = "its cores" if e.cal is None else f"{e.cal:.2f}x on the reference"
    reasons = _flat_reasons(e) + [
        f"CPU stays at about one core at every level although the machine lent {lent}: the Python body "
        "serialises"
    ]
    return yes(Verdict.GIL_BOUND, 0.7, reasons)


def flat_fell(e: Evidence) -> Outcome:
    why = _flat(e) or _needs_gil(e)
    if why:
        return no(why)
    assert e.primary is not None and e.top is not None
    if e.primary.s_top >= T.FELL:
        return no(f"throughput at {e.top.level} is {e.primary.s_top:.2f}x (did not fall below {T.FELL}x)")
    if e.lent_one_core or not e.about_one_core():
        return no(
            f"throughput fell to {e.primary.s_top:.2f}x at {e.top.level}, but CPU {e.cpu_top:.2f} cores is "
            f"not about one core ({T.ONE_CORE_MIN}-{T.ONE_CORE_MAX}) on a machine that lent its cores"
        )
    reasons = _flat_reasons(e) + [
        f"throughput fell to {e.primary.s_top:.2f}x at {e.top.level} while CPU stayed at one core and the "
        "machine lent its cores: the threads serialise on one lock, for a Python callback the GIL "
        "(gilknocker reads low when the body drops the GIL for many short calls into TensorFlow or C)"
    ]
    return yes(Verdict.GIL_BOUND, 0.65, reasons)


def flat_one_core_lent(e: Evidence) -> Outcome:
    why = _flat(e)
    if why:
        return no(why)
    if not e.lent_one_core:
        return no(f"calibration {e.cal} (one core lent below {T.CALIBRATION_ONE_CORE}x)")
    reasons = _flat_reasons(e) + [
        f"the calibration reference gave only {e.cal:.2f}x at npc=2 over npc=1: the machine had about one "
        "core to give, so a flat curve proves nothing"
    ]
    return yes(Verdict.INCONCLUSIVE, 0.3, reasons)


def _saturated(e: Evidence) -> str | None:
    if e.cpu_top < T.SATURATED_SHARE * e.cores:
        return f"CPU {e.cpu_top:.2f} cores, below {T.SATURATED_SHARE:.0%} of {e.cores}"
    if e.contention_high:
        return f"GIL contended ({e.contention:.2f})"
    return None


def flat_native_saturated(e: Evidence) -> Outcome:
    why = _flat(e) or ("per-element Python" if e.m.runs_python else None) or _saturated(e)
    if why:
        return no(why)
    reasons = [e.curve_text(), e.cpu_text() + ": native kernels already use the cores at npc=1", e.gil_text()]
    return yes(Verdict.SCALES, 0.6, reasons)


def flat_python_saturated(e: Evidence) -> Outcome:
    why = _flat(e) or (None if e.m.runs_python else "no per-element Python") or _saturated(e)
    if why:
        return no(why)
    reasons = _flat_reasons(e) + ["per-element Python that releases the GIL, but the cores are already busy"]
    return yes(Verdict.SCALES, 0.5, reasons)


def flat_no_replay(e: Evidence) -> Outcome:
    why = _flat(e)
    if why:
        return no(why)
    if e.iso is not None or e.pipe is None or e.m.runs_python:
        return no("the stage was replayed alone, or runs Python")
    reasons = _flat_reasons(e) + [
        "flat and the stage could not be replayed alone: probably another stage limits it"
    ]
    return yes(Verdict.NOT_BOTTLENECK, 0.5, reasons)


def flat_other(e: Evidence) -> Outcome:
    why = _flat(e)
    if why:
        return no(why)
    assert e.primary is not None
    reasons = _flat_reasons(e)
    if e.m.runs_python and not e.gil:
        reasons.append(
            "flat at about one core with the GIL disabled: a lock inside the function or a library "
            "serialises it"
        )
    elif e.m.runs_python and not e.contention_high:
        reasons.append(
            "flat although the GIL is mostly free and CPU is below the cores: the machine's other load or a "
            "lock inside the function limits it"
        )
    verdict = Verdict.PARTIAL if e.primary.s_best >= T.PARTIAL_MIN else Verdict.INCONCLUSIVE
    return yes(verdict, 0.4, reasons)


def _ideal(e: Evidence) -> int:
    assert e.top is not None
    return min(e.cores, int(e.top.level)) if e.top.level.isdigit() else e.cores


def _extra_best(e: Evidence) -> LevelResult | None:
    """The best private/unbounded pool level, in the pipeline first."""
    assert e.primary is not None
    if e.primary is e.pipe:
        return e.primary.extra_best
    return e.pipe.extra_best if e.pipe else e.primary.extra_best


def rising_waiting(e: Evidence) -> Outcome:
    assert e.primary is not None and e.top is not None
    curve = e.primary
    lent = max(0.5, e.cores - e.top.other_cpu_cores)  # cores the other processes left us
    ideal = _ideal(e)
    waiting = e.cpu_top < T.WAITING_SHARE * min(e.cores, ideal, lent)
    near = curve.s_top >= T.NEAR_IDEAL * ideal
    if not (waiting and near):
        return no(
            f"CPU {e.cpu_top:.2f} cores (waiting below {T.WAITING_SHARE * min(e.cores, ideal, lent):.2f}), "
            f"{curve.s_top:.2f}x at {e.top.level} (near the ideal {ideal} from {T.NEAR_IDEAL * ideal:.2f}x)"
        )
    reasons = [e.curve_text(), e.cpu_text() + ": waiting, not computing", e.gil_text()]
    piped_text, piped = _pool_lift(curve.best, _extra_best(e), e.cores, "whole pipeline")
    alone_text, alone = (
        _pool_lift(e.iso.best, e.iso.extra_best, e.cores, "stage alone")
        if e.iso and e.iso is not curve
        else ("", None)
    )
    reasons += [text for text in (piped_text, alone_text) if text]
    if piped is not None and piped >= T.POOL_GAIN:
        return yes(Verdict.THREADPOOL_CAPPED, 0.9, reasons)
    if alone is not None and alone >= T.POOL_GAIN:
        reasons.append(
            "the stage alone is capped by the thread pool; the whole pipeline did not follow the larger pool "
            f"({piped:.2f}x): once the cap is lifted, another stage sets the pace"
            if piped is not None
            else "the stage alone is capped by the thread pool"
        )
        return yes(Verdict.THREADPOOL_CAPPED, 0.85, reasons)
    if piped is not None or alone is not None:
        reasons.append("a larger thread pool did not help: the wait is elsewhere")
        return yes(Verdict.SCALES, 0.6, reasons)
    auto = curve.autotune
    if auto is not None and auto.elements_per_second <= T.AUTOTUNE_NO_FASTER * e.top.elements_per_second:
        reasons.append(
            f"AUTOTUNE ({_fmt(auto.elements_per_second)} el/s) is no faster than {e.top.level}: capped at "
            f"the {e.cores}-thread pool"
        )
    return yes(Verdict.THREADPOOL_CAPPED, 0.65, reasons)


def _pool_lift(
    best: LevelResult, extra: LevelResult | None, cores: int, where: str
) -> tuple[str, float | None]:
    if extra is None:
        return "", None
    ref = best.elements_per_second
    gain = extra.elements_per_second / ref if ref else 0.0
    return (
        f"{where}, {extra.level}: {_fmt(extra.elements_per_second)} el/s ({gain:.1f}x over the best level "
        f"within the {cores}-thread pool)",
        gain,
    )


def _judged_ideal(e: Evidence) -> float:
    """The ideal speed-up, lowered to what the machine lent when the calibration was weak."""
    ideal = float(_ideal(e))
    if e.cal is not None and e.cores >= 2 and e.cal < T.CALIBRATION_WEAK:
        ideal = max(1.0, min(ideal, e.cal * 1.05))
    return ideal


def _cpu_ideal(e: Evidence) -> float | None:
    """The CPU the stage got at the top level over the base level, when it reached the cores with the GIL
    free: the speed-up its own CPU allows. On 2 cores a probed stage reaches 1.8-1.9 cores at most (the
    process's own threads take the rest), so a GIL-releasing NumPy stage whose CPU goes 1.04 -> 1.87 cores
    gains ~1.8x at best, and 0.8 s windows of 10-20 large elements read it anywhere in 1.48-1.92x
    (p19_windowed_series.py:31, idle): against the cores' ideal (2) it sat on the `scales` edge. Stages
    without per-element Python have their own signature (`rising-native`)."""
    if not e.m.runs_python or e.base is None or e.base.cpu_cores <= 0 or e.contention_high:
        return None
    if e.cpu_top < T.SATURATED_SHARE * e.cores:
        return None
    return e.cpu_top / e.base.cpu_cores


def rising_scales(e: Evidence) -> Outcome:
    assert e.primary is not None
    ideal = _judged_ideal(e)
    cpu_ideal = _cpu_ideal(e)
    by_cpu = cpu_ideal is not None and cpu_ideal < ideal
    if cpu_ideal is not None:
        ideal = max(1.0, min(ideal, cpu_ideal))
    what = "the CPU it got" if by_cpu else "the ideal"
    s_top = e.primary.s_top
    python_contended = e.m.runs_python and e.contention_high and e.cpu_top < T.SATURATED_SHARE * e.cores
    if s_top < T.SCALES_SHARE * ideal or python_contended:
        return no(
            f"{s_top:.2f}x against {T.SCALES_SHARE * ideal:.2f}x "
            f"({T.SCALES_SHARE:.0%} of {what}, {ideal:.2f}x)"
            + ("; Python with the GIL contended below the cores" if python_contended else "")
        )
    reasons = [e.curve_text(), e.cpu_text(), e.gil_text()]
    if by_cpu:
        reasons.append(f"{s_top:.2f}x judged against the {ideal:.2f}x its CPU rose by (the GIL stays free)")
    return yes(Verdict.SCALES, 0.85, reasons)


def rising_native(e: Evidence) -> Outcome:
    if e.m.runs_python or e.contention_high:
        return no("per-element Python" if e.m.runs_python else "GIL contended")
    assert e.base is not None
    note = (
        ": native kernels use more than one core already at npc=1, so the gain is small"
        if e.base.cpu_cores >= T.NATIVE_MULTICORE
        else ": graph ops, no per-element Python"
    )
    confidence = 0.75 if e.cpu_top >= T.SATURATED_SHARE * e.cores else 0.6
    return yes(Verdict.SCALES, confidence, [e.curve_text(), e.cpu_text() + note, e.gil_text()])


def rising_without_cpu(e: Evidence) -> Outcome:
    why = _needs_gil(e)
    if why:
        return no(why)
    assert e.base is not None and e.top is not None and e.primary is not None
    if not (
        e.contention_high and e.cpu_top <= T.ONE_CORE_MAX and e.cpu_top <= T.NO_MORE_CPU * e.base.cpu_cores
    ):
        cpu = f"CPU {e.base.cpu_cores:.2f} -> {e.cpu_top:.2f} cores"
        return no(f"{cpu}, contention {_contention(e.contention)}")
    reasons = [
        e.curve_text(),
        e.cpu_text(),
        e.gil_text(),
        f"{e.primary.s_top:.2f}x at {e.top.level} with no more CPU than at {e.base.level} and the GIL "
        "contended: the Python body serialises; the gain is not parallel work",
    ]
    return yes(Verdict.GIL_BOUND, 0.7, reasons)


def rising_partial(e: Evidence) -> Outcome:
    assert e.primary is not None and e.top is not None
    reasons = [
        e.curve_text(),
        e.cpu_text(),
        e.gil_text(),
        f"{e.primary.s_top:.2f}x at {e.top.level} against an ideal of {_judged_ideal(e):.2f}x",
    ]
    return yes(Verdict.PARTIAL, 0.7, reasons)


@dataclass(frozen=True)
class Signature:
    name: str
    check: Callable[[Evidence], Outcome]


# The table, in the order it is tried (the module docstring says why this order).
SIGNATURES: tuple[Signature, ...] = (
    Signature("trace-time", trace_time),
    Signature("ran-out", ran_out),
    Signature("impossible-speedup", impossible_speedup),
    Signature("nothing-measured", nothing_measured),
    Signature("headroom", headroom),
    Signature("stage-scales-alone", stage_scales_alone),
    Signature("no-parallelism-knob", no_parallelism_knob),
    Signature("flat-contended", flat_contended),
    Signature("flat-processes-scale", flat_processes_scale),
    Signature("flat-one-core", flat_one_core),
    Signature("flat-fell", flat_fell),
    Signature("flat-one-core-lent", flat_one_core_lent),
    Signature("flat-native-saturated", flat_native_saturated),
    Signature("flat-python-saturated", flat_python_saturated),
    Signature("flat-no-replay", flat_no_replay),
    Signature("flat-other", flat_other),
    Signature("rising-waiting", rising_waiting),
    Signature("rising-scales", rising_scales),
    Signature("rising-native", rising_native),
    Signature("rising-without-cpu", rising_without_cpu),
    Signature("rising-partial", rising_partial),
)


@dataclass
class Decision:
    verdict: Verdict
    confidence: float
    reasons: tuple[str, ...]
    signature: str
    explain: list[dict[str, object]]  # each signature tried: name, matched, why (with the numbers)


def _match(m: SiteMeasurements) -> tuple[Outcome, str, list[dict[str, object]]]:
    e = Evidence(m)
    tried: list[dict[str, object]] = []
    for sig in SIGNATURES:
        out = sig.check(e)
        tried.append({"signature": sig.name, "matched": out.matched, "why": out.why,
                      "verdict": out.verdict.value if out.matched else None})
        if out.matched:
            return out, sig.name, tried
    raise AssertionError("rising-partial always matches")  # pragma: no cover


def shape(m: SiteMeasurements) -> Verdict:
    """The verdict the curve's shape suggests, before judging how reliable the measurements were."""
    return _match(m)[0].verdict


def pool_could_decide(m: SiteMeasurements) -> bool:
    """Whether timing the site's Python function in a process pool could change its verdict.

    Only `flat-processes-scale` reads that timing, and it can only turn a verdict into gil-bound: the pool is
    worth its seconds of worker start-up (more when the user's module imports TensorFlow) when the site is
    not gil-bound already and that signature would match, ahead of the one matching now, given the best
    timing a pool could give."""
    if m.multiprocessing_speedup is not None:
        return False
    out, name, _ = _match(m)
    if out.verdict is Verdict.GIL_BOUND:
        return False
    best = replace(m, multiprocessing_speedup=_ANY_POOL_SPEEDUP, multiprocessing_workers=m.cores)
    position = [sig.name for sig in SIGNATURES].index
    return position(_match(best)[1]) == position("flat-processes-scale") < position(name)


_ANY_POOL_SPEEDUP = 1e9  # a pool faster than any threshold: what the pool's number could do at best


def quality(m: SiteMeasurements) -> tuple[float, list[str], bool]:
    """Confidence penalty, reasons, and whether the measurements are too poor to judge."""
    levels = list(m.pipeline) + list(m.isolated)
    penalty = 0.0
    reasons: list[str] = []
    too_poor = False
    if levels:
        # whether the stage computes is judged at the levels the verdict rests on: a larger pool runs a
        # waiting stage many times faster and busier, which says nothing about the load's effect on it
        standard = [lv for lv in levels if lv not in _extra(levels)] or levels
        p, r, poor = _load_quality(standard, m.cores)
        penalty, too_poor = penalty + p, too_poor or poor
        reasons += r
        p, r, poor = _spread_quality(levels)
        penalty, too_poor = penalty + p, too_poor or poor
        reasons += r
    p, r = _calibration_quality(m.calibration_speedup, m.cores)
    return penalty + p, reasons + r, too_poor


def _load_quality(levels: list[LevelResult], cores: int) -> tuple[float, list[str], bool]:
    other = statistics.mean(lv.other_cpu_cores for lv in levels)
    busy = other / max(cores, 1)
    cpu = statistics.median(lv.cpu_cores for lv in levels)
    saturated = cpu + other >= 0.85 * cores  # we got only what the others left: CPU tells nothing
    needs_cpu = cpu >= T.NEEDS_CPU_SHARE * cores or (saturated and cpu >= T.NEEDS_CPU_SHARE / 2 * cores)
    if not needs_cpu:
        # a waiting stage (sleep, I/O) barely notices other processes
        if busy > T.BUSY_WAITING:
            text = f"other processes used {other:.2f} of {cores} cores (the stage mostly waits)"
            return 0.15, [text], False
        return 0.0, [], False
    if busy > T.BUSY_UNRELIABLE:
        return 0.0, [f"machine busy: other processes used {other:.2f} of {cores} cores while measuring"], True
    if busy > T.BUSY_HIGH:
        return 0.2, [f"machine busy: other processes used {other:.2f} of {cores} cores"], False
    if busy > T.BUSY_SOME:
        return 0.1, [f"other processes used {other:.2f} of {cores} cores while measuring"], False
    return 0.0, [], False


def _spread_quality(levels: list[LevelResult]) -> tuple[float, list[str], bool]:
    spread = statistics.median(lv.spread for lv in levels)
    if spread > T.SPREAD_UNRELIABLE:
        return 0.0, [f"repeats disagree: median spread {spread:.0%}"], True
    if spread > T.SPREAD_WIDE:
        return 0.2, [f"wide spread between repeats ({spread:.0%})"], False
    if spread > T.SPREAD_SOME:
        return 0.1, [f"spread between repeats {spread:.0%}"], False
    return 0.0, [], False


def _calibration_quality(cal: float | None, cores: int) -> tuple[float, list[str]]:
    if cal is None or cores < 2:
        return 0.0, []
    if cal < T.CALIBRATION_POOR:
        return 0.35, [
            f"calibration poor: the known-parallel reference (np.sort) gave only {cal:.2f}x at npc=2 over "
            "npc=1 (expected ~1.9x): the machine lent fewer cores than it has"
        ]
    if cal < T.CALIBRATION_WEAK:
        return 0.15, [f"calibration weak: reference speed-up {cal:.2f}x (expected ~1.9x)"]
    return 0.0, []


def judge(m: SiteMeasurements) -> Decision:
    """The verdict for one site, its confidence (0..1), the reasons, the signature and the explanation."""
    penalty, quality_reasons, too_poor = quality(m)
    out, name, tried = _match(m)
    verdict, confidence, reasons = out.verdict, out.confidence, list(out.reasons)
    robust = verdict in (Verdict.TRACE_TIME_ONLY, Verdict.UNMEASURABLE) or (
        verdict is Verdict.NOT_BOTTLENECK and _headroom(m) >= T.BIG_HEADROOM
    )
    if robust:
        # trace-time evidence, a dataset that ran out, or a stage many times faster than the pipeline needs:
        # load cannot explain it
        penalty = min(penalty, 0.25)
    elif too_poor:
        if verdict is not Verdict.INCONCLUSIVE:
            reasons.append(f"the measurements suggested {verdict.value}, but they are not reliable")
        verdict, confidence = Verdict.INCONCLUSIVE, 0.3
        tried.append({"signature": "quality", "matched": True, "verdict": verdict.value,
                      "why": "; ".join(quality_reasons)})
        name = "unreliable"
    if m.nested:
        reasons.append("nested inside another transformation's function: measured in the whole pipeline only")
        penalty += 0.05
    confidence = max(0.05, min(0.99, confidence - penalty))
    return Decision(verdict, round(confidence, 2), tuple(reasons + quality_reasons), name, tried)


def decide(m: SiteMeasurements) -> tuple[Verdict, float, tuple[str, ...]]:
    """The verdict, its confidence and the reasons (see `judge` for the signature and the explanation)."""
    d = judge(m)
    return d.verdict, d.confidence, d.reasons


def _headroom(m: SiteMeasurements) -> float:
    """How many times faster the stage alone (npc=1) runs than the whole pipeline needs from it."""
    iso = _curve("stage alone", m.isolated, m.cores)
    if iso is None or not m.stage_per_pipeline_element or not m.pipeline:
        return 0.0
    whole = max(lv.elements_per_second for lv in m.pipeline)
    needed = whole * m.stage_per_pipeline_element
    return iso.base.elements_per_second / needed if needed > 0 else 0.0


def _order(lv: LevelResult) -> tuple[int, int]:
    if lv.level.isdigit():
        return (0, int(lv.level))
    if lv.level == "autotune":
        return (1, 0)
    if lv.level.startswith("private:"):
        size = lv.level.split(":", 1)[1]
        return (2, int(size) if size.isdigit() else 0)
    return (3, 0)


def recommend(levels: Sequence[LevelResult], standard_only: bool = True) -> tuple[str | None, float | None]:
    """The lowest level within 7% of the best throughput, and its speed-up over level 1 (or the lowest).

    With `standard_only` the choice is among num_parallel_calls values (numbers and autotune); the private or
    unbounded pool levels are advice of their own (see `pool_advice`).
    """
    measured = [lv for lv in levels if lv.elements_per_second > 0]
    if standard_only and any(lv.level.isdigit() or lv.level == "autotune" for lv in measured):
        measured = [lv for lv in measured if lv.level.isdigit() or lv.level == "autotune"]
    if not measured:
        return None, None
    best = max(lv.elements_per_second for lv in measured)
    good = sorted(
        (lv for lv in measured if lv.elements_per_second >= best * (1 - T.RECOMMEND_WITHIN)), key=_order
    )
    choice = good[0]
    base = _get(measured, "1") or min(measured, key=_order)
    speedup = choice.elements_per_second / base.elements_per_second if base.elements_per_second else None
    return choice.level, (round(speedup, 3) if speedup is not None else None)


def _pool_option(level: str) -> str:
    """The code that gives a map the pool of a private/unbounded level."""
    if level == "unbounded":
        return "map(..., num_parallel_calls=tf.data.AUTOTUNE, use_unbounded_threadpool=True)"
    size = level.split(":", 1)[1]
    return f"options.threading.private_threadpool_size = {size} with num_parallel_calls={size}"


def pool_advice(levels: Sequence[LevelResult], where: str = "") -> str | None:
    """When a private/unbounded pool level beat the standard levels by 30% or more, say so with numbers."""
    standard = [lv for lv in levels if lv.level.isdigit() or lv.level == "autotune"]
    extra = _extra(levels)
    if not standard or not extra:
        return None
    best_standard = max(standard, key=lambda lv: lv.elements_per_second)
    chosen, _ = recommend(extra, standard_only=False)
    best_extra = next(lv for lv in extra if lv.level == chosen)
    if best_extra.elements_per_second < T.POOL_GAIN * best_standard.elements_per_second:
        return None
    how = _pool_option(best_extra.level)
    others = [lv for lv in extra if lv.level != best_extra.level and lv.elements_per_second >= T.POOL_GAIN
              * best_standard.elements_per_second]
    if others:
        other = max(others, key=lambda lv: lv.elements_per_second)
        how += f" (or {_pool_option(other.level)}: {_fmt(other.elements_per_second)} el/s)"
    gain = best_extra.elements_per_second / best_standard.elements_per_second
    return (
        f"a larger thread pool lifts the cap{where}: {best_extra.level} ran "
        f"{_fmt(best_extra.elements_per_second)} el/s, {gain:.1f}x the best standard level "
        f"({best_standard.level}); use {how}"
    )
