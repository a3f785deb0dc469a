"""The shared language between stages: plain, picklable dataclasses.

Everything that crosses a stage boundary (analysis -> rules -> advice -> renderers, probe -> report)
is one of these. They carry no behaviour beyond conversion to and from JSON-ready dicts, so every
renderer and the report read exactly the same objects.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any

from tfpar_doctor.knowledge.advice_kinds import AdviceKind


class Severity(str, enum.Enum):
    ERROR = "error"  # the pipeline computes something other than what the code says
    WARNING = "warning"  # the pipeline cannot use the parallelism it asks for
    INFO = "info"  # advice: a likely improvement


class BodyClass(str, enum.Enum):
    """What dominates a Python function that runs once per element (inside py_function & co)."""

    CPU = "cpu"  # pure-Python work: holds the GIL, gains nothing from more threads
    IO = "io"  # file/network waits: releases the GIL, wants many calls in flight
    NATIVE = "native"  # NumPy/PIL/OpenCV/SciPy kernels: release the GIL, scale to the core count
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Location:
    """A span in a file. Lines and columns are 1-based; end is inclusive of the last character."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    def short(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Location:
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One observed fact that supports a finding or a classification."""

    description: str
    location: Location | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        loc = data.get("location")
        return cls(data["description"], Location.from_dict(loc) if loc else None)


@dataclass(frozen=True, slots=True)
class Related:
    """A location that explains a finding: the mapped function, the offending line inside it."""

    location: Location
    message: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Related:
        return cls(Location.from_dict(data["location"]), data["message"])


@dataclass(frozen=True, slots=True)
class Classification:
    """The class of a per-element Python function and the calls or loops that decided it."""

    kind: BodyClass
    function: str
    evidence: tuple[Evidence, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Classification:
        return cls(
            BodyClass(data["kind"]),
            data["function"],
            tuple(Evidence.from_dict(e) for e in data.get("evidence", ())),
        )


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text between two (1-based line, 1-based column) positions; end is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Edit:
        return cls(**data)


class Applicability(str, enum.Enum):
    """Whether `--fix` may apply a fix on its own (ruff's terms)."""

    SAFE = "safe"  # keeps what the program computes: `--fix` applies it
    UNSAFE = "unsafe"  # may change behaviour (order of random draws, concurrency): only `--unsafe-fixes`


@dataclass(frozen=True, slots=True)
class Fix:
    """A rewrite a rule offers; `--fix` applies it only when it is safe."""

    description: str
    edits: tuple[Edit, ...]
    # Unsafe unless the rule vouches for it: an edit nobody declared safe never runs behind the user's back.
    applicability: Applicability = Applicability.UNSAFE

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fix:
        return cls(
            data["description"],
            tuple(Edit.from_dict(e) for e in data["edits"]),
            Applicability(data.get("applicability", Applicability.UNSAFE.value)),
        )


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule violation at one place, with everything needed to explain and act on it."""

    code: str
    name: str
    message: str
    location: Location
    severity: Severity
    # What to do, in one or two sentences; the advisor expands it into code.
    advice: str = ""
    # The transformation call the finding belongs to (for TFP001-TFP004 this differs from location).
    call_site: Location | None = None
    # The resolved function, e.g. "data/audio.py:AudioLoader._load".
    function: str | None = None
    related: tuple[Related, ...] = ()
    classification: Classification | None = None
    # The advice this finding asks for: `AdviceKind` values ("multiprocessing"), its rule's `advice` or a
    # subset; plain strings so that JSON and the cache hold them as they are.
    advice_kinds: tuple[str, ...] = ()
    fix: Fix | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.path, self.location.line, self.location.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        if self.classification is not None:
            data["classification"]["kind"] = self.classification.kind.value
        if self.fix is not None:
            data["fix"]["applicability"] = self.fix.applicability.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            code=data["code"],
            name=data["name"],
            message=data["message"],
            location=Location.from_dict(data["location"]),
            severity=Severity(data["severity"]),
            advice=data.get("advice", ""),
            call_site=Location.from_dict(data["call_site"]) if data.get("call_site") else None,
            function=data.get("function"),
            related=tuple(Related.from_dict(r) for r in data.get("related", ())),
            classification=(
                Classification.from_dict(data["classification"]) if data.get("classification") else None
            ),
            advice_kinds=tuple(data.get("advice_kinds", ())),
            fix=Fix.from_dict(data["fix"]) if data.get("fix") else None,
        )


# ---------------------------------------------------------------------------------------------
# Probe results: written by `tfpar-doctor probe -o results.json`, read by `tfpar-doctor report`.
# ---------------------------------------------------------------------------------------------


class Verdict(str, enum.Enum):
    SCALES = "scales"  # throughput rises with parallelism, CPU follows
    GIL_BOUND = "gil-bound"  # flat throughput, ~1 core busy, high GIL contention
    THREADPOOL_CAPPED = "threadpool-capped"  # rises until #cores, then flat, CPU well below the cores
    NOT_BOTTLENECK = "not-bottleneck"  # the stage is faster than the rest of the pipeline
    TRACE_TIME_ONLY = "trace-time-only"  # Python in the function ran at trace time, not per element
    PARTIAL = "partial"  # some speed-up, well below the ideal
    INCONCLUSIVE = "inconclusive"  # the machine was too busy or the spread too wide to say
    UNMEASURABLE = "unmeasurable"  # the sweep ran out of elements or gave a physically impossible number


@dataclass(frozen=True, slots=True)
class VerdictMeaning:
    """What a verdict means to every output (terminal, HTML/Markdown report, advisor): read it from here."""

    label: str  # a few words for a person, shown next to the verdict
    terminal_style: str  # rich colour of the verdict in the terminal
    html_colour: str  # CSS colour of the verdict badge in the HTML report
    advice_kinds: tuple[AdviceKind, ...]  # advice the measured verdict adds (trace-time advice
    # comes from the static findings, TFP001/TFP002)
    meaning: str  # one sentence: what was measured


VERDICT_MEANING: dict[Verdict, VerdictMeaning] = {
    Verdict.SCALES: VerdictMeaning(
        "scales with parallelism", "green", "#1a7f37", (AdviceKind.KEEP_PARALLELISM,),
        "throughput rises with num_parallel_calls and CPU follows: keep the recommended level",
    ),
    Verdict.GIL_BOUND: VerdictMeaning(
        "GIL-bound Python", "red", "#cf222e", (AdviceKind.TF_NATIVE, AdviceKind.MULTIPROCESSING),
        "per-element Python holds the GIL: no level helps; rewrite in TensorFlow ops or use processes",
    ),
    Verdict.THREADPOOL_CAPPED: VerdictMeaning(
        "capped by the thread pool", "yellow", "#bf8700", (AdviceKind.THREAD_POOL,),
        "the stage waits with the GIL released, capped at one call per core: a private or unbounded "
        "thread pool lifts it",
    ),
    Verdict.NOT_BOTTLENECK: VerdictMeaning(
        "not the bottleneck", "cyan", "#0969da", (),
        "another stage sets the pipeline's pace: changing this one does not move it",
    ),
    Verdict.TRACE_TIME_ONLY: VerdictMeaning(
        "Python ran at trace time", "magenta", "#8250df", (),
        "the function's Python side effects ran once, while it was traced, not per element",
    ),
    Verdict.PARTIAL: VerdictMeaning(
        "partial speed-up", "yellow", "#bf8700", (),
        "some speed-up, well below the ideal, with CPU or GIL contention explaining why",
    ),
    Verdict.INCONCLUSIVE: VerdictMeaning(
        "inconclusive", "dim", "#6e7781", (),
        "the measurements disagree or the machine was too busy: the reason says what to change",
    ),
    Verdict.UNMEASURABLE: VerdictMeaning(
        "could not be measured", "dim", "#6e7781", (),
        "the dataset ran out or gave a physically impossible number: pass --arg or --elements to measure it",
    ),
}


@dataclass(slots=True)
class LevelResult:
    """One parallelism level of one site, measured over `repeats` windows."""

    level: str  # "1", "2", "4", "autotune", "private:16", "unbounded"
    parallelism: int | None  # the numeric level, None for AUTOTUNE
    elements_per_second: float
    spread: float  # (max - min) / median over the repeats
    cpu_cores: float  # process CPU time / wall time
    gil_contention: float | None  # 0..1 (gilknocker), None when not measured
    other_cpu_cores: float  # CPU used by other processes during the windows
    repeats: int
    autotuned_value: int | None = None  # AUTOTUNE's chosen parallelism when read back
    # Optional details added by the probe (all default, older files load without them).
    elements: int = 0  # elements counted over all windows of this level
    build_seconds: float | None = None  # median time to rebuild the pipeline (retrace), not in the windows
    first_element_seconds: float | None = None  # median latency of the first element after a rebuild
    threadpool_size: int | None = None  # the thread pool in force for this level
    peak_rss_bytes: int | None = None  # the probed process's peak resident memory while measuring this level
    restarts: int = 0  # times the dataset ran out and was restarted inside the measuring windows


@dataclass(slots=True)
class ProbeSite:
    """A user call site of a dataset transformation, as the probe saw it at run time."""

    path: str
    line: int
    method: str  # map, interleave, flat_map, filter, from_generator, ...
    function: str  # the mapped callable's name
    original_parallelism: str | None  # as the user wrote it: "autotune", "4", None when absent
    runs_python: bool  # the traced function calls py_function/numpy_function (or from_generator)
    nested: bool = False  # built inside another transformation's function: not replayed alone
    column: int | None = None  # 1-based column of the call when known
    python_kind: str | None = None  # "py_function", "numpy_function", "generator" when runs_python
    stateful: bool | None = None  # the traced function has stateful ops (map_parallelization skips it)


@dataclass(slots=True)
class SiteResult:
    site: ProbeSite
    verdict: Verdict
    confidence: float  # 0..1
    reasons: tuple[str, ...]  # the numbers that justify the verdict, in words
    pipeline: list[LevelResult] = field(default_factory=list)  # whole pipeline, this site varied
    isolated: list[LevelResult] = field(default_factory=list)  # the stage replayed from cached inputs
    best_level: str | None = None
    best_speedup: float | None = None
    multiprocessing_speedup: float | None = None  # same Python function in a process pool
    threadpool_size: int | None = None
    # Optional details added by the probe.
    multiprocessing: dict[str, Any] | None = None  # serial/pool seconds per element, worker start-up, workers
    autotuned_value: int | None = None  # AUTOTUNE's chosen parallelism (state_value) for this site
    notes: tuple[str, ...] = ()  # caveats: levels above cores, nested site, calibration, ...
    signature: str | None = None  # the verdict signature that matched (probe/verdict.py)
    explain: list[dict[str, Any]] = field(default_factory=list)  # signatures tried in order, with the numbers
    element_bytes: int | None = None  # size of one pipeline element
    unit: str = "elements"  # what the pipeline yields per step: "elements", or "batches" after .batch()
    memory: dict[str, Any] | None = None  # budget, peak RSS at the recommended level and at AUTOTUNE, advice
    stability: dict[str, Any] | None = None  # rounds measured, each round's verdict, their agreement
    # The process-pool rewrite's pipeline measured next to the original (probe --verify-rewrite): kind,
    # elements_per_second, original_elements_per_second, speedup, error.
    rewrite: dict[str, Any] | None = None
    # The complete tf-native rewrite run on the recorded inputs (probe --verify-rewrite): function_name,
    # elements, same_outputs, first_difference, speedup, error.
    verification: dict[str, Any] | None = None


@dataclass(slots=True)
class PhaseTime:
    """Wall time one phase of a probe run took (the phases are named and described in probe/phases.py).

    A phase is exclusive: time spent in a phase nested inside another counts for the inner one only, so the
    phases of a run add up to its `duration_seconds`."""

    name: str  # "start-up", "TensorFlow import", "windows", "process pool", ..., "unaccounted"
    seconds: float
    site: str | None = None  # "file.py:12" for a call site's phases, None for the run's
    detail: str | None = None  # what inside the phase: "pipeline 2" (curve and level), "alone" ...
    windows: int = 0  # measuring windows run in this phase
    measured_seconds: float = 0.0  # their counted part; the rest: fresh iterators, first elements, warm-ups


@dataclass(slots=True)
class ProbeRun:
    """Everything one probe run measured."""

    target: str
    tensorflow_version: str
    python_version: str
    cores: int
    machine: str
    calibration: dict[str, Any]
    sites: list[SiteResult]
    warnings: list[str] = field(default_factory=list)
    schema_version: int = 1
    # Optional details added by the probe.
    duration_seconds: float | None = None  # wall time of the whole probe, shutdown and rewrite check included
    options: dict[str, Any] = field(default_factory=dict)  # levels, seconds, repeat, elements, ...
    interpreter: dict[str, Any] = field(default_factory=dict)  # free-threaded build, GIL enabled at run time
    phases: list[PhaseTime] = field(default_factory=list)  # where duration_seconds went
