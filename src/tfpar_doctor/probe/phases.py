"""Where a probe's wall time goes: its phases, measured while it runs (pure: no TensorFlow; parent and child).

The child keeps a `Timeline`: at every instant exactly one phase is open (top-level phases follow one another;
a phase opened inside another takes its time from the outer one until it closes), so the child's phases add up
to the child's life. The parent's `RunClock` adds what only the parent sees: its checks and the start of the
child process and Python before the child's first line ("start-up"), the results crossing the pipe, the
child's process tree stopped, and `--verify-rewrite`'s rewritten pipelines. The phases of a run therefore add
up to its `duration_seconds`; time no phase names is the phase "unaccounted", never dropped.

Memory has no phase of its own: it is sampled inside every measuring window (measure.RSS_EVERY).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from tfpar_doctor.model import PhaseTime

# Every phase a run can have, in the order a run goes through them, with what it covers (`probe --explain`).
PHASES: dict[str, str] = {
    "start-up": "the target checked, the child process and Python started, the probe's first imports",
    "TensorFlow import": "TensorFlow, NumPy, psutil and gilknocker imported in the child",
    "probe set-up": "the probe's own modules imported, the dataset methods patched",
    "pipeline import": "the module that defines the target imported",
    "pipeline build": "the target called once, its call sites recorded (their functions traced)",
    "first elements": "a first short window: element size, batches or elements, thread pool, memory budget",
    "PyDataset sweep": "a Keras PyDataset's workers swept as threads and as spawned processes",
    "rebuilds": "the target called again for every level of a curve, and the stage-alone datasets built",
    "calibration": "the np.sort reference at npc=1 and 2 before a round (skipped while a recent one holds)",
    "windows": "measuring windows of the first rounds, by curve and level",
    "extra rounds": "windows of rounds added while rounds disagree, sit near an edge or the machine was busy",
    "cache fill": "the stage's input read into take(n).cache(), for the stage alone",
    "output ratio": "a counting build: the stage's output elements per pipeline element",
    "process pool": "the same Python function in a spawned process pool, worker start-up included",
    "judging": "the verdicts of all rounds and of each round, the edge test, the site's result",
    "tf-native verification": "--verify-rewrite: the tf-native rewrite run on the recorded inputs",
    "results": "the run's summary built in the child",
    "hand-over": "the results serialised by the child, sent through the pipe and read by the parent",
    "shutdown": "the child's process tree stopped and its temporary directory removed",
    "rewrite verification": "--verify-rewrite: each process-pool rewrite's pipeline measured in its child",
    "unaccounted": "time inside the run that no phase above names",
}
FIRST = "start-up"
UNACCOUNTED = "unaccounted"
WINDOW_PHASES = ("windows", "extra rounds")  # the phases whose windows are split by level in `detail`

Key = tuple[str, str | None, str | None]  # name, site, detail


@dataclass
class _Span:
    seconds: float = 0.0
    windows: int = 0
    measured: float = 0.0


class Timeline:
    """The child's phases: `switch` moves to the next top-level phase, `phase` opens one inside it, `window`
    counts a measuring window in the phase open now. `record` is what the child sends to the parent."""

    def __init__(self, origin: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.origin = clock() if origin is None else origin
        self._spans: dict[Key, _Span] = {}
        self._open: list[Key] = [(FIRST, None, None)]
        self._since = self.origin
        self._site: str | None = None

    def _charge(self) -> None:
        now = self.clock()
        self._spans.setdefault(self._open[-1], _Span()).seconds += now - self._since
        self._since = now

    def switch(self, name: str, site: str | None = None) -> None:
        """End the top-level phase and start `name` (for `site`: the phases opened inside belong to it)."""
        self._charge()
        self._site = site
        self._open[0] = (name, site, None)

    @contextlib.contextmanager
    def phase(self, name: str, detail: str | None = None) -> Iterator[None]:
        self._charge()
        self._open.append((name, self._site, detail))
        try:
            yield
        finally:
            self._charge()
            self._open.pop()

    def window(self, measured_seconds: float) -> None:
        """A measuring window ran in the phase open now; `measured_seconds` of it were counted."""
        span = self._spans.setdefault(self._open[-1], _Span())
        span.windows += 1
        span.measured += measured_seconds

    def record(self) -> dict[str, Any]:
        """`{"origin": clock value at the start, "phases": [...]}`, the phases up to now (JSON-ready)."""
        self._charge()
        return {
            "origin": self.origin,
            "phases": [
                {"name": name, "site": site, "detail": detail, "seconds": span.seconds,
                 "windows": span.windows, "measured_seconds": span.measured}
                for (name, site, detail), span in self._spans.items()
            ],
        }


class RunClock:
    """The parent's instants of one run, on its own monotonic clock, and the phases they make together with
    the child's timeline.

    The child's phases are placed from its origin: its `time.monotonic()` at its first line, which is the
    parent's clock too wherever that clock is system-wide (Linux, macOS, Windows). An origin outside the
    window it must lie in (after the child was launched, before its first event arrived) is estimated instead
    from that event: received at, minus its own `t` since the origin."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started = clock()
        self.launched: float | None = None
        self.first: tuple[float, float] | None = None  # the child's first event: received at, its "t"
        self.child: Mapping[str, Any] | None = None  # the child's timeline record (from its "done" event)
        self.marks: list[tuple[str, float]] = []  # the parent's phases after the child's, each with its end

    def launch(self) -> None:
        self.launched = self.clock()

    def received(self, event: Mapping[str, Any], at: float) -> None:
        t = event.get("t")
        if self.first is None and isinstance(t, (int, float)):
            self.first = (at, float(t))

    def mark(self, name: str) -> None:
        """The parent's phase `name` ends now (it began where the previous phase ended)."""
        self.marks.append((name, self.clock()))

    def phases(self) -> tuple[list[PhaseTime], float]:
        """The run's phases and its wall time (start to the last mark), the phases adding up to it."""
        end = self.marks[-1][1] if self.marks else self.clock()
        total = end - self.started
        child = [_phase_time(p) for p in (self.child or {}).get("phases", [])]
        child_seconds = sum(p.seconds for p in child)
        spans: dict[Key, PhaseTime] = {}
        cursor = self.started
        marks = list(self.marks)
        if child:
            origin = self._origin(child_seconds)
            _add(spans, PhaseTime(FIRST, origin - self.started))
            for p in child:
                _add(spans, p)
            cursor = origin + child_seconds
        elif marks:  # without the child's timeline, nothing says where the time until its results went
            cursor = marks.pop(0)[1]
            _add(spans, PhaseTime(UNACCOUNTED, cursor - self.started))
        for name, at in marks:
            _add(spans, PhaseTime(name, at - cursor))
            cursor = at
        out = list(spans.values())
        rest = total - sum(p.seconds for p in out)
        if abs(rest) >= 0.0005:  # after the last instant recorded (no end mark yet): shown, not dropped
            _add(spans, PhaseTime(UNACCOUNTED, rest))
            out = list(spans.values())
        return [_rounded(p) for p in out], total

    def _origin(self, child_seconds: float) -> float:
        origin = (self.child or {}).get("origin")
        low = self.launched if self.launched is not None else self.started
        high = self.first[0] if self.first else (self.marks[0][1] if self.marks else self.clock())
        if not isinstance(origin, (int, float)) or not low <= origin <= high:
            origin = self.first[0] - self.first[1] if self.first else low
        if self.marks:  # the child's phases end before the parent read its results
            origin = min(origin, self.marks[0][1] - child_seconds)
        return max(float(origin), self.started)


