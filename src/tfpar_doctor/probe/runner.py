"""Parent side of the probe: start the child, stream its events, enforce the limits, clean up.

The child (`python -m tfpar_doctor.probe.child`) runs in its own session (process group), so a hang, a
timeout, a memory overrun or Ctrl-C kills it together with everything it started (spawned pool workers,
processes started by the user's code). Its stdout/stderr go to a temporary log that is shown, filtered, only
when it fails. The memory limit is enforced on the resident memory of the child's process tree, polled every
0.2 s (RLIMIT_AS cannot be used: TensorFlow reserves gigabytes of address space it never touches).

This module imports nothing heavy: TensorFlow is imported only in the child; psutil lazily, if present.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tfpar_doctor.model import ProbeRun
from tfpar_doctor.probe.phases import RunClock
from tfpar_doctor.probe.thresholds import MAX_ROUNDS, MIN_ROUNDS, WINDOW_SECONDS

INSTALL_HINT = "pip install 'tfpar-doctor[probe]'"

# exit codes (also documented in tfpar_doctor.probe.cli)
EXIT_OK = 0
EXIT_USAGE = 2  # bad options, bad target, missing TensorFlow/probe extra
EXIT_PIPELINE = 3  # the user's pipeline raised, was empty, hung (timeout), ran out of memory or crashed
EXIT_INTERNAL = 4  # a bug in the probe


@dataclass
class ProbeOptions:
    target: str
    args: list[str] = field(default_factory=list)
    levels: list[str] | None = None  # None: 1, 2, 4, ..., cores, autotune
    seconds: float = WINDOW_SECONDS
    repeat: int = MIN_ROUNDS  # rounds at least (every level once per round)
    elements: int | None = None
    site: str | None = None
    timeout: float = 600.0
    stall_timeout: float = 120.0
    memory_limit: int | None = None  # bytes of resident memory for the child's process tree
    cores: int | None = None
    multiprocessing: bool = True  # also time the Python function in a process pool
    extra_rounds: int = 2  # rounds added when the calibration trusted no round
    max_rounds: int = MAX_ROUNDS  # rounds at most, added while a round sits near an edge or they disagree
    memory_budget: int | None = None  # bytes; None: the pipeline's ram_budget, else half the available RAM
    verify_rewrite: bool = False  # also build and measure the pipelines the rewrites hand over (slow)


class ProbeError(Exception):
    """A failure to report to the user: kind, message, the user's traceback, the exit code."""

    def __init__(self, kind: str, message: str, traceback: str | None = None, log: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.traceback = traceback
        self.log = log

    @property
    def exit_code(self) -> int:
        if self.kind in ("usage", "target", "not-dataset", "tf-missing"):
            return EXIT_USAGE
        if self.kind == "internal":
            return EXIT_INTERNAL
        return EXIT_PIPELINE


def default_levels(cores: int) -> list[str]:
    levels = []
    n = 1
    while n < cores:
        levels.append(str(n))
        n *= 2
    levels.append(str(cores))
    return list(dict.fromkeys(levels)) + ["autotune"]


def parse_levels(text: str, cores: int) -> list[str]:
    """`1,2,4,auto` -> ["1", "2", "4", "autotune"]; also `cores`, `private:16`, `unbounded`."""
    out: list[str] = []
    for raw in text.split(","):
        item = raw.strip().lower()
        if not item:
            continue
        if item in ("auto", "autotune", "-1"):
            out.append("autotune")
        elif item == "cores":
            out.append(str(cores))
        elif item == "unbounded":
            out.append("unbounded")
        elif (
            item.startswith("private:") and item.split(":", 1)[1].isdigit() and int(item.split(":", 1)[1]) > 0
        ):
            out.append(item)
        elif item.isdigit() and int(item) > 0:
            out.append(str(int(item)))
        else:
            raise ProbeError(
                "usage", f"--levels: {raw.strip()!r} is not a level (use positive integers, 'auto', 'cores')"
            )
    if not out:
        raise ProbeError("usage", "--levels: no level given")
    if not any(x.isdigit() for x in out):
        out.insert(0, "1")
    if "1" not in out:
        out.insert(0, "1")  # speed-ups are relative to npc=1
    return list(dict.fromkeys(out))


LAST_CHILD_PID: int | None = None  # for tests: the child of the last run (its process group id too)


def check_target(target: str) -> None:
    """Errors that need no child process: the target's shape, and a file that does not exist."""
    module_part, sep, attr = target.rpartition(":")
    if not sep or not module_part or not attr:
        raise ProbeError(
            "target",
            f"target {target!r} must look like path/to/file.py:make_dataset or package.module:make_dataset",
        )
    if module_part.endswith(".py") or "/" in module_part or os.sep in module_part:
        if not os.path.exists(module_part):
            raise ProbeError("target", f"no such file: {module_part}")
        if not os.path.isfile(module_part):
            raise ProbeError("target", f"not a file: {module_part}")
    else:
        top = module_part.split(".")[0]
        if not top.isidentifier():
            raise ProbeError("target", f"{module_part!r} is neither a Python file nor a module name")
        if (
            top not in sys.modules
            and not os.path.exists(os.path.join(os.getcwd(), top))
            and not os.path.exists(os.path.join(os.getcwd(), top + ".py"))
        ) and importlib.util.find_spec(top) is None:
            raise ProbeError(
                "target",
                f"no module named {module_part!r} (run from the project directory, or give a file path)",
            )


def check_extra() -> None:
    """Fail early, without importing anything heavy, when the probe extra is not installed."""
    missing = [
        name
        for name in ("tensorflow", "psutil", "gilknocker", "numpy")
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise ProbeError(
            "tf-missing",
            f"the probe needs {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} not "
            "installed; "
            f"install the probe extra: {INSTALL_HINT}",
        )


_NOISE = (
    "I0000 ",
    "WARNING: All log messages before absl",
    "oneDNN custom operations",
    "To enable the following",
    "rebuild TensorFlow",
    "cpu_feature_guard",
    "This TensorFlow binary is optimized",
)


def filtered_log(text: str, limit: int = 40) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip() and not any(n in ln for n in _NOISE)]
    return "\n".join(lines[-limit:])


def _kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """Kill the child's whole process group (start_new_session made its pid the group id)."""
    pgid = proc.pid
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=1.0)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)  # stragglers: pool workers, processes the user's code started
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)
    deadline = time.monotonic() + 3.0
    while group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.02)


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, from /proc ([] where /proc is missing)."""
    members = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            members.append(int(entry))
    return members


def _tree_rss(pid: int) -> int | None:
    try:
        import psutil
    except ImportError:
        return None
    try:
        root = psutil.Process(pid)
        procs = [root] + root.children(recursive=True)
    except psutil.Error:
        return None
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def run_probe(options: ProbeOptions, on_event: Callable[[dict[str, Any]], None] | None = None) -> ProbeRun:
    """Run the probe in a child process and return its results; raises ProbeError."""
    from tfpar_doctor.probe import results

    clock = RunClock()  # where the time goes: the start, the child's phases, the end (probe/phases.py)
    check_target(options.target)
    check_extra()
    cores = options.cores or os.cpu_count() or 1
    levels = options.levels or default_levels(cores)
    cfg = {
        "target": options.target,
        "args": options.args,
        "levels": levels,
        "seconds": options.seconds,
        "repeat": options.repeat,
        "elements": options.elements,
        "site": options.site,
        "cores": cores,
        "multiprocessing": options.multiprocessing,
        "extra_rounds": options.extra_rounds,
        "max_rounds": options.max_rounds,
        "memory_budget": options.memory_budget,
        "verify_rewrite": options.verify_rewrite,
    }
    with tempfile.TemporaryDirectory(prefix="tfpar-probe-") as tmp:
        cfg_path = os.path.join(tmp, "config.json")
        with open(cfg_path, "w", encoding="utf-8") as fh:
            json.dump(cfg, fh)
        log_path = os.path.join(tmp, "child.log")
        env = dict(os.environ)
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        env["PYTHONUNBUFFERED"] = "1"
        read_fd, write_fd = os.pipe()
        with open(log_path, "wb") as log:
            try:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "tfpar_doctor.probe.child", cfg_path, str(write_fd)],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    pass_fds=(write_fd,),
                    start_new_session=True,
                    env=env,
                    cwd=os.getcwd(),
                )
            finally:
                os.close(write_fd)
        clock.launch()
        global LAST_CHILD_PID
        LAST_CHILD_PID = proc.pid
        try:
            run = _supervise(proc, read_fd, log_path, options, on_event, results, clock)
        finally:
            os.close(read_fd)
            _kill_tree(proc)
    clock.mark("shutdown")
    if options.verify_rewrite:  # the process-pool rewrite's pipeline, measured next to the original
        from tfpar_doctor.probe.rewrite_measure import verify_pool_rewrites

        run = verify_pool_rewrites(run, options.target, list(options.args), options.seconds,
                                   options.stall_timeout)
        clock.mark("rewrite verification")
    run.phases, total = clock.phases()
    run.duration_seconds = round(total, 2)
    return run


def _supervise(
    proc: subprocess.Popen[bytes],
    read_fd: int,
    log_path: str,
    options: ProbeOptions,
    on_event: Callable[[dict[str, Any]], None] | None,
    results: Any,
    clock: RunClock,
) -> ProbeRun:
    buffer = b""
    last_event = time.monotonic()
    last_stage = "starting"
    importing_tf = True  # the stall clock starts once TensorFlow is imported (slow on a busy machine)
    last_mem_check = 0.0
    eof = False

    def log_text() -> str:
        try:
            with open(log_path, encoding="utf-8", errors="replace") as fh:
                return filtered_log(fh.read())
        except OSError:
            return ""

    while True:
        now = time.monotonic()
        if now - clock.started > options.timeout:
            _kill_tree(proc)
            raise ProbeError(
                "timeout",
                f"the probe did not finish within --timeout {options.timeout:g} s (last step: {last_stage}); "
                "the child process and everything it started were killed",
                log=log_text(),
            )
        if not importing_tf and now - last_event > options.stall_timeout:
            from tfpar_doctor.probe.hang import name_hang

            named = name_hang(proc.pid, log_path)  # the child's stacks: is it the TFP201 hang?
            _kill_tree(proc)
            raise ProbeError(
                "hang",
                f"the pipeline made no progress for {options.stall_timeout:g} s (last step: {last_stage}); "
                "it looks hung: the child process and everything it started were killed"
                + (f". {named}" if named else ""),
                log=log_text(),
            )
        if options.memory_limit and now - last_mem_check > 0.2:
            last_mem_check = now
            rss = _tree_rss(proc.pid)
            if rss is not None and rss > options.memory_limit:
                _kill_tree(proc)
                raise ProbeError(
                    "memory",
                    f"the pipeline used {rss / 2**20:.0f} MiB, over --memory-limit "
                    f"{options.memory_limit / 2**20:.0f} MiB "
                    f"(last step: {last_stage}); the child process was killed",
                    log=log_text(),
                )
        if eof:
            code = proc.wait()
            text = log_text()
            if code < 0 and -code == signal.SIGKILL:
                reason = "was killed (SIGKILL: out of memory?)"
            elif code < 0:
                reason = f"died from signal {-code}"
            else:
                reason = f"exited with status {code}"
            raise ProbeError("crash", f"the probe's child process {reason} during: {last_stage}", log=text)
        ready, _, _ = select.select([read_fd], [], [], 0.1)
        if not ready:
            if proc.poll() is not None:
                eof = True  # the child is gone; a process it started may still hold the pipe open
            continue
        chunk = os.read(read_fd, 65536)
        received = time.monotonic()
        if not chunk:
            eof = True
            continue
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            last_event = time.monotonic()
            clock.received(event, received)
            kind = event.get("event")
            if kind == "stage":
                last_stage = event.get("text", last_stage)
                importing_tf = last_stage == "importing TensorFlow"
            elif kind == "tick":
                last_stage = event.get("text", last_stage)
            if kind == "error":
                err_kind = event.get("kind", "internal")
                message = event.get("message", "unknown error")
                if err_kind == "tf-missing":
                    message = f"{message}; install the probe extra: {INSTALL_HINT}"
                raise ProbeError(err_kind, message, event.get("traceback"), log=log_text())
            if kind == "done":
                run = results.from_dict(event["run"], "<probe child>")
                clock.child = event.get("timeline")
                clock.mark("hand-over")
                return run
            if on_event is not None:
                on_event(event)
