"""Probe results on disk: `tfpar-doctor probe -o results.json` writes them, `tfpar-doctor report` reads them.

Use :func:`dump` and :func:`load`; both work on :class:`tfpar_doctor.model.ProbeRun`. This module imports
neither TensorFlow nor anything heavy, so the report command can read results anywhere.

Schema (version 1)
==================
A JSON object (UTF-8, keys in the order below, lines and columns 1-based)::

    {
      "schema_version": 1,                  # int, required; files from a newer major schema are refused
      "target": "pipe.py:make_dataset",     # str, required: what was probed, as given on the command line
      "tensorflow_version": "2.21.0",       # str, required
      "python_version": "3.11.7",           # str, required
      "cores": 2,                           # int, required: schedulable cores of the machine
      "machine": "Linux-...-x86_64",        # str, required
      "calibration": {...},                 # object, required (may be empty); see below
      "sites": [SiteResult, ...],           # list, required
      "warnings": ["..."],                  # list of str, optional (default [])
      "duration_seconds": 21.4,             # float or null, optional: wall time of the whole probe (the
                                            # child's shutdown and --verify-rewrite included)
      "options": {"levels": [...], ...}     # object, optional: the probe's settings
      "interpreter": {"free_threaded_build": false, "gil_enabled": true, "implementation": "CPython"}
                                            # object, optional: the Python that ran the pipeline
      "phases": [PhaseTime, ...]            # list, optional (default []): where duration_seconds went;
                                            # they add up to it (files from before it: [])
    }

`calibration`: ``{"ok": bool, "speedup": float, "expected": float, "rounds": [{"npc1": el/s, "npc2": el/s,
"speedup": float, "other_cpu_cores": float, "trusted": bool}, ...], "quality": 0..1, "trusted_rounds": int}``;
``{}`` when calibration was skipped. `speedup` is the median over the trusted rounds (all rounds when none
was trusted); a round is trusted when the np.sort reference ran >= 1.5x faster at npc=2, and only trusted
rounds' windows enter the level statistics when there is at least one.

`SiteResult`::

    {
      "site": ProbeSite,
      "verdict": "scales" | "gil-bound" | "threadpool-capped" | "not-bottleneck" | "trace-time-only"
                 | "partial" | "inconclusive" | "unmeasurable",
      "confidence": 0.0..1.0,
      "reasons": ["throughput 41 -> 42 el/s from 1 to 2 (1.02x)", ...],  # the numbers, in words
      "pipeline": [LevelResult, ...],       # whole pipeline, only this site varied (may include the
                                            # levels "private:N" and "unbounded")
      "isolated": [LevelResult, ...],       # the stage replayed alone from cached inputs ([] when nested)
      "best_level": "2" | "autotune" | null,  # recommended level: lowest within noise of the best
      "best_speedup": 1.93 | null,          # best level's throughput / level 1
      "multiprocessing_speedup": 1.87 | null, # same Python function (or generator copies) in a process
                                            # pool vs serial
      "threadpool_size": 2 | null,          # tf.data thread pool in force for the numeric levels
      "multiprocessing": {"workers": 2, "serial_seconds_per_element": ..., "pool_seconds_per_element": ...,
                          "worker_startup_seconds": ..., "items": N, "speedup_with_startup": ...,
                          "kind": "generator" (copies of a from_generator generator; absent for
                          functions), "error": null} | null,
      "autotuned_value": 2 | null,          # AUTOTUNE's chosen parallelism (state_value)
      "notes": ["..."],                     # caveats (levels above cores, nested site, ...)
      "signature": "flat-contended" | null, # the verdict signature that matched (probe/verdict.py)
      "explain": [{"signature": ..., "verdict": ..., "matched": bool, "why": "..."}, ...],
                                            # the signatures tried in order, with their numbers
      "element_bytes": 4096 | null,         # size of one pipeline element
      "unit": "elements" | "batches",       # what one pipeline element is (after .batch(): a batch)
      "memory": {"budget_bytes": ..., "budget_source": ..., "recommended_peak_bytes": ...,
                 "autotune_peak_bytes": ..., "advice": "..." | null} | null,
      "stability": {"rounds": 3, "round_verdicts": [...], "agreement": 1.0} | null,
      "rewrite": {"kind": "multiprocessing", "elements_per_second": 790.0 | null,
                  "original_elements_per_second": 913.0 | null, "speedup": 0.87 | null,
                  "error": "..." | null, "repeats": 3, "speedup_low": 0.8 | null,
                  "speedup_high": 0.95 | null, "other_cpu_cores": 0.1 | null,
                  "unreliable": "..." | null} | null
                                            # the process-pool rewrite applied to a copy of the tree as
                                            # handed over and its pipeline measured next to the original,
                                            # in turns (medians; the speed-up's range over the repeats; the
                                            # busiest other load; why it cannot decide) (probe
                                            # --verify-rewrite); absent otherwise
      "verification": {"function_name": "load_tf", "elements": 240, "same_outputs": true,
                       "first_difference": "", "speedup": 6.1 | null, "error": ""} | null
                                            # the complete tf-native rewrite run on the site's recorded
                                            # inputs next to the original (probe --verify-rewrite)
    }

`ProbeSite`::

    {"path": "/abs/pipe.py", "line": 12, "method": "map", "function": "load",
     "original_parallelism": "autotune" | "4" | null, "runs_python": true, "nested": false,
     "column": 5 | null, "python_kind": "py_function" | "numpy_function" | "generator" | null,
     "stateful": true | null}

`LevelResult`::

    {"level": "1" | "2" | "autotune" | "private:16" | "unbounded", "parallelism": 2 | null,
     "elements_per_second": 73.1, "spread": 0.04, "cpu_cores": 1.01, "gil_contention": 0.82 | null,
     "other_cpu_cores": 0.03, "repeats": 3, "autotuned_value": null, "elements": 220,
     "build_seconds": 0.21 | null, "first_element_seconds": 0.02 | null, "threadpool_size": 2 | null,
     "peak_rss_bytes": 812000000 | null, "restarts": 0}

`PhaseTime` (the phases and what each covers: tfpar_doctor.probe.phases.PHASES; exclusive: a phase inside
another counts for the inner one only)::

    {"name": "windows", "seconds": 2.91, "site": "pipe.py:12" | null, "detail": "pipeline 2" | null,
     "windows": 3, "measured_seconds": 2.4}
                                            # site: a call site's phase (null: the run's); detail: the curve
                                            # and level of measuring windows, or the curve rebuilt; windows:
                                            # measuring windows run in the phase, measured_seconds their
                                            # counted part (the rest: fresh iterators, first elements,
                                            # warm-ups)

Unknown keys are ignored (so newer minor additions load in older readers); missing optional keys take their
defaults. Any other problem raises :class:`ResultsError` with the JSON path of the bad value.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from tfpar_doctor.model import LevelResult, PhaseTime, ProbeRun, ProbeSite, SiteResult, Verdict

SCHEMA_VERSION = 1


class ResultsError(ValueError):
    """A results file that cannot be read: the message says which file, where, and what is wrong."""


# ------------------------------------------------------------------------------------------ writing


def _clean(value: Any) -> Any:
    """JSON-ready copy: enums to values, tuples to lists, non-finite floats to null."""
    if isinstance(value, Verdict):
        return value.value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def to_dict(run: ProbeRun) -> dict[str, Any]:
    data = asdict(run)
    ordered = {"schema_version": SCHEMA_VERSION}
    ordered.update((k, v) for k, v in data.items() if k != "schema_version")
    return _clean(ordered)


def dumps(run: ProbeRun) -> str:
    return json.dumps(to_dict(run), indent=2, allow_nan=False) + "\n"


def dump(run: ProbeRun, path: str | os.PathLike[str]) -> None:
    """Write `run` to `path` atomically (a temporary file in the same directory, then a rename)."""
    text = dumps(run)
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# ------------------------------------------------------------------------------------------ reading


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> ResultsError:
        return ResultsError(f"{self.source}: {where}: {message}")

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, got {type(value).__name__}")
        return value

    def req(self, data: dict[str, Any], key: str, where: str, kind: str) -> Any:
        if key not in data:
            raise self.fail(where, f"missing required key {key!r}")
        return self.typed(data[key], f"{where}.{key}", kind)

    def opt(self, data: dict[str, Any], key: str, where: str, kind: str, default: Any) -> Any:
        if key not in data:
            return default
        return self.typed(data[key], f"{where}.{key}", kind)

    def typed(self, value: Any, where: str, kind: str) -> Any:
        nullable = kind.endswith("?")
        base = kind.rstrip("?")
        if value is None:
            if nullable:
                return None
            raise self.fail(where, f"expected {base}, got null")
        ok = {
            "str": isinstance(value, str),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "float": isinstance(value, (int, float)) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
            "list": isinstance(value, list),
            "dict": isinstance(value, dict),
        }[base]
        if not ok:
            raise self.fail(where, f"expected {base}, got {type(value).__name__} {value!r:.40}")
        if base == "float":
            return float(value)
        return value

    def level(self, value: Any, where: str) -> LevelResult:
        d = self.obj(value, where)
        return LevelResult(
            level=self.req(d, "level", where, "str"),
            parallelism=self.req(d, "parallelism", where, "int?"),
            elements_per_second=self.req(d, "elements_per_second", where, "float"),
            spread=self.req(d, "spread", where, "float"),
            cpu_cores=self.req(d, "cpu_cores", where, "float"),
            gil_contention=self.req(d, "gil_contention", where, "float?"),
            other_cpu_cores=self.req(d, "other_cpu_cores", where, "float"),
            repeats=self.req(d, "repeats", where, "int"),
            autotuned_value=self.opt(d, "autotuned_value", where, "int?", None),
            elements=self.opt(d, "elements", where, "int", 0),
            build_seconds=self.opt(d, "build_seconds", where, "float?", None),
            first_element_seconds=self.opt(d, "first_element_seconds", where, "float?", None),
            threadpool_size=self.opt(d, "threadpool_size", where, "int?", None),
            peak_rss_bytes=self.opt(d, "peak_rss_bytes", where, "int?", None),
            restarts=self.opt(d, "restarts", where, "int", 0),
        )

    def site(self, value: Any, where: str) -> ProbeSite:
        d = self.obj(value, where)
        return ProbeSite(
            path=self.req(d, "path", where, "str"),
            line=self.req(d, "line", where, "int"),
            method=self.req(d, "method", where, "str"),
            function=self.req(d, "function", where, "str"),
            original_parallelism=self.req(d, "original_parallelism", where, "str?"),
            runs_python=self.req(d, "runs_python", where, "bool"),
            nested=self.opt(d, "nested", where, "bool", False),
            column=self.opt(d, "column", where, "int?", None),
            python_kind=self.opt(d, "python_kind", where, "str?", None),
            stateful=self.opt(d, "stateful", where, "bool?", None),
        )

    def site_result(self, value: Any, where: str) -> SiteResult:
        d = self.obj(value, where)
        verdict_text = self.req(d, "verdict", where, "str")
        try:
            verdict = Verdict(verdict_text)
        except ValueError:
            allowed = ", ".join(v.value for v in Verdict)
            raise self.fail(
                f"{where}.verdict", f"unknown verdict {verdict_text!r} (one of: {allowed})"
            ) from None
        confidence = self.req(d, "confidence", where, "float")
        if not 0.0 <= confidence <= 1.0:
            raise self.fail(f"{where}.confidence", f"must be between 0 and 1, got {confidence}")
        reasons = self.req(d, "reasons", where, "list")
        notes = self.opt(d, "notes", where, "list", [])
        return SiteResult(
            site=self.site(self.req(d, "site", where, "dict"), f"{where}.site"),
            verdict=verdict,
            confidence=confidence,
            reasons=tuple(self.typed(r, f"{where}.reasons[{i}]", "str") for i, r in enumerate(reasons)),
            pipeline=[
                self.level(v, f"{where}.pipeline[{i}]")
                for i, v in enumerate(self.opt(d, "pipeline", where, "list", []))
            ],
            isolated=[
                self.level(v, f"{where}.isolated[{i}]")
                for i, v in enumerate(self.opt(d, "isolated", where, "list", []))
            ],
            best_level=self.opt(d, "best_level", where, "str?", None),
            best_speedup=self.opt(d, "best_speedup", where, "float?", None),
            multiprocessing_speedup=self.opt(d, "multiprocessing_speedup", where, "float?", None),
            threadpool_size=self.opt(d, "threadpool_size", where, "int?", None),
            multiprocessing=self.opt(d, "multiprocessing", where, "dict?", None),
            autotuned_value=self.opt(d, "autotuned_value", where, "int?", None),
            notes=tuple(self.typed(r, f"{where}.notes[{i}]", "str") for i, r in enumerate(notes)),
            signature=self.opt(d, "signature", where, "str?", None),
            explain=[
                self.obj(v, f"{where}.explain[{i}]")
                for i, v in enumerate(self.opt(d, "explain", where, "list", []))
            ],
            element_bytes=self.opt(d, "element_bytes", where, "int?", None),
            unit=self.opt(d, "unit", where, "str", "elements"),
            memory=self.opt(d, "memory", where, "dict?", None),
            stability=self.opt(d, "stability", where, "dict?", None),
            rewrite=self.rewrite(self.opt(d, "rewrite", where, "dict?", None), f"{where}.rewrite"),
            verification=self.verification(self.opt(d, "verification", where, "dict?", None),
                                           f"{where}.verification"),
        )

    def rewrite(self, value: dict[str, Any] | None, where: str) -> dict[str, Any] | None:
        """The measured rewrite of a site (absent in files from before `probe --verify-rewrite`)."""
        if value is None:
            return None
        return {
            "kind": self.req(value, "kind", where, "str"),
            "elements_per_second": self.opt(value, "elements_per_second", where, "float?", None),
            "original_elements_per_second": self.opt(value, "original_elements_per_second", where,
                                                     "float?", None),
            "speedup": self.opt(value, "speedup", where, "float?", None),
            "error": self.opt(value, "error", where, "str?", None),
            "repeats": self.opt(value, "repeats", where, "int", 0),
            "speedup_low": self.opt(value, "speedup_low", where, "float?", None),
            "speedup_high": self.opt(value, "speedup_high", where, "float?", None),
            "other_cpu_cores": self.opt(value, "other_cpu_cores", where, "float?", None),
            "unreliable": self.opt(value, "unreliable", where, "str?", None),
        }

    def verification(self, value: dict[str, Any] | None, where: str) -> dict[str, Any] | None:
        """The tf-native rewrite run on the site's inputs (absent in files from before it existed)."""
        if value is None:
            return None
        return {
            "function_name": self.req(value, "function_name", where, "str"),
            "elements": self.opt(value, "elements", where, "int", 0),
            "same_outputs": self.opt(value, "same_outputs", where, "bool", False),
            "first_difference": self.opt(value, "first_difference", where, "str", ""),
            "speedup": self.opt(value, "speedup", where, "float?", None),
            "error": self.opt(value, "error", where, "str", ""),
        }

    def phase(self, value: Any, where: str) -> PhaseTime:
        d = self.obj(value, where)
        return PhaseTime(
            name=self.req(d, "name", where, "str"),
            seconds=self.req(d, "seconds", where, "float"),
            site=self.opt(d, "site", where, "str?", None),
            detail=self.opt(d, "detail", where, "str?", None),
            windows=self.opt(d, "windows", where, "int", 0),
            measured_seconds=self.opt(d, "measured_seconds", where, "float", 0.0),
        )

    def run(self, value: Any) -> ProbeRun:
        d = self.obj(value, "$")
        version = self.req(d, "schema_version", "$", "int")
        if version > SCHEMA_VERSION:
            raise self.fail(
                "$.schema_version",
                f"written by a newer tfpar-doctor (schema {version}, this one reads {SCHEMA_VERSION}); "
                "upgrade",
            )
        if version < 1:
            raise self.fail("$.schema_version", f"invalid schema version {version}")
        sites = self.req(d, "sites", "$", "list")
        warnings = self.opt(d, "warnings", "$", "list", [])
        return ProbeRun(
            target=self.req(d, "target", "$", "str"),
            tensorflow_version=self.req(d, "tensorflow_version", "$", "str"),
            python_version=self.req(d, "python_version", "$", "str"),
            cores=self.req(d, "cores", "$", "int"),
            machine=self.req(d, "machine", "$", "str"),
            calibration=self.req(d, "calibration", "$", "dict"),
            sites=[self.site_result(s, f"$.sites[{i}]") for i, s in enumerate(sites)],
            warnings=[self.typed(w, f"$.warnings[{i}]", "str") for i, w in enumerate(warnings)],
            schema_version=version,
            duration_seconds=self.opt(d, "duration_seconds", "$", "float?", None),
            options=self.opt(d, "options", "$", "dict", {}),
            interpreter=self.opt(d, "interpreter", "$", "dict", {}),
            phases=[self.phase(p, f"$.phases[{i}]")
                    for i, p in enumerate(self.opt(d, "phases", "$", "list", []))],
        )


def from_dict(data: Any, source: str = "<results>") -> ProbeRun:
    """Validate a decoded results object and build the :class:`ProbeRun`; raises :class:`ResultsError`."""
    return _Reader(source).run(data)


def loads(text: str, source: str = "<results>") -> ProbeRun:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultsError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    return from_dict(data, source)


def load(path: str | os.PathLike[str]) -> ProbeRun:
    """Read and validate a results file written by `tfpar-doctor probe -o`; raises :class:`ResultsError`."""
    source = os.fspath(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ResultsError(
            f"{source}: no such file (write one with `tfpar-doctor probe TARGET -o {source}`)"
        ) from None
    except OSError as exc:
        raise ResultsError(f"{source}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ResultsError(f"{source}: not UTF-8 text; is this a probe results file?") from None
    return loads(text, source)


__all__ = [
    "SCHEMA_VERSION",
    "ResultsError",
    "dump",
    "dumps",
    "from_dict",
    "load",
    "loads",
    "to_dict",
]

# Keep the dataclass field lists and this reader in step (checked by the tests).
_FIELDS = {
    cls.__name__: [f.name for f in fields(cls)]
    for cls in (LevelResult, ProbeSite, SiteResult, ProbeRun, PhaseTime)
}
