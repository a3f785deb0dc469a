"""`probe --verify-rewrite`: the process-pool rewrite applied to a copy of the user's tree, its pipeline
measured next to the pipeline as written.

The probe's own pool timing runs the user's function alone; the pipeline the advice tells the user to write
also pays pickling, the py_function hop and tf.data's scheduling. Here both pipelines are built from the same
target, the rewritten one with the rewrite's edits exactly as the advice hands them over (its
num_parallel_calls included). Each pipeline lives in its own child (a TensorFlow start and the pool's
workers each: 10+ s, so only on request); the children take turns, one window each (original, rewrite,
original, rewrite, ...), so a machine that gets busier part way through slows both. The original's child is
started once per run and shared by every site. Each window also reads the CPU other processes took
(measure.Meter, the pool's workers counted as ours): a busy machine, or repeats on both sides of
REWRITE_BEATS, are recorded in `unreliable` and the advice then says the rewrite was not measured reliably
instead of deciding either way. Anything that stops the rewrite (it does not apply, does not import, raises,
hangs) is recorded in the site's `rewrite.error`, never raised.

Run as `python -m tfpar_doctor.probe.rewrite_measure CFG.json` it is the measuring child: it builds the
pipeline, then for every `window` line on its stdin prints one line `MARK{"elements_per_second": ...,
"busiest_other": ...}` (or `MARK{"error": ...}` and exits).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from tfpar_doctor.model import ProbeRun, SiteResult, Verdict
from tfpar_doctor.probe.thresholds import BUSY_HIGH, REWRITE_BEATS

# The verdicts the pool advice is given for: gil-bound always (advice/advisor.py), partial when the linter
# found the Python body.
POOL_VERDICTS = (Verdict.GIL_BOUND, Verdict.PARTIAL)
POOL_KINDS = ("py_function", "numpy_function")
# What a copy of the user's tree leaves out: the rewrite needs the sources, not the history or caches.
_COPY_IGNORE = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", ".venv", "venv", "node_modules")
# Windows per pipeline and site, taken in turns: three give a median and a spread (min..max) that says
# whether the two pipelines are told apart at REWRITE_BEATS.
REPEATS = 3
# Run before each window is counted (after the first element: the pool's start-up, tracing, file opening).
WARMUP_SECONDS = 0.5
# Other processes' CPU (and steal) as a share of the cores in any window above which the comparison is not
# trusted: the rewrite computes on every core, the pipeline as written on about one, so load slows them
# unevenly.
BUSY_SHARE = BUSY_HIGH
# The prefix of the child's result lines: the user's pipeline may print to stdout too.
MARK = "@@tfpar-rewrite@@"


def verify_pool_rewrites(run: ProbeRun, target: str, args: list[str], seconds: float,
                         timeout: float) -> ProbeRun:
    """`run` with a `rewrite` record on every site the pool advice is given for; the pipeline as written is
    measured in one child shared by all of them."""
    if not any(wants_pool(r) for r in run.sites):
        return run
    with original_pipeline(target, args, seconds, timeout) as original:
        sites = [replace(r, rewrite=measure_site(r, target, args, seconds, timeout, original, run.cores))
                 if wants_pool(r) else r for r in run.sites]
    return replace(run, sites=sites)


def wants_pool(result: SiteResult) -> bool:
    return result.verdict in POOL_VERDICTS and result.site.python_kind in POOL_KINDS


@contextlib.contextmanager
def original_pipeline(target: str, args: list[str], seconds: float, timeout: float) -> Iterator[Pipeline]:
    """The pipeline as written, its child started on the first window asked of it and killed at the end."""
    pipeline = Pipeline(_resolved(target), args, seconds, timeout)
    try:
        yield pipeline
    finally:
        pipeline.close()


def measure_site(result: SiteResult, target: str, args: list[str], seconds: float, timeout: float,
                 original: Pipeline | None = None, cores: int | None = None) -> dict[str, Any]:
    """The site's `rewrite` record: both pipelines' medians, the speed-up and its range over the repeats,
    the busiest other load, and why the comparison is not reliable (None when it is)."""
    record: dict[str, Any] = {"kind": "multiprocessing", "elements_per_second": None,
                              "original_elements_per_second": None, "speedup": None, "error": None,
                              "repeats": 0, "speedup_low": None, "speedup_high": None,
                              "other_cpu_cores": None, "unreliable": None}
    module_part, _, attr = target.rpartition(":")
    if not module_part.endswith(".py"):
        record["error"] = "only a file target (path/to/file.py:function) can be copied and rewritten"
        return record
    with contextlib.ExitStack() as stack:
        if original is None:
            original = stack.enter_context(original_pipeline(target, args, seconds, timeout))
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tfpar-rewrite-")))
        copied, error = _rewritten_copy(Path(module_part).resolve(), Path(result.site.path).resolve(),
                                        result.site.function, result.site.line, tmp)
        if error or copied is None:
            record["error"] = error
            return record
        rewritten = Pipeline(f"{copied}:{attr}", args, seconds, timeout)
        stack.callback(rewritten.close)
        record.update(_take_turns(original, rewritten, cores or os.cpu_count() or 1))
    return record


def _resolved(target: str) -> str:
    module_part, _, attr = target.rpartition(":")
    return f"{Path(module_part).resolve()}:{attr}" if module_part.endswith(".py") else target


def _take_turns(original: Pipeline, rewritten: Pipeline, cores: int) -> dict[str, Any]:
    """REPEATS windows of each pipeline, alternating. The original's windows of earlier sites of the run
    count too: one child, one pipeline, measured once per run and shared."""
    for _ in range(REPEATS):
        for pipeline in (original, rewritten):
            reply = pipeline.window()
            if "error" in reply:
                which = "the pipeline as written" if pipeline is original else "the rewritten pipeline"
                return {"error": f"{which}: {reply['error']}"}
    return comparison(original.rates, rewritten.rates, max(original.busiest, rewritten.busiest), cores)


def comparison(old_rates: list[float], new_rates: list[float], busiest_other: float,
               cores: int) -> dict[str, Any]:
    """Medians, speed-up and its range (slowest rewrite window over fastest original one, and the reverse),
    and why the comparison cannot decide: a busy machine, or a range on both sides of REWRITE_BEATS."""
    old, new = statistics.median(old_rates), statistics.median(new_rates)
    record: dict[str, Any] = {"elements_per_second": new, "original_elements_per_second": old,
                              "speedup": new / old if old > 0 else None, "repeats": len(new_rates),
                              "speedup_low": None, "speedup_high": None,
                              "other_cpu_cores": busiest_other, "unreliable": None}
    if min(old_rates) > 0:
        record["speedup_low"] = min(new_rates) / max(old_rates)
        record["speedup_high"] = max(new_rates) / min(old_rates)
    reasons = []
    if busiest_other > BUSY_SHARE * cores:
        reasons.append(f"other processes took up to {busiest_other:.1f} of the {cores} cores while measuring")
    low, high = record["speedup_low"], record["speedup_high"]
    if low is not None and high is not None and low < REWRITE_BEATS <= high:
        reasons.append(f"the repeats gave {low:.2f}-{high:.2f}x, on both sides of {REWRITE_BEATS}x")
    if record["speedup"] is None:
        reasons.append("the pipeline as written read no elements")
    record["unreliable"] = "; ".join(reasons) or None
    return record


def _rewritten_copy(target_file: Path, site_file: Path, function: str, line: int,
                    tmp: Path) -> tuple[Path | None, str | None]:
    """The target file inside a copy of the tree that holds it and the site, with the site's rewrite
    applied; or the reason there is none."""
    from tfpar_doctor.advice.pool_apply import apply_rewrites, rewrites_for

    root = Path(os.path.commonpath([target_file.parent, site_file.parent]))
    tree = tmp / "tree"
    try:
        shutil.copytree(root, tree, ignore=_COPY_IGNORE)
        site_copy = tree / site_file.relative_to(root)
        # The probe names the mapped function (a lambda for `lambda x: tf.py_function(f, ...)`): match the
        # rewrite by the function it pools or by the map statement it edits at the site's line.
        rewrites = [r for r in rewrites_for(site_copy)
                    if r.function == function.rsplit(".", 1)[-1] or any(e.line == line for e in r.edits)]
        if not rewrites:
            return None, f"no process-pool rewrite applies to `{function}` in {site_file.name}"
        apply_rewrites(rewrites, site_copy)  # as handed over: the map's parallelism edit too
    except (OSError, ValueError, SyntaxError, KeyError) as exc:
        return None, f"the rewrite could not be applied: {type(exc).__name__}: {exc}"
    return tree / target_file.relative_to(root), None


class Pipeline:
    """One pipeline in its own measuring child, kept alive between windows so two pipelines can take turns
    (the waiting child blocks on its stdin: no CPU). Started on the first window; an error ends it and is
    returned for every later window."""

    def __init__(self, target: str, args: list[str], seconds: float, timeout: float) -> None:
        self.target, self.args, self.seconds, self.timeout = target, args, seconds, timeout
        self.rates: list[float] = []  # every window's elements per second, in order
        self.busiest = 0.0  # the most CPU other processes took in any of its windows, in cores
        self.error: str | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._stderr: IO[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()

    def window(self) -> dict[str, Any]:
        """One window's reply: {"elements_per_second", "busiest_other"} or {"error"}."""
        if self.error is None:
            reply = self._ask()
            if "error" not in reply:
                self.rates.append(float(reply["elements_per_second"]))
                self.busiest = max(self.busiest, float(reply.get("busiest_other") or 0.0))
                return reply
            self.error = str(reply["error"])
            self.close()
        return {"error": self.error}

    def _ask(self) -> dict[str, Any]:
        proc = self._proc or self._start()
        try:
            assert proc.stdin is not None
            proc.stdin.write("window\n")
            proc.stdin.flush()
        except OSError:
            pass  # the child is gone: its stderr says why (below)
        try:
            line = self._lines.get(timeout=self.timeout)
        except queue.Empty:
            return {"error": f"no result within {self.timeout:.0f} s (the child and its workers were killed)"}
        if line is None:
            return {"error": f"the measuring child failed: {self._last_error_line()}"}
        try:
            return dict(json.loads(line))
        except json.JSONDecodeError:
            return {"error": f"the measuring child printed an unreadable result: {line[:200]}"}

    def _start(self) -> subprocess.Popen[str]:
        cfg = json.dumps({"target": self.target, "args": self.args, "seconds": self.seconds})
        cwd = str(Path(self.target.rpartition(":")[0]).parent)
        # stderr to a file: TensorFlow logs a lot, and an undrained pipe would stop the child. It lives as
        # long as the child and is closed in close().
        self._stderr = tempfile.TemporaryFile(mode="w+", prefix="tfpar-rewrite-err-")  # noqa: SIM115
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "tfpar_doctor.probe.rewrite_measure", cfg], cwd=cwd, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._stderr, text=True, start_new_session=True)
        threading.Thread(target=self._read, args=(self._proc,), daemon=True).start()
        return self._proc

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(MARK):
                self._lines.put(line[len(MARK):])
        self._lines.put(None)  # the child exited

    def _last_error_line(self) -> str:
        if self._proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=5)
        text = ""
        if self._stderr is not None:
            self._stderr.seek(0)
            text = self._stderr.read()
        last = text.strip().splitlines()[-1:]
        code = self._proc.returncode if self._proc is not None else None
        return last[0] if last else f"exit code {code}"

    def close(self) -> None:
        """Kill the child's whole process group (the pool's workers with it)."""
        if self._proc is not None:
            _kill_group(self._proc.pid)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=10)
            for stream in (self._proc.stdin, self._proc.stdout):
                with contextlib.suppress(OSError):
                    if stream is not None:
                        stream.close()
            self._proc = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


