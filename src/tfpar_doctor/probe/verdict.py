"""The verdict for one call site: a pure function of its measurements (no TensorFlow, unit-tested on tables).

Signatures (shared/knowledge/TFDATA_FACTS.md sections 2-4 and 6):

- ``trace-time-only``: the site runs no per-element Python (no py_function/numpy_function in its graph) but
  its Python function made side effects while it was traced (time.sleep, print, random, open, logging,
  a global counter reassigned, an outer list appended to): those ran once, at trace time (facts 1).
- ``not-bottleneck``: varying this site leaves the whole pipeline flat while the stage alone is much faster
  than the pipeline, or scales on its own (the pipeline waits for something else).
- ``gil-bound``: flat throughput over the levels, ~1 core of process CPU, per-element Python, high GIL
  contention (facts 2).
- ``threadpool-capped``: throughput rises until npc = cores and then stays flat, process CPU well below the
  cores (waiting, not computing), and a private/unbounded pool lifts it (facts 3).
- ``scales``: throughput rises with parallelism and CPU follows; also a native map that already uses (nearly)
  all cores at npc=1 (facts 6.11: on 2 cores "scales" may show as 1.4x: judged with CPU and contention).
- ``partial``: some speed-up, well below the ideal, with CPU or contention explaining why.
- ``inconclusive``: the machine was too busy, calibration failed badly, or the spread was too wide.

`recommend()` picks the level to use: the lowest level within 7% of the best measured throughput (so it is
always within 10% of the best, and never asks for parallelism that does not pay).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from tfpar_doctor.model import LevelResult, Verdict

FLAT = 1.15  # speed-up below this over the levels counts as flat
AUTOTUNE_FLAT = 1.25  # AUTOTUNE alone above the flat numeric levels by less than this: still flat
RECOMMEND_WITHIN = 0.07  # recommend the lowest level within 7% of the best
HIGH_CONTENTION = 0.3
PROCESSES_SCALE = 1.4  # a process pool this much faster than serial: the function itself parallelises
FELL = 0.85  # more parallelism made the stage this much slower: threads fight over one lock
NOT_BOTTLENECK_FACTOR = 1.5
BIG_HEADROOM = 5.0  # the stage alone this much faster than needed: not the bottleneck whatever the curve


@dataclass
class SiteMeasurements:
    """Everything `decide` looks at for one site (levels as in `LevelResult.level`)."""

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

    @property
    def s_top(self) -> float:
        return (
            self.top.elements_per_second / self.base.elements_per_second
            if self.base.elements_per_second
            else 0.0
        )

    @property
    def s_best(self) -> float:
        return (
            self.best.elements_per_second / self.base.elements_per_second
            if self.base.elements_per_second
            else 0.0
        )

    @property
    def flat(self) -> bool:
        """No numeric level gains FLAT over level 1, and AUTOTUNE (same pool) not clearly more either:
        a lone AUTOTUNE outlier beyond the numeric levels is noise, not scaling."""
        if not self.base.elements_per_second:
            return True
        numeric_best = max(lv.elements_per_second for lv in self.numeric) / self.base.elements_per_second
        auto = self.autotune.elements_per_second / self.base.elements_per_second if self.autotune else 0.0
        return numeric_best < FLAT and auto < AUTOTUNE_FLAT

    def describe(self) -> str:
        parts = [f"{lv.level}: {_fmt(lv.elements_per_second)} el/s" for lv in (self.base, self.top)]
        if self.autotune is not None:
            parts.append(f"autotune: {_fmt(self.autotune.elements_per_second)} el/s")
        return ", ".join(dict.fromkeys(parts))


def _curve(name: str, levels: Sequence[LevelResult], cores: int) -> _Curve | None:
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
    return _Curve(name, base, top, best, auto, extra_best, within)


def quality(m: SiteMeasurements) -> tuple[float, list[str], bool]:
    """Confidence penalty, reasons, and whether the measurements are too poor to judge."""
    levels = list(m.pipeline) + list(m.isolated)
    penalty = 0.0
    reasons: list[str] = []
    too_poor = False
    if levels:
        other = statistics.mean(lv.other_cpu_cores for lv in levels)
        busy = other / max(m.cores, 1)
        cpu = statistics.median(lv.cpu_cores for lv in levels)
        saturated = cpu + other >= 0.85 * m.cores  # we got only what the others left: CPU tells nothing
        needs_cpu = cpu >= 0.3 * m.cores or (saturated and cpu >= 0.15 * m.cores)
        if not needs_cpu:
            # a waiting stage (sleep, I/O) barely notices other processes
            if busy > 0.75:
                penalty += 0.15
                reasons.append(
                    f"other processes used {other:.2f} of {m.cores} cores (the stage mostly waits)"
                )
        elif busy > 0.5:
            too_poor = True
            reasons.append(
                f"machine busy: other processes used {other:.2f} of {m.cores} cores while measuring"
            )
        elif busy > 0.25:
            penalty += 0.2
            reasons.append(f"machine busy: other processes used {other:.2f} of {m.cores} cores")
        elif busy > 0.1:
            penalty += 0.1
            reasons.append(f"other processes used {other:.2f} of {m.cores} cores while measuring")
        spread = statistics.median(lv.spread for lv in levels)
        if spread > 0.6:
            too_poor = True
            reasons.append(f"repeats disagree: median spread {spread:.0%}")
        elif spread > 0.3:
            penalty += 0.2
            reasons.append(f"wide spread between repeats ({spread:.0%})")
        elif spread > 0.15:
            penalty += 0.1
            reasons.append(f"spread between repeats {spread:.0%}")
    cal = m.calibration_speedup
    if cal is not None and m.cores >= 2:
        if cal < 1.2:
            penalty += 0.35
            reasons.append(
                f"calibration poor: the known-parallel reference (np.sort) gave only {cal:.2f}x at npc=2 "
                "over npc=1 "
                "(expected ~1.9x): the machine lent fewer cores than it has"
            )
        elif cal < 1.6:
            penalty += 0.15
            reasons.append(f"calibration weak: reference speed-up {cal:.2f}x (expected ~1.9x)")
    return penalty, reasons, too_poor


def shape(m: SiteMeasurements) -> Verdict:
    """The verdict the curve's shape suggests, before judging how reliable the measurements were."""
    return _decide(m)[0]


