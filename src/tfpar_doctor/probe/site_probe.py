"""Every measurement of one call site, its verdict and its notes (child process only; imports TensorFlow).

In order (§6): the whole pipeline rebuilt per level with only this site varied, round-robin rounds
with a calibration before each (`thresholds.MIN_ROUNDS` first); the stage alone from `take(n).cache()` of its
input (not for nested sites; k generator copies for `from_generator`); the same Python function in a process
pool; a counting build (the stage's output elements per pipeline element); larger thread pools when the curve
looks thread-pool capped (in the pipeline and for the stage alone). Then the adaptive part: the site is
judged on all rounds together and on every round alone (`stability`); while the rounds disagree, another
round is measured, up to `--max-rounds`.

Section numbers (§) refer to docs/how-probe-measures.md.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import tensorflow as tf

from tfpar_doctor.model import LevelResult, ProbeSite, SiteResult, Verdict
from tfpar_doctor.probe import alternative, intercept, measure, memory, stability, verdict
from tfpar_doctor.probe import thresholds as T
from tfpar_doctor.probe.session import Session
from tfpar_doctor.probe.target import ProbeFailure, user_traceback

FILL_SECONDS = 0.6  # reading the stage's input into the cache (§6.7)
CACHE_BYTES = 256 << 20
CACHE_ELEMENTS = 4000
MP_SECONDS = 0.6  # timing the process pool and the serial function, each
RATIO_SECONDS = 0.4  # the counting build
# The process-pool timing costs 2-8 s (spawned workers import the user's module, often TensorFlow): it is
# taken only where it can decide the verdict (a flat curve: GIL-bound or not) or feeds the GIL-bound advice.


def _levels(stats: Sequence[measure.LevelStats]) -> list[LevelResult]:
    return [LevelResult(**st.as_dict()) for st in stats]


class SiteProbe:
    def __init__(self, session: Session, site: intercept.Site, gil_enabled: bool = True) -> None:
        self.ss = session
        self.site = site
        self.label = site.describe()
        self.varied = site.parallel_capable and site.method != "from_generator"
        self.notes: list[str] = []
        self.gil_enabled = gil_enabled
        self.pipe: measure.Sweep | None = None
        self.iso: measure.Sweep | None = None
        self.pipe_extra: list[LevelResult] = []
        self.iso_extra: list[LevelResult] = []
        self.ratio: float | None = None
        self.mp_info: dict[str, Any] | None = None
        self.pool_timed = False  # the process pool is timed at most once, and only when it could decide
        self.cached: Any = None  # the stage's cached input, replayed alone
        within = [lv for lv in session.levels if lv.isdigit() and int(lv) <= session.pool]
        self.isolated_levels = within or ["1"]

    def planned_windows(self) -> int:
        return (len(self.ss.levels) if self.varied else 1) * self.ss.s.min_rounds + self._isolated_windows()

    def _isolated_windows(self) -> int:
        if self.site.nested:
            return 0
        sweeps = self.site.parallel_capable or self.site.method == "from_generator"
        return len(self.isolated_levels if sweeps else ["1"]) * min(self.ss.s.min_rounds, 2)

    def run(self) -> SiteResult:
        self.ss.timeline.switch("unaccounted", self.site.where)  # every phase below opens inside this site's
        try:
            return self._run()
        except measure.UserError as exc:
            raise ProbeFailure(
                "user",
                f"the pipeline raised {type(exc.original).__name__} while measuring {self.label}: "
                f"{exc.original}",
                user_traceback(exc.original),
            ) from None
        except measure.EmptyDataset:
            text = f"the pipeline produced no elements while measuring {self.label}"
            raise ProbeFailure("empty", text) from None

    def _run(self) -> SiteResult:
        self._pipeline()
        if self._ran_out():
            # every further window would restart the dataset too: the verdict is `unmeasurable` already
            self.notes.append("measuring stopped after the first round: the dataset ran out inside it")
            self.ss.plan_more(-self._isolated_windows())
            return self._result(*self._settle())
        if verdict.shape(self.measurements()) in (Verdict.TRACE_TIME_ONLY, Verdict.UNMEASURABLE):
            # decided by what tracing recorded, or by a dataset too short to measure: the stage alone and the
            # pool add nothing
            self.ss.plan_more(-self._isolated_windows())
            return self._result(*self._settle())
        self._isolated()
        self._time_pool_if_it_could_decide([self.measurements()])
        if verdict.shape(self.measurements()) is Verdict.THREADPOOL_CAPPED and self.varied:
            self._larger_pools()
        decision, settled = self._settle()
        return self._result(decision, settled)

    # ------------------------------------------------------------------------------------ measuring

    def _sweep(self, builders: dict[str, Any], levels: list[str], seconds: float, what: str,
               calibrate: bool = True, autotune: Any = None) -> measure.Sweep:
        ss = self.ss
        return measure.Sweep(
            ss.meter, builders, levels, seconds, ss.s.elements, ss.warmup,
            lambda lv: ss.tick(f"{self.label} {what} {lv}"),
            ss.calibrate if calibrate else None,
            ss.pool_for,
            autotune,
            ss.timeline,
            what,
        )

    def _pipeline_builder(self, level: str, positions: dict[str, int | None]) -> Any:
        override, private = measure.level_override(level)
        ds = self.ss.build({self.site.key: override}, private)
        if level == "autotune":
            positions["autotune"] = autotune_position(self.site)
        return ds

    def _pipeline(self) -> None:
        ss, s = self.ss, self.ss.s
        if self.varied:
            ss.emit("stage", text=f"{self.label}: whole pipeline")
            positions: dict[str, int | None] = {}
            builders = {lv: (lambda lv=lv: self._pipeline_builder(lv, positions)) for lv in ss.levels}
            self.pipe = self._sweep(builders, ss.levels, s.seconds, "pipeline",
                                    autotune=lambda: positions.get("autotune"))
        else:
            ss.emit("stage", text=f"{self.label}: whole pipeline (as written)")
            self.pipe = self._sweep({"as-written": ss.build}, ["as-written"], s.seconds, "pipeline")
            self.notes.append(
                f"{self.site.method} has no num_parallel_calls: the pipeline was measured as written"
                + ("; the stage alone was swept with k generator copies in a parallel interleave"
                   if self.site.method == "from_generator" else "")
            )
        for _ in range(s.min_rounds):
            self.pipe.round()
            if self._ran_out():
                return
        extra = 0
        while (self.pipe.trusted_rounds == 0 and extra < s.extra_rounds and ss.calibration_rounds
               and not self._decided_by_tracing()):
            ss.plan_more(len(self.pipe.levels),
                         "a round was added: the calibration showed the machine did not lend its cores")
            self.pipe.round("extra rounds")
            extra += 1
        dropped = len(self.pipe.rounds) - self.pipe.trusted_rounds
        if dropped and self.pipe.trusted_rounds:
            self.notes.append(
                f"{dropped} round(s) dropped: the calibration showed the machine did not lend its cores"
            )

    def _decided_by_tracing(self) -> bool:
        """Whether the site is `trace-time-only`: decided by what tracing recorded, whatever the machine lent
        (no quality penalty turns it), so rounds added for an untrusted calibration would only sharpen a curve
        its verdict does not read (trace_time.py spent a median 6.0 s on them on a busy machine)."""
        return verdict.shape(self.measurements()) is Verdict.TRACE_TIME_ONLY

    def _ran_out(self) -> bool:
        return self.pipe is not None and any(w.epochs for _, ws in self.pipe.rounds for w in ws.values())

    def _isolated(self) -> None:
        site, ss, s = self.site, self.ss, self.ss.s
        seconds = max(0.3, s.seconds / 2)
        if site.nested:
            self.notes.append("built inside another transformation's function: cannot be replayed alone")
            return
        if site.method == "from_generator":
            ss.emit("stage", text=f"{self.label}: generator copies alone")
            builders = {
                lv: (lambda lv=lv: measure.generator_copies(site, int(lv) if lv.isdigit() else ss.cores))
                for lv in self.isolated_levels
            }
            self.iso = self._sweep(builders, self.isolated_levels, seconds, "alone", calibrate=False)
        elif site.input_ds is not None and site.fn is not None:
            ss.emit("stage", text=f"{self.label}: caching the stage's input")
            with ss.timeline.phase("cache fill"):
                cached, n, fill = measure.cached_input(site.input_ds, FILL_SECONDS, CACHE_BYTES,
                                                       CACHE_ELEMENTS)
            self.notes.append(
                f"stage replayed alone from {n} cached input elements (cache filled in {fill:.2f} s)"
            )
            levels = self.isolated_levels if site.parallel_capable else ["1"]
            self.cached = cached
            builders = {lv: (lambda lv=lv: measure.stage_dataset(site, cached, lv)) for lv in levels}
            ss.emit("stage", text=f"{self.label}: stage alone")
            self.iso = self._sweep(builders, levels, seconds, "alone", calibrate=False)
        else:
            return
        for _ in range(min(s.min_rounds, 2)):
            self.iso.round()
        with ss.timeline.phase("output ratio"):
            self.ratio = output_ratio(site, ss.build)

    def _time_pool_if_it_could_decide(self, measured: Sequence[verdict.SiteMeasurements]) -> None:
        """Time the process pool when the verdict of the measurements so far (all rounds, or any one round)
        could depend on it; otherwise its workers' start-up (seconds, more when the module imports
        TensorFlow) buys nothing."""
        if not self.pool_timed and any(verdict.pool_could_decide(m) for m in measured):
            self.pool_timed = True
            self._multiprocessing()

    def _multiprocessing(self) -> None:
        site, ss = self.site, self.ss
        if not ss.s.multiprocessing:
            return
        seconds = min(ss.s.seconds, MP_SECONDS)
        if site.runs_python and site.py_funcs and site.recorded_inputs:
            ss.emit("stage", text=f"{self.label}: the same Python function in a process pool")
            with ss.timeline.phase("process pool"):
                self.mp_info = alternative.measure(
                    site.py_funcs[0],
                    site.recorded_inputs,
                    site.py_func_kind == "py_function",
                    max(2, ss.cores),
                    seconds,
                )
            self.notes.extend(pool_notes(self.mp_info, site.py_funcs[0], "function"))
        elif site.method == "from_generator" and site.fn is not None and site.generator_call:
            ss.emit("stage", text=f"{self.label}: the same generator in a process pool")
            with ss.timeline.phase("process pool"):
                self.mp_info = alternative.measure_generator(
                    site.fn, alternative.generator_args(site.generator_call), max(2, ss.cores), seconds
                )
            self.notes.extend(pool_notes(self.mp_info, site.fn, "generator"))

    def _larger_pools(self) -> None:
        """Private and unbounded pools, for the pipeline and the stage alone (§3)."""
        ss, site = self.ss, self.site
        extra = [f"private:{max(16, 4 * ss.cores)}"] + (["unbounded"] if site.method == "map" else [])
        rounds = min(ss.s.min_rounds, 2)
        ss.plan_more(len(extra) * rounds * (2 if self.iso is not None and site.method == "map" else 1))
        ss.emit("stage", text=f"{self.label}: larger thread pools")
        builders = {lv: (lambda lv=lv: self._pipeline_builder(lv, {})) for lv in extra}
        sweep = self._sweep(builders, extra, ss.s.seconds, "pipeline", calibrate=False)
        for _ in range(rounds):
            sweep.round()
        self.pipe_extra = _levels(sweep.stats())
        if self.iso is not None and site.method == "map":
            cached = self.cached
            iso_builders = {lv: (lambda lv=lv: measure.stage_dataset(site, cached, lv)) for lv in extra}
            iso_sweep = self._sweep(iso_builders, extra, self.iso.seconds, "alone", calibrate=False)
            for _ in range(rounds):
                iso_sweep.round()
            self.iso_extra = _levels(iso_sweep.stats())

    # ------------------------------------------------------------------------------------ judging

    def _curves(self) -> tuple[list[LevelResult], list[LevelResult]]:
        pipe = _levels(self.pipe.stats()) + self.pipe_extra if self.pipe else []
        iso = _levels(self.iso.stats()) + self.iso_extra if self.iso else []
        return pipe, iso

    def measurements(self, varied_curve: Sequence[LevelResult] | None = None) -> verdict.SiteMeasurements:
        """The site's measurements; `varied_curve` replaces the curve the adaptive rounds vary."""
        pipe, iso = self._curves()
        if varied_curve is not None:
            if self._adaptive_is_pipeline():
                pipe = list(varied_curve) + self.pipe_extra
            else:
                iso = list(varied_curve) + self.iso_extra
        return self._measurements_of(pipe, iso)

    def _measurements_of(self, pipe: list[LevelResult], iso: list[LevelResult]) -> verdict.SiteMeasurements:
        site, mp = self.site, self.mp_info
        return verdict.SiteMeasurements(
            method=site.method,
            runs_python=site.runs_python,
            cores=self.ss.cores,
            pipeline=pipe,
            isolated=iso,
            python_kind=site.python_kind,
            nested=site.nested,
            parallel_capable=self.varied,
            side_effects=dict(site.side_effects),
            trace_seconds=site.trace_seconds,
            stage_per_pipeline_element=self.ratio,
            calibration_speedup=self.ss.calibration_speed(),
            threadpool_size=self.ss.pool,
            multiprocessing_speedup=mp.get("speedup") if mp and not mp.get("error") else None,
            multiprocessing_workers=mp.get("workers") if mp else None,
            gil_enabled=self.gil_enabled,
            pipeline_unit="batches/s" if self.ss.unit == "batches" else "el/s",
            dataset_elements=self.ss.dataset_elements,
        )

    def _adaptive_is_pipeline(self) -> bool:
        return self.varied or self.iso is None

    def _adaptive_sweep(self) -> measure.Sweep:
        sweep = self.pipe if self._adaptive_is_pipeline() else self.iso
        assert sweep is not None
        return sweep

    def _rounds(self) -> tuple[list[LevelResult], list[list[LevelResult]]]:
        stats = self._adaptive_sweep().stats()
        combined = _levels(stats)
        n = min((len(st.windows) for st in stats), default=0)
        per_round = [[LevelResult(**st.round_dicts()[i]) for st in stats] for i in range(n)]
        return combined, per_round

    def _settle(self) -> tuple[verdict.Decision, stability.Stability]:
        sweep = self._adaptive_sweep()
        while True:
            with self.ss.timeline.phase("judging"):  # the process pool, when timed, is its own phase
                combined, per_round = self._rounds()
                self._time_pool_if_it_could_decide([self.measurements(c) for c in (combined, *per_round)])
                settled = stability.assess(self.measurements, combined, per_round, self.ss.s.min_rounds,
                                           self._clear_of_edges)
            if settled.decisive or len(sweep.rounds) >= self.ss.s.max_rounds:
                return stability.conclude(settled), settled
            why = "near an edge" if len(per_round) < T.EDGE_ROUNDS else "the rounds disagree"
            self.ss.emit("stage", text=f"{self.label}: {why}, measuring another round")
            self._another_round(sweep)

    def _clear_of_edges(self) -> bool:
        """Whether the curves measured so far give the same verdict with every level moved by the window
        noise either way (one round is then enough), on a quiet machine."""
        pipe, iso = self._curves()
        penalty, _, _ = verdict.quality(self._measurements_of(pipe, iso))

        def verdict_of(curves: Mapping[str, Sequence[LevelResult]]) -> Verdict:
            measured = self._measurements_of(list(curves["pipeline"]), list(curves["isolated"]))
            return verdict.judge(measured).verdict

        return stability.clear_of_edges(verdict_of, {"pipeline": pipe, "isolated": iso}, quiet=penalty == 0)

    def _another_round(self, adaptive: measure.Sweep) -> None:
        """A round of the varied curve, and of the other curve while it has fewer than EDGE_ROUNDS (near an
        edge, every single window counts)."""
        for other in (self.pipe, self.iso):
            if other is not None and other is not adaptive and len(other.rounds) < T.EDGE_ROUNDS:
                self.ss.plan_more(len(other.levels))
                other.round("extra rounds")
        self.ss.plan_more(len(adaptive.levels))
        adaptive.round("extra rounds")

    def _result(self, decision: verdict.Decision, settled: stability.Stability) -> SiteResult:
        verification = self._tf_native_verification()
        with self.ss.timeline.phase("judging"):
            return self._site_result(decision, settled, verification)

    def _site_result(self, decision: verdict.Decision, settled: stability.Stability,
                     verification: dict[str, Any] | None) -> SiteResult:
        site, ss = self.site, self.ss
        pipe, iso = self._curves()
        if any(lv.isdigit() and int(lv) > ss.pool for lv in ss.levels):
            self.notes.append(
                f"levels above {ss.pool} share the {ss.pool}-thread pool: they only mean something with a "
                "private or unbounded pool"
            )
        rec_levels = pipe if self.varied else iso
        best_level, best_speedup = verdict.recommend(rec_levels)
        for levels, where in ((pipe, ""), (iso, " for the stage alone")):
            advice = verdict.pool_advice(levels, where)
            if advice:
                self.notes.append(advice)
                break
        mem = memory.report(pipe, best_level if self.varied else None, ss.memory_budget,
                            ss.memory_budget_source, ss.element_bytes)
        if mem and mem.get("advice"):
            self.notes.append(mem["advice"])
        mp = self.mp_info
        if not self.pool_timed and site.runs_python:
            self.notes.append(
                f"process pool not timed: the {decision.verdict.value} verdict does not depend on it "
                f"(signature {decision.signature})"
            )
        return SiteResult(
            site=probe_site(site),
            verdict=decision.verdict,
            confidence=decision.confidence,
            reasons=decision.reasons,
            pipeline=pipe,
            isolated=iso,
            best_level=best_level,
            best_speedup=best_speedup,
            multiprocessing_speedup=mp.get("speedup") if mp and not mp.get("error") else None,
            threadpool_size=ss.pool,
            multiprocessing=mp,
            autotuned_value=next((lv.autotuned_value for lv in pipe if lv.level == "autotune"), None),
            notes=tuple(self.notes),
            signature=decision.signature,
            explain=decision.explain,
            element_bytes=ss.element_bytes,
            unit=ss.unit,
            memory=mem,
            stability=settled.as_dict(),
            verification=verification,
        )

    def _tf_native_verification(self) -> dict[str, Any] | None:
        """probe --verify-rewrite: the complete tf-native rewrite run on the inputs recorded for the pool."""
        site = self.site
        if not self.ss.s.verify_rewrite or not (site.runs_python and site.py_funcs and site.recorded_inputs):
            return None
        import tensorflow as tf

        from tfpar_doctor.probe import rewrite_verify

        with self.ss.timeline.phase("tf-native verification"):
            checked = rewrite_verify.verify_site(tf, site.py_funcs[0], site.recorded_inputs,
                                                 site.py_func_kind == "py_function")
        return rewrite_verify.as_record(checked)


