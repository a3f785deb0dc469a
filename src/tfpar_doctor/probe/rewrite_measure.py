"""`probe --verify-rewrite`: the process-pool rewrite applied to a copy of the user's tree, its pipeline
measured next to the pipeline as written, both at the parallelism the user wrote.

The probe's own pool timing runs the user's function alone; the pipeline the advice tells the user to write
also pays pickling, the py_function hop and tf.data's scheduling. Here both pipelines are built from the same
target and read for the same window, each in a fresh child (a TensorFlow start and the pool's workers
each: 10+ s, so only on request). Anything that stops the rewrite (it does not apply, does not import,
raises, hangs) is recorded in the site's `rewrite.error`, never raised.

Run as `python -m tfpar_doctor.probe.rewrite_measure CFG.json` it is the measuring child: it prints one JSON
line, {"elements_per_second": ...} or {"error": ...}.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfpar_doctor.model import ProbeRun, SiteResult, Verdict

if TYPE_CHECKING:
    from tfpar_doctor.advice.multiprocess import PoolRewrite

# The verdicts the pool advice is given for: gil-bound always (advice/advisor.py), partial when the linter
# found the Python body.
POOL_VERDICTS = (Verdict.GIL_BOUND, Verdict.PARTIAL)
POOL_KINDS = ("py_function", "numpy_function")
# What a copy of the user's tree leaves out: the rewrite needs the sources, not the history or caches.
_COPY_IGNORE = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", ".venv", "venv", "node_modules")


def verify_pool_rewrites(run: ProbeRun, target: str, args: list[str], seconds: float,
                         timeout: float) -> ProbeRun:
    """`run` with a `rewrite` record on every site the pool advice is given for."""
    sites = [replace(r, rewrite=measure_site(r, target, args, seconds, timeout)) if wants_pool(r) else r
             for r in run.sites]
    return replace(run, sites=sites)


def wants_pool(result: SiteResult) -> bool:
    return result.verdict in POOL_VERDICTS and result.site.python_kind in POOL_KINDS


def measure_site(result: SiteResult, target: str, args: list[str], seconds: float,
                 timeout: float) -> dict[str, Any]:
    record: dict[str, Any] = {"kind": "multiprocessing", "elements_per_second": None,
                              "original_elements_per_second": None, "speedup": None, "error": None}
    module_part, _, attr = target.rpartition(":")
    if not module_part.endswith(".py"):
        record["error"] = "only a file target (path/to/file.py:function) can be copied and rewritten"
        return record
    with tempfile.TemporaryDirectory(prefix="tfpar-rewrite-") as tmp:
        copied, error = _rewritten_copy(Path(module_part).resolve(), Path(result.site.path).resolve(),
                                        result.site.function, result.site.line, Path(tmp))
        if error or copied is None:
            record["error"] = error
            return record
        original = _measure(f"{Path(module_part).resolve()}:{attr}", args, seconds, timeout)
        rewritten = _measure(f"{copied}:{attr}", args, seconds, timeout)
    if "error" in original:
        record["error"] = f"the pipeline as written: {original['error']}"
    elif "error" in rewritten:
        record["error"] = f"the rewritten pipeline: {rewritten['error']}"
    record["original_elements_per_second"] = original.get("elements_per_second")
    record["elements_per_second"] = rewritten.get("elements_per_second")
    if record["error"] is None and record["original_elements_per_second"]:
        record["speedup"] = record["elements_per_second"] / record["original_elements_per_second"]
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
        apply_rewrites([at_users_parallelism(r) for r in rewrites], site_copy)
    except (OSError, ValueError, SyntaxError, KeyError) as exc:
        return None, f"the rewrite could not be applied: {type(exc).__name__}: {exc}"
    return tree / target_file.relative_to(root), None


def at_users_parallelism(rewrite: PoolRewrite) -> PoolRewrite:
    """The rewrite with every map's parallelism as the user wrote it: only the call to the pool changes, so
    the two pipelines differ by the pool alone (the advice's own `2 * WORKERS` setting is not measured)."""
    name = re.compile(rf"\b{re.escape(rewrite.function)}\b")
    edits = []
    for edit in rewrite.edits:
        if rewrite.pooled not in edit.after:
            continue  # a map call's num_parallel_calls edit
        if "WORKERS" in edit.after:  # the wrapper sits in the map call itself (a lambda): rename only
            edit = replace(edit, after=name.sub(rewrite.pooled, edit.before))
        edits.append(edit)
    return replace(rewrite, edits=tuple(edits))


def _measure(target: str, args: list[str], seconds: float, timeout: float) -> dict[str, Any]:
    """One pipeline's throughput, read in a fresh child; its whole process group is killed at the end."""
    cfg = json.dumps({"target": target, "args": args, "seconds": seconds})
    cwd = str(Path(target.rpartition(":")[0]).parent)
    proc = subprocess.Popen([sys.executable, "-m", "tfpar_doctor.probe.rewrite_measure", cfg], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid)
        proc.communicate()
        return {"error": f"no result within {timeout:.0f} s (the child and its workers were killed)"}
    _kill_group(proc.pid)  # pool workers the pipeline left behind
    for line in reversed(out.splitlines()):
        if line.startswith("{"):
            try:
                return dict(json.loads(line))
            except json.JSONDecodeError:
                break
    last = err.strip().splitlines()[-1:] or [f"exit code {proc.returncode}"]
    return {"error": f"the measuring child failed: {last[0]}"}


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


# ------------------------------------------------------------------------------------------ the child


def read_rate(target: str, args: list[str], seconds: float) -> float:
    """Elements (or batches) per second of the dataset `target` returns, over one window after the first."""
    from tfpar_doctor.probe.target import load_target, parse_args

    dataset = load_target(target)(**parse_args(args))
    iterator = iter(dataset)
    next(iterator)  # building, tracing and the pool's start-up are not throughput
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    for _ in iterator:
        count += 1
        if time.perf_counter() >= deadline:
            break
    return count / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    cfg = json.loads((argv if argv is not None else sys.argv[1:])[0])
    try:
        rate = read_rate(cfg["target"], cfg["args"], cfg["seconds"])
        print(json.dumps({"elements_per_second": rate}), flush=True)
    except Exception as exc:  # noqa: BLE001 - any failure of the user's pipeline is a recorded error
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        print(json.dumps({"error": str(message)[:500]}), flush=True)
    sys.stdout.flush()
    os._exit(0)  # skip interpreter shutdown: the pool's exit handlers can wait on TensorFlow's threads


if __name__ == "__main__":
    raise SystemExit(main())