# ------------------------------------------------------------------------------------------ the child


def serve(target: str, args: list[str], seconds: float, commands: IO[str]) -> None:
    """Build the pipeline once, then measure one window (a fresh iterator, warm-up excluded) per command."""
    from tfpar_doctor.probe.measure import EmptyDataset, Meter, UserError
    from tfpar_doctor.probe.target import load_target, parse_args

    dataset = load_target(target)(**parse_args(args))
    meter = Meter(with_children=True)  # the pool's workers are this pipeline's CPU, not other load
    for command in commands:
        if command.strip() != "window":
            return
        meter.busiest_other = 0.0
        try:
            window = meter.window(dataset, seconds, None, WARMUP_SECONDS)
        except EmptyDataset:
            _reply({"error": "the dataset is empty"})
            return
        except UserError as exc:
            _reply({"error": _one_line(exc.original)})
            return
        _reply({"elements_per_second": window.rate, "busiest_other": meter.busiest_other})


def _reply(message: dict[str, Any]) -> None:
    print(MARK + json.dumps(message), flush=True)


def _one_line(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
    return str(message).strip()[:500]


def main(argv: list[str] | None = None) -> int:
    cfg = json.loads((argv if argv is not None else sys.argv[1:])[0])
    try:
        serve(cfg["target"], cfg["args"], cfg["seconds"], sys.stdin)
    except Exception as exc:  # noqa: BLE001 - any failure of the user's pipeline is a recorded error
        _reply({"error": _one_line(exc)})
    sys.stdout.flush()
    os._exit(0)  # skip interpreter shutdown: the pool's exit handlers can wait on TensorFlow's threads


if __name__ == "__main__":
    raise SystemExit(main())