def probe_site(site: intercept.Site) -> ProbeSite:
    return ProbeSite(
        path=site.path,
        line=site.line,
        method=site.method,
        function=site.function,
        original_parallelism=site.original_npc,
        runs_python=site.runs_python,
        nested=site.nested,
        column=site.column,
        python_kind=site.python_kind,
        stateful=site.stateful,
    )


def autotune_position(site: intercept.Site) -> int | None:
    """Which tunable node is this site's, counting parallel sites from the input in construction order
    (read from the build that just ran, with this site at AUTOTUNE)."""
    parallel: list[intercept.SiteKey] = []
    for key in intercept.STATE.build_order:
        s = intercept.STATE.sites.get(key)
        if s is None or not s.parallel_capable or s.nested or s.method == "from_generator":
            continue
        # stateless maps without num_parallel_calls are parallelised by map_parallelization
        optimised = s.original_npc is None and s.method == "map" and s.stateful is False
        if (key == site.key or s.original_npc not in (None, "1") or optimised) and key not in parallel:
            parallel.append(key)
    return parallel.index(site.key) if site.key in parallel else None


def pool_notes(mp_info: dict[str, Any], obj: Any, what: str) -> list[str]:
    """What to tell about a process-pool measurement beyond its numbers (the tables show those, start-up
    included): why it is missing, or that the user's module made every worker import TensorFlow."""
    if mp_info.get("error"):
        return [f"multiprocessing alternative not measured: {mp_info['error']}"]
    if mp_info.get("module_imports_tensorflow"):
        return [
            f"{obj.__module__} imports TensorFlow, so each pool worker paid "
            f"{mp_info['worker_startup_seconds']:.1f} s to start; move the {what} to a module "
            "without TensorFlow (~0.2 s per worker)"
        ]
    return []


def output_ratio(site: intercept.Site, build: Any) -> float | None:
    """The site's output elements per pipeline element, from a counting build of the pipeline."""
    counter = tf.Variable(0, dtype=tf.int64, trainable=False)
    intercept.STATE.counters = {site.key: counter}
    try:
        it = iter(build())
        end = time.perf_counter() + RATIO_SECONDS
        n = 0
        while (time.perf_counter() < end or n < 2) and n < 5000:
            try:
                next(it)
            except StopIteration:
                break
            n += 1
        del it
        produced = int(counter.numpy())
        return produced / n if n and produced else None
    except Exception:  # noqa: BLE001 - the ratio is a refinement, never a failure
        return None
    finally:
        intercept.STATE.counters = {}
