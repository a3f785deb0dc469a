"""The probe's child process: `python -m tfpar_doctor.probe.child CONFIG.json FD`.

Imports TensorFlow, installs the interception, imports and calls the user's target, then measures every
call site and writes JSON lines to file descriptor FD (never to stdout, which belongs to the user's code):

    {"event": "stage", "text": "..."}                 what it is doing now
    {"event": "plan", "total": N}                      number of measuring windows to come
    {"event": "plan_more", "extra": N}                 N more windows (larger pools, re-rounds), or fewer (N < 0)
    {"event": "tick", "text": "..."}                   one window done
    {"event": "warning", "text": "..."}
    {"event": "error", "kind": K, "message": "...", "traceback": "..." | null}
    {"event": "done", "run": {...}}                    the ProbeRun, as in tfpar_doctor.probe.results

Error kinds: "tf-missing", "target", "usage" (arguments do not fit the target), "not-dataset", "user" (the
user's code raised; with its traceback), "empty", "memory" (MemoryError), "internal".
This module's top level stays light: a spawn process pool re-imports it as `__mp_main__`.

What runs, per site (TFDATA_FACTS 6): the whole pipeline rebuilt per level with only this site varied
(round-robin rounds, a calibration before each), then the stage alone from `take(n).cache()` of its input
(not for nested sites), a counting build (the stage's output elements per pipeline element), the larger
thread pools when the curve looks thread-pool capped, and the site's Python function in a process pool.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import json
import os
import platform
import sys
import time
import traceback
from typing import Any

FILL_SECONDS = 0.6
SETTLED_AFTER = 2  # stop repeating once two trusted rounds agree (measure.SETTLED_SPREAD)
TRUSTED_CALIBRATION = 1.5  # np.sort reference at npc=2 over npc=1 on >= 2 cores (expected ~1.9)
EXTRA_ROUNDS = 2  # rounds tried in addition when no round could be trusted
CACHE_BYTES = 256 << 20
CACHE_ELEMENTS = 4000


class Emitter:
    def __init__(self, fd: int) -> None:
        self.stream = os.fdopen(fd, "w", buffering=1, encoding="utf-8")
        self.start = time.perf_counter()

    def __call__(self, event: str, **data: Any) -> None:
        data["event"] = event
        data["t"] = round(time.perf_counter() - self.start, 3)
        self.stream.write(json.dumps(data, default=str) + "\n")
        self.stream.flush()


class ProbeFailure(Exception):
    def __init__(self, kind: str, message: str, tb: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.tb = tb


def user_traceback(exc: BaseException) -> str:
    """The traceback without the probe's own frames."""
    here = os.path.dirname(os.path.abspath(__file__)) + os.sep
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename.startswith((here, "<frozen")):
        tb = tb.tb_next
    lines = traceback.format_exception(type(exc), exc, tb)
    return "".join(lines)


