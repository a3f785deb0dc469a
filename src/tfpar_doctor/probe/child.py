"""The probe's child process: `python -m tfpar_doctor.probe.child CONFIG.json FD`.

Imports TensorFlow, installs the interception, imports and calls the user's target, then measures every
call site and writes JSON lines to file descriptor FD (never to stdout, which belongs to the user's code):

    {"event": "stage", "text": "..."}                 what it is doing now
    {"event": "plan", "total": N}                      number of measuring windows to come
    {"event": "plan_more", "extra": N}                 N more windows (larger pools, more rounds)
    {"event": "tick", "text": "..."}                   one window done
    {"event": "warning", "text": "..."}
    {"event": "error", "kind": K, "message": "...", "traceback": "..." | null}
    {"event": "done", "run": {...}, "timeline": {...}} the ProbeRun, as in tfpar_doctor.probe.results, and
                                                       where the child's time went (probe/phases.py)

Every event carries "t", seconds since the child's first line (its time.monotonic(), the phases' origin).
Error kinds: "tf-missing", "target", "usage" (arguments do not fit the target), "not-dataset", "user" (the
user's code raised; with its traceback), "empty", "memory" (MemoryError), "internal".
This module's top level stays light: a spawn process pool re-imports it as `__mp_main__`.

The run: `Session` (session.py) imports the target and records its call sites; `SiteProbe` (site_probe.py)
measures each site and judges it (verdict.py, stability.py); this module only wires them and reports.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
import traceback
from typing import Any

from tfpar_doctor.probe.phases import Timeline
from tfpar_doctor.probe.target import ProbeFailure, load_target, parse_args, user_traceback

__all__ = ["Emitter", "ProbeFailure", "load_target", "main", "parse_args", "run", "user_traceback"]


class Emitter:
    def __init__(self, fd: int) -> None:
        self.stream = os.fdopen(fd, "w", buffering=1, encoding="utf-8")
        self.start = time.monotonic()  # the origin of the child's timeline too: the parent places it by "t"

    def __call__(self, event: str, **data: Any) -> None:
        data["event"] = event
        data["t"] = round(time.monotonic() - self.start, 3)
        self.stream.write(json.dumps(data, default=str) + "\n")
        self.stream.flush()


def _import_probe_dependencies() -> Any:
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
    return tf


def run(cfg: dict[str, Any], emit: Any, timeline: Timeline | None = None) -> dict[str, Any]:
    """Measure every call site of the target and return the ProbeRun as a dict (raises ProbeFailure);
    `timeline` records where the time went."""
    started = time.perf_counter()
    timeline = timeline or Timeline()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    timeline.switch("TensorFlow import")
    emit("stage", text="importing TensorFlow")
    tf = _import_probe_dependencies()
    timeline.switch("probe set-up")

    from tfpar_doctor.model import ProbeRun
    from tfpar_doctor.probe import intercept, interpreter, results
    from tfpar_doctor.probe.session import Session, Settings
    from tfpar_doctor.probe.site_probe import SiteProbe

    tf.get_logger().setLevel("ERROR")
    intercept.install()
    session = Session(Settings.from_cfg(cfg), emit, timeline)
    session.load()
    try:
        session.record()
    except ProbeFailure as exc:
        from tfpar_doctor.probe import pydataset  # a Keras PyDataset target: its workers are swept instead

        timeline.switch("PyDataset sweep")
        swept = pydataset.run_target(session, tf, emit) if exc.kind == "not-dataset" else None
        if swept is None:
            raise
        timeline.switch("results")
        return swept
    timeline.switch("unaccounted")  # the interpreter described, the windows planned: milliseconds
    python = interpreter.describe()  # after the pipeline's imports: an extension module may re-enable the GIL
    probes = [SiteProbe(session, site, python["gil_enabled"]) for site in session.sites()]
    emit("plan", total=sum(p.planned_windows() for p in probes))
    site_results = [p.run() for p in probes]
    timeline.switch("results")
    calibration = session.calibration_summary()
    cores = session.cores
    busy = [lv.other_cpu_cores for sr in site_results for lv in sr.pipeline + sr.isolated]
    if busy and max(busy) > 0.25 * cores:
        session.warnings.append(f"other processes used up to {max(busy):.2f} cores while measuring")
    s = session.s
    run_obj = ProbeRun(
        target=s.target,
        tensorflow_version=tf.__version__,
        python_version=platform.python_version(),
        cores=cores,
        machine=platform.platform(),
        calibration=calibration,
        sites=site_results,
        warnings=session.warnings,
        duration_seconds=None,
        options={
            "levels": session.levels,
            "seconds": s.seconds,
            "repeat": s.min_rounds,
            "max_rounds": s.max_rounds,
            "elements": s.elements,
            "args": session.kwargs and {k: repr(v) for k, v in session.kwargs.items()},
            "first_build_seconds": round(session.first_build_seconds, 3),
            "child_seconds": round(time.perf_counter() - started, 2),
            "memory_budget": session.memory_budget,
            "memory_budget_source": session.memory_budget_source,
        },
        interpreter=python,
    )
    return results.to_dict(run_obj)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    config_path, fd = argv[0], int(argv[1])
    emit = Emitter(fd)
    timeline = Timeline(emit.start)
    from tfpar_doctor.probe.hang import arm

    arm()  # the supervisor asks for every thread's stack before killing a stalled child (naming a hang)
    with open(config_path, encoding="utf-8") as fh:
        cfg = json.load(fh)
    try:
        run_dict = run(cfg, emit, timeline)
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
    emit("done", run=run_dict, timeline=timeline.record())
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: TensorFlow's thread pools can make a normal exit slow or hang.
    os._exit(code)