def decide(m: SiteMeasurements) -> tuple[Verdict, float, tuple[str, ...]]:
    """The verdict for one site, its confidence (0..1) and the reasons, each with its numbers."""
    penalty, quality_reasons, too_poor = quality(m)
    verdict, confidence, reasons = _decide(m)
    robust = verdict is Verdict.TRACE_TIME_ONLY or (
        verdict is Verdict.NOT_BOTTLENECK and _headroom(m) >= BIG_HEADROOM
    )
    if robust:
        # trace-time evidence, or a stage many times faster than the pipeline needs: load cannot explain it
        penalty = min(penalty, 0.25)
    elif too_poor:
        if verdict is not Verdict.INCONCLUSIVE:
            reasons = reasons + [f"the measurements suggested {verdict.value}, but they are not reliable"]
        verdict, confidence = Verdict.INCONCLUSIVE, 0.3
    if m.nested:
        reasons.append("nested inside another transformation's function: measured in the whole pipeline only")
        penalty += 0.05
    confidence = max(0.05, min(0.99, confidence - penalty))
    return verdict, round(confidence, 2), tuple(reasons + quality_reasons)


def _headroom(m: SiteMeasurements) -> float:
    """How many times faster the stage alone (npc=1) runs than the whole pipeline needs from it."""
    iso = _curve("stage alone", m.isolated, m.cores)
    if iso is None or not m.stage_per_pipeline_element or not m.pipeline:
        return 0.0
    whole = max(lv.elements_per_second for lv in m.pipeline)
    needed = whole * m.stage_per_pipeline_element
    return iso.base.elements_per_second / needed if needed > 0 else 0.0