def parse_args(items: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        key, _, raw = item.partition("=")
        try:
            value: Any = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            value = raw
        out[key.strip()] = value
    return out


def load_target(target: str) -> Any:
    module_part, sep, attr = target.rpartition(":")
    if not sep or not module_part or not attr:
        raise ProbeFailure(
            "target",
            f"target {target!r} must look like path/to/file.py:make_dataset or package.module:make_dataset",
        )
    is_file = module_part.endswith(".py") or os.sep in module_part or "/" in module_part
    if is_file:
        path = os.path.abspath(module_part)
        if not os.path.isfile(path):
            raise ProbeFailure("target", f"no such file: {module_part}")
        directory = os.path.dirname(path)
        if directory not in sys.path:
            sys.path.insert(0, directory)
        name = os.path.splitext(os.path.basename(path))[0]
        if not name.isidentifier() or name in sys.modules:
            name = f"_tfpar_target_{abs(hash(path))}"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ProbeFailure("target", f"cannot import {module_part} as a Python module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException as exc:  # noqa: BLE001
            sys.modules.pop(name, None)
            if isinstance(exc, SyntaxError):
                raise ProbeFailure(
                    "user", f"{module_part} does not parse: {exc}", user_traceback(exc)
                ) from None
            raise ProbeFailure(
                "user", f"importing {module_part} raised {type(exc).__name__}: {exc}", user_traceback(exc)
            ) from None
    else:
        if os.getcwd() not in sys.path:
            sys.path.insert(0, os.getcwd())
        try:
            module = importlib.import_module(module_part)
        except ModuleNotFoundError as exc:
            if exc.name and (module_part == exc.name or module_part.startswith(exc.name + ".")):
                raise ProbeFailure(
                    "target",
                    f"no module named {module_part!r} (run from the project directory, or give a file path)",
                ) from None
            raise ProbeFailure(
                "user", f"importing {module_part} raised {type(exc).__name__}: {exc}", user_traceback(exc)
            ) from None
        except BaseException as exc:  # noqa: BLE001
            raise ProbeFailure(
                "user", f"importing {module_part} raised {type(exc).__name__}: {exc}", user_traceback(exc)
            ) from None
    obj: Any = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            candidates = sorted(
                n
                for n, v in vars(module).items()
                if callable(v) and not n.startswith("_") and getattr(v, "__module__", None) == module.__name__
            )
            hint = f" (callables there: {', '.join(candidates[:8])})" if candidates else ""
            raise ProbeFailure("target", f"{module_part} has no attribute {attr!r}{hint}")
        obj = getattr(obj, part)
    if not callable(obj):
        raise ProbeFailure(
            "target", f"{target} is a {type(obj).__name__}, not a callable returning a tf.data.Dataset"
        )
    return obj


def levels_for(spec: list[str], cores: int) -> list[str]:
    out: list[str] = []
    for item in spec:
        if item not in out:
            out.append(item)
    numeric = sorted((x for x in out if x.isdigit()), key=int)
    others = [x for x in out if not x.isdigit()]
    return numeric + others


def run(cfg: dict[str, Any], emit: Emitter) -> dict[str, Any]:
    started = time.perf_counter()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    emit("stage", text="importing TensorFlow")
    try:
        import tensorflow as tf
    except ImportError as exc:
        raise ProbeFailure("tf-missing", f"TensorFlow cannot be imported ({exc})") from None
    try:
        import gilknocker  # noqa: F401
        import numpy  # noqa: F401
        import psutil  # noqa: F401
    except ImportError as exc:
        raise ProbeFailure("tf-missing", f"{exc.name} is not installed") from None

    from tfpar_doctor.model import LevelResult, ProbeRun, ProbeSite, SiteResult, Verdict
    from tfpar_doctor.probe import alternative, intercept, measure, results, verdict

    tf.get_logger().setLevel("ERROR")
    intercept.install()
    cores = int(cfg.get("cores") or os.cpu_count() or 1)
    seconds = float(cfg["seconds"])
    repeat = int(cfg["repeat"])
    max_elements = cfg.get("elements")
    warmup = min(0.2, max(0.05, seconds / 5))
    warnings: list[str] = []

    emit("stage", text=f"importing {cfg['target']}")
    make = load_target(cfg["target"])
    kwargs = parse_args(cfg.get("args", []))
    try:
        inspect.signature(make).bind(**kwargs)
    except TypeError as exc:
        raise ProbeFailure("usage", f"{cfg['target']}: {exc} (pass arguments with --arg key=value)") from None
    except ValueError:
        pass  # no signature (a builtin): let the call decide

    def build(
        overrides: dict[Any, Any] | None = None, private: int | None = None, recording: bool = False
    ) -> Any:
        intercept.STATE.overrides = overrides or {}
        intercept.STATE.recording = recording
        intercept.STATE.build_order = []
        try:
            ds = make(**kwargs)
        except ProbeFailure:
            raise
        except BaseException as exc:  # noqa: BLE001
            raise ProbeFailure(
                "user", f"{cfg['target']} raised {type(exc).__name__}: {exc}", user_traceback(exc)
            ) from None
        finally:
            intercept.STATE.recording = False
        if not isinstance(ds, tf.data.Dataset):
            raise ProbeFailure(
                "not-dataset",
                f"{cfg['target']} returned {type(ds).__module__}.{type(ds).__qualname__}, not a "
                "tf.data.Dataset",
            )
        if private:
            options = tf.data.Options()
            options.threading.private_threadpool_size = private
            ds = ds.with_options(options)
        return ds

    emit("stage", text="building the pipeline (recording call sites)")
    t0 = time.perf_counter()
    first_ds = build(recording=True)
    first_build = time.perf_counter() - t0
    meter = measure.Meter()
    emit("stage", text="reading the first elements")
    try:
        meter.window(first_ds, min(0.5, seconds), max_elements, 0.0)
    except measure.EmptyDataset:
        raise ProbeFailure("empty", f"{cfg['target']} returned an empty dataset") from None
    except measure.UserError as exc:
        raise ProbeFailure(
            "user",
            f"the pipeline raised {type(exc.original).__name__} while iterating: {exc.original}",
            user_traceback(exc.original),
        ) from None

    sites = list(intercept.STATE.sites.values())
    wanted = cfg.get("site")
    if wanted:
        wpath, _, wline = wanted.rpartition(":")
        chosen = [
            s
            for s in sites
            if s.line == int(wline)
            and (
                s.path == os.path.abspath(wpath)
                or s.path.endswith(os.sep + wpath)
                or os.path.basename(s.path) == wpath
            )
        ]
        if not chosen:
            listed = ", ".join(f"{os.path.relpath(s.path)}:{s.line} ({s.method})" for s in sites) or "none"
            raise ProbeFailure("target", f"no call site at {wanted}; sites found: {listed}")
        sites = chosen
    if not sites:
        warnings.append(
            "no user call site of map/interleave/flat_map/filter/from_generator was found "
            "(only library code built this pipeline)"
        )
    user_pool = None
    try:
        user_pool = first_ds.options().threading.private_threadpool_size or None
    except Exception:  # noqa: BLE001
        pass
    pool = user_pool or cores
    levels = levels_for(cfg["levels"], cores)
    if any(lv.isdigit() and int(lv) > pool for lv in levels):
        warnings.append(
            f"levels above {pool} measure nothing more unless a private or unbounded thread pool is set "
            f"(tf.data runs parallel calls on a pool of {pool} threads)"
        )

    iso_repeat = max(1, min(repeat, 2))
    iso_seconds = max(0.3, seconds / 2)
    # the stage alone: numeric levels within the pool (its shape is what matters; AUTOTUNE adds little)
    iso_numeric = [lv for lv in levels if lv.isdigit() and int(lv) <= pool] or ["1"]
    plan = 0
    for s in sites:
        varied = s.parallel_capable and s.method != "from_generator"
        plan += (len(levels) if varied else 1) * repeat
        if not s.nested:
            plan += (
                len(iso_numeric if (s.parallel_capable or s.method == "from_generator") else ["1"])
                * iso_repeat
            )
    emit("plan", total=plan)

    calibration_rounds: list[dict[str, Any]] = []
    cal_seconds = min(0.3, seconds / 2)

    def calibrate() -> bool:
        """One calibration; True when this round can be trusted (the reference scaled)."""
        emit("stage", text="calibrating (np.sort at npc=1 vs 2)")
        result = measure.calibrate(meter, cal_seconds, cores)
        speed = result.get("speedup")
        result["trusted"] = speed is None or speed >= TRUSTED_CALIBRATION
        calibration_rounds.append(result)
        return bool(result["trusted"])

    def more(n: int) -> None:
        emit("plan_more", extra=n)
        text = "a round was added: the calibration showed the machine did not lend its cores"
        if text not in warnings:
            warnings.append(text)

    def settled(skipped: int) -> None:
        emit("plan_more", extra=-skipped)

    def tick(text: str) -> None:
        emit("tick", text=text)

    def measure_site(site: Any) -> SiteResult:
        """Every measurement of one site, its verdict and its advice notes (the calibration rounds and
        warnings it adds are shared with the run)."""
        probe_site = ProbeSite(
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
        label = site.describe()
        notes: list[str] = []
        varied = site.parallel_capable and site.method != "from_generator"
        try:
            pipeline_stats = []
            if varied:
                emit("stage", text=f"{label}: whole pipeline")
                positions: dict[str, int | None] = {}

                def level_builder(lv: str) -> Any:
                    override, private = measure.level_override(lv)
                    ds = build({site.key: override}, private)
                    if lv == "autotune":
                        positions["autotune"] = _autotune_position(site)
                    return ds

                builders = {lv: (lambda lv=lv: level_builder(lv)) for lv in levels}
                pipeline_stats = measure.sweep(
                    meter,
                    builders,
                    levels,
                    repeat,
                    seconds,
                    max_elements,
                    warmup,
                    lambda lv: tick(f"{label} pipeline {lv}"),
                    calibrate,
                    threadpool=lambda lv: _pool_for(lv, pool),
                    autotune_position=lambda: positions.get("autotune"),
                    extra_rounds=int(cfg.get("extra_rounds", EXTRA_ROUNDS)) if cores >= 2 else 0,
                    on_extra_round=more,
                    settled_after=SETTLED_AFTER,
                    on_settled=settled,
                )
                dropped = pipeline_stats[0].rounds_dropped if pipeline_stats else 0
                if dropped:
                    notes.append(
                        f"{dropped} round(s) dropped: the calibration showed the machine did not lend its "
                        "cores"
                    )
            else:
                emit("stage", text=f"{label}: whole pipeline (as written)")
                pipeline_stats = measure.sweep(
                    meter,
                    {"as-written": lambda: build()},
                    ["as-written"],
                    repeat,
                    seconds,
                    max_elements,
                    warmup,
                    lambda lv: tick(f"{label} pipeline"),
                    calibrate,
                    threadpool=lambda lv: pool,
                )
                notes.append(
                    f"{site.method} has no num_parallel_calls: the pipeline was measured as written"
                    + (
                        "; the stage alone was swept with k generator copies in a parallel interleave"
                        if site.method == "from_generator"
                        else ""
                    )
                )

            iso_stats = []
            ratio = None
            if site.nested:
                notes.append("built inside another transformation's function: cannot be replayed alone")
            elif site.method == "from_generator":
                emit("stage", text=f"{label}: generator copies alone")
                builders = {
                    lv: (lambda lv=lv: measure.generator_copies(site, int(lv) if lv.isdigit() else cores))
                    for lv in levels
                }
                iso_levels = iso_numeric
                iso_stats = measure.sweep(
                    meter,
                    builders,
                    iso_levels,
                    iso_repeat,
                    iso_seconds,
                    max_elements,
                    warmup,
                    lambda lv: tick(f"{label} alone {lv}"),
                    threadpool=lambda lv: pool,
                )
                ratio = _output_ratio(site, build)
            elif site.input_ds is not None and site.fn is not None:
                emit("stage", text=f"{label}: caching the stage's input")
                cached, n, fill = measure.cached_input(
                    site.input_ds, FILL_SECONDS, CACHE_BYTES, CACHE_ELEMENTS
                )
                notes.append(
                    f"stage replayed alone from {n} cached input elements (cache filled in {fill:.2f} s)"
                )
                iso_levels = iso_numeric if site.parallel_capable else ["1"]
                builders = {lv: (lambda lv=lv: measure.stage_dataset(site, cached, lv)) for lv in iso_levels}
                emit("stage", text=f"{label}: stage alone")
                iso_stats = measure.sweep(
                    meter,
                    builders,
                    iso_levels,
                    iso_repeat,
                    iso_seconds,
                    max_elements,
                    warmup,
                    lambda lv: tick(f"{label} alone {lv}"),
                    threadpool=lambda lv: _pool_for(lv, pool),
                )
                ratio = _output_ratio(site, build)

            mp_info = None
            pool_wanted = cfg.get("multiprocessing", True)
            if pool_wanted and site.runs_python and site.py_funcs and site.recorded_inputs:
                emit("stage", text=f"{label}: the same Python function in a process pool")
                mp_info = alternative.measure(
                    site.py_funcs[0],
                    site.recorded_inputs,
                    site.py_func_kind == "py_function",
                    max(2, cores),
                    min(seconds, 0.6),
                )
                notes.extend(_pool_notes(mp_info, site.py_funcs[0], "function"))
            elif pool_wanted and site.method == "from_generator" and site.fn is not None and site.generator_call:
                emit("stage", text=f"{label}: the same generator in a process pool")
                mp_info = alternative.measure_generator(
                    site.fn,
                    alternative.generator_args(site.generator_call),
                    max(2, cores),
                    min(seconds, 0.6),
                )
                notes.extend(_pool_notes(mp_info, site.fn, "generator"))
            mp_speedup = mp_info.get("speedup") if mp_info and not mp_info.get("error") else None
            cal_speed = _calibration_speed(calibration_rounds)

            def measurements(pipe: list[Any], iso: list[Any]) -> verdict.SiteMeasurements:
                return verdict.SiteMeasurements(
                    method=site.method,
                    runs_python=site.runs_python,
                    cores=cores,
                    pipeline=pipe,
                    isolated=iso,
                    python_kind=site.python_kind,
                    nested=site.nested,
                    parallel_capable=varied,
                    side_effects=dict(site.side_effects),
                    trace_seconds=site.trace_seconds,
                    stage_per_pipeline_element=ratio,
                    calibration_speedup=cal_speed,
                    threadpool_size=pool,
                    multiprocessing_speedup=mp_speedup,
                    multiprocessing_workers=mp_info.get("workers") if mp_info else None,
                )

            to_level = lambda st: LevelResult(**st.as_dict())  # noqa: E731
            pipe_levels = [to_level(st) for st in pipeline_stats]
            iso_levels_r = [to_level(st) for st in iso_stats]
            if varied and verdict.shape(measurements(pipe_levels, iso_levels_r)) is Verdict.THREADPOOL_CAPPED:
                extra = [f"private:{max(16, 4 * cores)}"]
                if site.method == "map":
                    extra.append("unbounded")
                emit("plan_more", extra=len(extra) * repeat)
                emit("stage", text=f"{label}: larger thread pools")
                builders = {
                    lv: (
                        lambda lv=lv: build(
                            {site.key: measure.level_override(lv)[0]}, measure.level_override(lv)[1]
                        )
                    )
                    for lv in extra
                }
                extra_stats = measure.sweep(
                    meter,
                    builders,
                    extra,
                    repeat,
                    seconds,
                    max_elements,
                    warmup,
                    lambda lv: tick(f"{label} pipeline {lv}"),
                    threadpool=lambda lv: _pool_for(lv, pool),
                    settled_after=SETTLED_AFTER,
                    on_settled=settled,
                )
                pipe_levels += [to_level(st) for st in extra_stats]
            final, confidence, reasons = verdict.decide(measurements(pipe_levels, iso_levels_r))
            if any(lv.isdigit() and int(lv) > pool for lv in levels):
                notes.append(
                    f"levels above {pool} share the {pool}-thread pool: they only mean something with a "
                    "private or unbounded pool"
                )
            rec_levels = pipe_levels if varied else iso_levels_r
            best_level, best_speedup = verdict.recommend(rec_levels)
            advice = verdict.pool_advice(rec_levels)
            if advice:
                notes.append(advice)
            auto = next((lv.autotuned_value for lv in pipe_levels if lv.level == "autotune"), None)

            return SiteResult(
                site=probe_site,
                verdict=final,
                confidence=confidence,
                reasons=tuple(reasons),
                pipeline=pipe_levels,
                isolated=iso_levels_r,
                best_level=best_level,
                best_speedup=best_speedup,
                multiprocessing_speedup=mp_speedup,
                threadpool_size=pool,
                multiprocessing=mp_info,
                autotuned_value=auto,
                notes=tuple(notes),
            )
        except measure.UserError as exc:
            raise ProbeFailure(
                "user",
                f"the pipeline raised {type(exc.original).__name__} while measuring {label}: {exc.original}",
                user_traceback(exc.original),
            ) from None
        except measure.EmptyDataset:
            raise ProbeFailure(
                "empty", f"the pipeline produced no elements while measuring {label}"
            ) from None

    site_results = [measure_site(site) for site in sites]

    calibration: dict[str, Any] = {}
    if calibration_rounds:
        med = _calibration_speed(calibration_rounds)
        calibration = {
            "ok": bool(med is not None and med >= 1.6) if cores >= 2 else True,
            "speedup": med,
            "expected": 1.9 if cores >= 2 else 1.0,
            "quality": round(max(0.0, min(1.0, ((med or 1.0) - 1.0) / 0.9)), 3) if cores >= 2 else 1.0,
            "rounds": calibration_rounds,
            "trusted_rounds": sum(1 for r in calibration_rounds if r.get("trusted")),
        }
        if cores >= 2 and med is not None and med < 1.6:
            warnings.append(
                f"calibration: the known-parallel reference (np.sort) gave {med:.2f}x at npc=2 over npc=1 "
                "(expected ~1.9x); "
                "this machine did not lend its cores evenly, confidence lowered"
            )
    busy = [lv.other_cpu_cores for sr in site_results for lv in sr.pipeline + sr.isolated]
    if busy and max(busy) > 0.25 * cores:
        warnings.append(f"other processes used up to {max(busy):.2f} cores while measuring")

    run_obj = ProbeRun(
        target=cfg["target"],
        tensorflow_version=tf.__version__,
        python_version=platform.python_version(),
        cores=cores,
        machine=platform.platform(),
        calibration=calibration,
        sites=site_results,
        warnings=warnings,
        duration_seconds=None,
        options={
            "levels": levels,
            "seconds": seconds,
            "repeat": repeat,
            "elements": max_elements,
            "args": kwargs and {k: repr(v) for k, v in kwargs.items()},
            "first_build_seconds": round(first_build, 3),
            "child_seconds": round(time.perf_counter() - started, 2),
        },
    )
    return results.to_dict(run_obj)


def _calibration_speed(rounds: list[dict[str, Any]]) -> float | None:
    """Median reference speed-up of the trusted rounds (of all rounds when none was trusted)."""
    speeds = [r["speedup"] for r in rounds if r.get("speedup") and r.get("trusted")]
    speeds = speeds or [r["speedup"] for r in rounds if r.get("speedup")]
    return sorted(speeds)[len(speeds) // 2] if speeds else None


def _pool_for(level: str, pool: int) -> int | None:
    if level.startswith("private:"):
        return int(level.split(":", 1)[1])
    if level == "unbounded":
        return None
    return pool


def _autotune_position(site: Any) -> int | None:
    """Which tunable node is this site's, counting parallel sites from the input in construction order
    (read from the build that just ran, with this site at AUTOTUNE)."""
    from tfpar_doctor.probe import intercept

    parallel = []
    for key in intercept.STATE.build_order:
        s = intercept.STATE.sites.get(key)
        if s is None or not s.parallel_capable or s.nested or s.method == "from_generator":
            continue
        optimised = (
            s.original_npc is None and s.method == "map" and s.stateful is False
        )  # map_parallelization
        if key == site.key or s.original_npc not in (None, "1") or optimised:
            if key not in parallel:
                parallel.append(key)
    if site.key not in parallel:
        return None
    return parallel.index(site.key)


def _pool_notes(mp_info: dict[str, Any], obj: Any, what: str) -> list[str]:
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


def _output_ratio(site: Any, build: Any) -> float | None:
    """The site's output elements per pipeline element, from a counting build of the pipeline."""
    import tensorflow as tf

    from tfpar_doctor.probe import intercept

    counter = tf.Variable(0, dtype=tf.int64, trainable=False)
    intercept.STATE.counters = {site.key: counter}
    try:
        ds = build()
        it = iter(ds)
        end = time.perf_counter() + 0.5
        n = 0
        while time.perf_counter() < end or n < 2:
            try:
                next(it)
            except StopIteration:
                break
            n += 1
            if n >= 5000:
                break
        del it
        produced = int(counter.numpy())
        return produced / n if n and produced else None
    except Exception:  # noqa: BLE001 - the ratio is a refinement, never a failure
        return None
    finally:
        intercept.STATE.counters = {}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    config_path, fd = argv[0], int(argv[1])
    emit = Emitter(fd)
    with open(config_path, encoding="utf-8") as fh:
        cfg = json.load(fh)
    try:
        run_dict = run(cfg, emit)
    except ProbeFailure as exc:
        emit("error", kind=exc.kind, message=exc.message, traceback=exc.tb)
        return 3
    except MemoryError as exc:
        emit(
            "error",
            kind="memory",
            message="the pipeline ran out of memory (MemoryError)",
            traceback=user_traceback(exc),
        )
        return 3
    except BaseException as exc:  # noqa: BLE001
        emit(
            "error", kind="internal", message=f"{type(exc).__name__}: {exc}", traceback=traceback.format_exc()
        )
        return 4
    emit("done", run=run_dict)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: TensorFlow's thread pools can make a normal exit slow or hang.
    os._exit(code)