def _phase_time(data: Mapping[str, Any]) -> PhaseTime:
    return PhaseTime(
        name=str(data["name"]), seconds=float(data["seconds"]), site=data.get("site"),
        detail=data.get("detail"), windows=int(data.get("windows", 0)),
        measured_seconds=float(data.get("measured_seconds", 0.0)),
    )


def _add(spans: dict[Key, PhaseTime], p: PhaseTime) -> None:
    key = (p.name, p.site, p.detail)
    have = spans.get(key)
    if have is None:
        spans[key] = replace(p)  # a copy: the sums below must not write into the caller's phase
    else:
        have.seconds += p.seconds
        have.windows += p.windows
        have.measured_seconds += p.measured_seconds


def _rounded(p: PhaseTime) -> PhaseTime:
    return replace(p, seconds=round(p.seconds, 3), measured_seconds=round(p.measured_seconds, 3))


def grouped(phases: Sequence[PhaseTime]) -> list[tuple[str, float]]:
    """The run's phases by name, and each site's phases as one "site FILE:LINE" entry, in run order."""
    out: dict[str, float] = {}
    for p in phases:
        key = f"site {p.site}" if p.site else p.name
        out[key] = out.get(key, 0.0) + p.seconds
    return list(out.items())


def summary(phases: Sequence[PhaseTime], total: float | None, smallest: float = 0.05) -> str:
    """One line: "20.1 s: start-up 0.9, TensorFlow import 4.2, ..., site p.py:12 12.3, shutdown 0.2";
    entries under `smallest` seconds are summed as "other" ("" without phases)."""
    if not phases:
        return ""
    shown, other = [], 0.0
    for name, seconds in grouped(phases):
        if seconds >= smallest:
            shown.append(f"{name} {seconds:.1f}")
        else:
            other += seconds
    if other >= smallest:
        shown.append(f"other {other:.1f}")
    whole = total if total is not None else sum(p.seconds for p in phases)
    return f"{whole:.1f} s: " + ", ".join(shown)