def _decide(m: SiteMeasurements) -> tuple[Verdict, float, list[str]]:
    reasons: list[str] = []
    cores = max(m.cores, 1)

    # 1. Python that ran only at trace time.
    if not m.runs_python and m.side_effects:
        effects = ", ".join(f"{name} x{count}" for name, count in sorted(m.side_effects.items()))
        reasons.append(
            f"the mapped function's Python side effects ({effects}) ran while it was traced "
            f"({m.trace_seconds:.2f} s), not per element: the function runs as graph ops"
        )
        curve = _curve("pipeline", m.pipeline, cores) or _curve("stage alone", m.isolated, cores)
        if curve is not None:
            reasons.append(f"per-element graph work {curve.name}: {curve.describe()} ({curve.s_best:.2f}x)")
        return Verdict.TRACE_TIME_ONLY, 0.9, reasons

    pipe = _curve("pipeline", m.pipeline, cores) if m.parallel_capable else None
    iso = _curve("stage alone", m.isolated, cores)
    primary = pipe or iso
    if primary is None:
        reasons.append("no level could be measured")
        return Verdict.INCONCLUSIVE, 0.2, reasons

    # 2. Not the bottleneck: the pipeline does not follow this site.
    pipe_flat = pipe is None or pipe.flat
    if not m.parallel_capable and m.pipeline and iso is not None:
        whole = max(m.pipeline, key=lambda lv: lv.elements_per_second)
    else:
        whole = pipe.best if pipe is not None else None
    ratio = m.stage_per_pipeline_element
    big_headroom = bool(
        iso is not None
        and whole is not None
        and ratio
        and iso.base.elements_per_second >= BIG_HEADROOM * whole.elements_per_second * ratio
    )
    if iso is not None and whole is not None and (pipe_flat or big_headroom):
        if ratio:
            needed = whole.elements_per_second * ratio
            factor = NOT_BOTTLENECK_FACTOR
            gil_shared = (
                m.runs_python
                and pipe is not None
                and (pipe.top.gil_contention or 0.0) >= HIGH_CONTENTION
                and pipe.top.cpu_cores <= 1.35
            )
            if gil_shared:
                # several Python stages share one GIL: each alone is faster than the whole, yet each counts
                factor = 3.0
            if iso.base.elements_per_second >= factor * needed:
                reasons.append(
                    f"stage alone at npc={iso.base.level}: {_fmt(iso.base.elements_per_second)} el/s, the "
                    "whole pipeline "
                    f"needs {_fmt(needed)} el/s from it ({iso.base.elements_per_second / needed:.1f}x "
                    "headroom)"
                )
                if pipe is not None and pipe_flat:
                    reasons.append(
                        f"varying it moves the pipeline only {pipe.s_best:.2f}x ({pipe.describe()})"
                    )
                elif pipe is not None:
                    reasons.append(
                        f"the pipeline moved {pipe.s_best:.2f}x while it was varied ({pipe.describe()}): "
                        "with this much headroom that is noise from the rest of the pipeline"
                    )
                return Verdict.NOT_BOTTLENECK, (0.85 if pipe_flat else 0.7), reasons
        gil_signature = (  # the GIL-bound signature in the pipeline and in the stage alone
            m.runs_python
            and pipe is not None
            and (pipe.top.gil_contention or 0.0) >= HIGH_CONTENTION
            and pipe.top.cpu_cores <= 1.35
            and (iso.top.gil_contention or 0.0) >= HIGH_CONTENTION
            and iso.top.cpu_cores <= 1.35
        )
        if pipe is not None and iso.s_best >= 1.3 and not gil_signature:
            reasons.append(
                f"stage alone scales {iso.s_best:.2f}x ({iso.describe()}) but the pipeline stays flat "
                f"({pipe.s_best:.2f}x: {pipe.describe()}): another stage limits it"
            )
            return Verdict.NOT_BOTTLENECK, 0.7, reasons

    if not m.parallel_capable and m.method != "from_generator":
        if m.method == "parallel_interleave":
            reasons.append(
                "parallel_interleave is deprecated and has no num_parallel_calls, and the stage alone is not "
                "much "
                "faster than the pipeline: use interleave(..., num_parallel_calls=tf.data.AUTOTUNE)"
            )
        else:
            reasons.append(
                f"{m.method} has no num_parallel_calls and the stage alone is not much faster than the "
                "pipeline: move its work into a parallel map before it"
            )
        if iso is not None and whole is not None:
            reasons.append(
                f"stage alone {_fmt(iso.base.elements_per_second)} el/s, whole pipeline "
                f"{_fmt(whole.elements_per_second)} el/s"
            )
        return Verdict.INCONCLUSIVE, 0.4, reasons

    curve = primary
    top, base = curve.top, curve.base
    s_top, s_best = curve.s_top, curve.s_best
    ideal = min(cores, int(top.level)) if top.level.isdigit() else cores
    contention = top.gil_contention
    cpu_top = top.cpu_cores
    what = "k generator copies in a parallel interleave" if m.method == "from_generator" else curve.name
    reasons.append(f"{what}: {curve.describe()} -> {s_best:.2f}x at best")
    cpu_text = (
        f"process CPU {base.cpu_cores:.2f} cores at {base.level}, {cpu_top:.2f} at {top.level} (of {cores})"
    )
    gil_text = f"GIL contention {contention:.2f}" if contention is not None else "GIL contention not measured"

    # What the machine could give: the calibration reference shows how many cores were really lent.
    cal = m.calibration_speedup
    lent_one_core = cal is not None and cores >= 2 and cal < 1.25
    contention_high = contention is not None and contention >= HIGH_CONTENTION

    # 3. Flat.
    if curve.flat:
        reasons.append(cpu_text)
        reasons.append(gil_text)
        if m.runs_python and contention_high and cpu_top <= 1.35:
            if top.first_element_seconds and base.first_element_seconds:
                reasons.append(
                    f"first element {base.first_element_seconds * 1000:.0f} ms at {base.level}, "
                    f"{top.first_element_seconds * 1000:.0f} ms at {top.level}"
                )
            conf = 0.9 if not lent_one_core else 0.6
            return Verdict.GIL_BOUND, conf, reasons
        one_core = 0.75 <= cpu_top <= 1.2 and base.cpu_cores <= 1.2
        about_one_core = 0.75 <= cpu_top <= 1.35 and base.cpu_cores <= 1.35
        mp = m.multiprocessing_speedup
        if m.runs_python and about_one_core and mp is not None and mp >= PROCESSES_SCALE:
            # Processes scale where threads do not: the lock is per process, i.e. the GIL. gilknocker can
            # read low here when the body drops the GIL for many short calls into TensorFlow or C.
            workers = f"{m.multiprocessing_workers}-process" if m.multiprocessing_workers else "process"
            reasons.append(
                f"the same Python function in a {workers} pool ran {mp:.2f}x faster than serially, while "
                f"threads stayed at one core: it parallelises across processes, not threads (the GIL)"
            )
            if s_top < FELL:
                reasons.append(
                    f"throughput fell to {s_top:.2f}x at {top.level}: the threads cost more than they add"
                )
            return Verdict.GIL_BOUND, (0.85 if contention_high or s_top < FELL else 0.75), reasons
        if m.runs_python and one_core and not lent_one_core and (contention is None or contention >= 0.15):
            reasons.append(
                f"CPU stays at about one core at every level although the machine lent "
                f"{'its cores' if cal is None else f'{cal:.2f}x on the reference'}: the Python body "
                "serialises"
            )
            return Verdict.GIL_BOUND, 0.7, reasons
        if m.runs_python and about_one_core and not lent_one_core and s_top < FELL:
            reasons.append(
                f"throughput fell to {s_top:.2f}x at {top.level} while CPU stayed at one core and the machine "
                "lent its cores: the threads serialise on one lock, for a Python callback the GIL (gilknocker "
                "reads low when the body drops the GIL for many short calls into TensorFlow or C)"
            )
            return Verdict.GIL_BOUND, 0.65, reasons
        if lent_one_core:
            reasons.append(
                f"the calibration reference gave only {cal:.2f}x at npc=2 over npc=1: the machine had about "
                "one core to give, so a flat curve proves nothing"
            )
            return Verdict.INCONCLUSIVE, 0.3, reasons
        if not m.runs_python and cpu_top >= 0.75 * cores and not contention_high:
            reasons[-2] = cpu_text + ": native kernels already use the cores at npc=1"
            return Verdict.SCALES, 0.6, reasons
        if m.runs_python and cpu_top >= 0.75 * cores and not contention_high:
            reasons.append("per-element Python that releases the GIL, but the cores are already busy")
            return Verdict.SCALES, 0.5, reasons
        if iso is None and pipe is not None and not m.runs_python:
            reasons.append("flat and the stage could not be replayed alone: probably another stage limits it")
            return Verdict.NOT_BOTTLENECK, 0.5, reasons
        if m.runs_python and not contention_high:
            reasons.append(
                "flat although the GIL is mostly free and CPU is below the cores: the machine's other load "
                "or a lock inside the function limits it"
            )
        return (Verdict.PARTIAL if s_best >= 1.05 else Verdict.INCONCLUSIVE), 0.4, reasons

    # 4. Rising: waiting (thread-pool capped) or computing (scales) or partly.
    extra = curve.extra_best if curve is pipe else (pipe.extra_best if pipe else curve.extra_best)
    lent = max(0.5, cores - top.other_cpu_cores)  # cores the other processes left us
    waiting = cpu_top < 0.5 * min(cores, ideal, lent)
    near_ideal = s_top >= 0.7 * ideal
    if waiting and near_ideal:
        reasons.append(cpu_text + ": waiting, not computing")
        reasons.append(gil_text)
        if extra is not None:
            ref = curve.best.elements_per_second
            gain = extra.elements_per_second / ref if ref else 0.0
            reasons.append(
                f"{extra.level}: {_fmt(extra.elements_per_second)} el/s ({gain:.1f}x over the best level "
                f"within the {cores}-thread pool)"
            )
            if gain >= 1.3:
                return Verdict.THREADPOOL_CAPPED, 0.9, reasons
            reasons.append("a larger thread pool did not help: the wait is elsewhere")
            return Verdict.SCALES, 0.6, reasons
        auto = curve.autotune
        if auto is not None and auto.elements_per_second <= 1.15 * top.elements_per_second:
            reasons.append(
                f"AUTOTUNE ({_fmt(auto.elements_per_second)} el/s) is no faster than {top.level}: "
                f"capped at the {cores}-thread pool"
            )
        return Verdict.THREADPOOL_CAPPED, 0.65, reasons

    if cal is not None and cores >= 2 and cal < 1.6:
        ideal = max(1.0, min(float(ideal), cal * 1.05))  # judge against what the machine could lend
    if s_top >= 0.75 * ideal and not (m.runs_python and contention_high and cpu_top < 0.75 * cores):
        reasons.append(cpu_text)
        reasons.append(gil_text)
        return Verdict.SCALES, 0.85, reasons
    if not m.runs_python and not contention_high:
        # graph ops run in parallel; on a small machine the gain shows below the ideal (facts 6.11)
        note = (
            ": native kernels use more than one core already at npc=1, so the gain is small"
            if base.cpu_cores >= 1.15
            else ": graph ops, no per-element Python"
        )
        reasons.append(cpu_text + note)
        reasons.append(gil_text)
        return Verdict.SCALES, (0.75 if cpu_top >= 0.75 * cores else 0.6), reasons
    reasons.append(cpu_text)
    reasons.append(gil_text)
    if m.runs_python and contention_high and cpu_top <= 1.35 and cpu_top <= 1.15 * base.cpu_cores:
        # Facts 6.11: judge with CPU and contention, not throughput alone. More elements per second without
        # more CPU, while the GIL is contended, is not parallel work: one window ran faster, the body serialises.
        reasons.append(
            f"{s_top:.2f}x at {top.level} with no more CPU than at {base.level} and the GIL contended: "
            "the Python body serialises; the gain is not parallel work"
        )
        return Verdict.GIL_BOUND, 0.7, reasons
    reasons.append(f"{s_top:.2f}x at {top.level} against an ideal of {float(ideal):.2f}x")
    return Verdict.PARTIAL, 0.7, reasons


def _order(lv: LevelResult) -> tuple[int, int]:
    if lv.level.isdigit():
        return (0, int(lv.level))
    if lv.level == "autotune":
        return (1, 0)
    if lv.level.startswith("private:"):
        return (2, int(lv.level.split(":", 1)[1]) if lv.level.split(":", 1)[1].isdigit() else 0)
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
        (lv for lv in measured if lv.elements_per_second >= best * (1 - RECOMMEND_WITHIN)), key=_order
    )
    choice = good[0]
    base = _get(measured, "1") or min(measured, key=_order)
    speedup = choice.elements_per_second / base.elements_per_second if base.elements_per_second else None
    return choice.level, (round(speedup, 3) if speedup is not None else None)


def pool_advice(levels: Sequence[LevelResult]) -> str | None:
    """When a private/unbounded pool level beat the standard levels by 30% or more, say so with numbers."""
    standard = [lv for lv in levels if lv.level.isdigit() or lv.level == "autotune"]
    extra = _extra(levels)
    if not standard or not extra:
        return None
    best_standard = max(standard, key=lambda lv: lv.elements_per_second)
    chosen, _ = recommend(extra, standard_only=False)
    best_extra = next(lv for lv in extra if lv.level == chosen)
    if best_extra.elements_per_second < 1.3 * best_standard.elements_per_second:
        return None
    how = (
        "map(..., num_parallel_calls=tf.data.AUTOTUNE, use_unbounded_threadpool=True)"
        if best_extra.level == "unbounded"
        else f"options.threading.private_threadpool_size = {best_extra.level.split(':', 1)[1]} with "
        f"num_parallel_calls={best_extra.level.split(':', 1)[1]}"
    )
    gain = best_extra.elements_per_second / best_standard.elements_per_second
    return (
        f"a larger thread pool lifts the cap: {best_extra.level} ran {_fmt(best_extra.elements_per_second)} "
        "el/s, "
        f"{gain:.1f}x the best standard level ({best_standard.level}); use {how}"
    )
