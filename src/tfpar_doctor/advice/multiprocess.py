"""The multiprocessing rewrite: the user's Python function in a process pool, fed into tf.data.

Measured patterns (2 workers, 18.5 ms of pure Python per element): a pool called
from `map(numpy_function(...))` with 4 calls in flight and an unbounded pool ran 1.93x faster than the
py_function map; `from_generator` over `pool.imap` 1.87x. Workers are started with forkserver (spawn where
forkserver does not exist) because forking after TensorFlow is imported can hang, from a module that
does not import TensorFlow (each spawned worker otherwise pays ~3.6 s of TensorFlow import).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from pathlib import Path

from tfpar_doctor.advice.edits import (
    StatementEdit,
    call_at,
    replace_function_argument,
    set_keywords,
)
from tfpar_doctor.advice.model import Advice
from tfpar_doctor.advice.rewrite_measured import Outcome, pool_advice_numbers
from tfpar_doctor.advice.source import (
    FunctionSource,
    LiftedLambda,
    code_name,
    lambda_line,
    lift_lambda,
    split_function_id,
)
from tfpar_doctor.analysis.modules import names_for
from tfpar_doctor.knowledge.rewrites import ADVICE_TITLES
from tfpar_doctor.knowledge.tfdata import AUTOTUNE_NAMES
from tfpar_doctor.model import Finding, Location, SiteResult
from tfpar_doctor.rules import python_body_of
from tfpar_doctor.rules.base import PythonBody

# The map's parallelism the rewrite hands over. The pool runs WORKERS calls at once; tf.data needs to start
# that many, no more: AUTOTUNE goes up to one call per core (WORKERS is the core count). More calls only
# wait in the pool's queue, and an unbounded thread pool for them measured slower (pool_shapes fixture,
# TF 2.21, 2 cores: 789 el/s with AUTOTUNE against 473 el/s with 2 x WORKERS calls on an unbounded pool).
AUTOTUNE_VALUE = -1  # tf.data.AUTOTUNE
POOL_WRAPPERS = ("py_function", "numpy_function")


def module_name(path: str) -> str:
    try:
        module, _, _ = names_for(Path(path))
    except (OSError, ValueError):
        module = ""
    return module or Path(path).stem


def measured_text(result: SiteResult | None) -> tuple[float | None, str]:
    """The probe's process-pool measurement for this site, in words."""
    if result is None or result.multiprocessing_speedup is None:
        return None, ""
    detail = result.multiprocessing or {}
    workers = detail.get("workers")
    pool = f"a {workers}-process pool" if workers else "a process pool"
    ratio = result.multiprocessing_speedup
    # This times the user's function (or generator) alone, on its recorded inputs: not the rewritten pipeline,
    # which also pays pickling, py_function and tf.data's scheduling; the words say so.
    what = ("copies of the same generator alone in" if detail.get("kind") == "generator"
            else "the function alone (not the rewritten pipeline) in")
    parts = [f"{what} {pool} ran {ratio:.2f}x faster than serially" if ratio >= 1 else
             f"{what} {pool} ran slower than serially ({ratio:.2f}x): on the probed machine the "
             "workers did not get cores of their own (see the probe's warnings)"]
    serial, pooled = detail.get("serial_seconds_per_element"), detail.get("pool_seconds_per_element")
    if serial and pooled:
        parts.append(f"{serial * 1000:.1f} ms -> {pooled * 1000:.1f} ms per element")
    startup = detail.get("worker_startup_seconds")
    if startup is not None:
        parts.append(f"workers start in {startup:.2f} s, once")
    if detail.get("module_imports_tensorflow"):
        parts.append("its module imports TensorFlow, so each worker imported it too")
    return result.multiprocessing_speedup, "; ".join(parts)


def wrapper_location(finding: Finding) -> Location | None:
    """Where py_function/numpy_function is called (a related location of TFP101/TFP102)."""
    for related in finding.related:
        if "per element here" in related.message:
            return related.location
    return None


@dataclass(frozen=True, slots=True)
class PoolRewrite:
    """The process-pool rewrite of one py_function/numpy_function site: a new module that holds the pool (no
    TensorFlow import, so workers start fast) and the user's statements that change to call it."""

    function: str  # the user's function, as the wrapper names it
    pooled: str  # the module's replacement for it: `<function>_in_pool`
    module: str  # the new module's name: `<function>_pool`
    module_text: str  # its source, complete
    import_line: str  # what the pipeline's module adds to its imports
    edits: tuple[StatementEdit, ...]  # the wrapper call and the map call, as they should read
    eager: bool  # py_function (the body receives EagerTensors) rather than numpy_function (NumPy values)
    parallelism: str | None = None  # the num_parallel_calls the map edit sets; None: the user's stays


def wrapper_is_numpy_function(edit: StatementEdit | None, name: str) -> bool:
    """Whether the edited statement calls `numpy_function(name, ...)` (bodies get NumPy values) rather than
    `py_function(name, ...)` (bodies get EagerTensors); `name` as the edit names the function."""
    pattern = rf"numpy_function\(\s*(func\s*=\s*)?[\w.]*\b{name}\b"
    return edit is not None and re.search(pattern, edit.after) is not None


def pool_rewrite(finding: Finding, result: SiteResult | None, cores: int | None,
                 map_keywords: dict[str, str] | None = None) -> PoolRewrite | None:
    """The rewrite for a TFP101/TFP102 body, or None when no worker process can call it (a method, or a
    lambda that uses local names: `unpoolable_reason` says why). `map_keywords` replaces the map edit's
    keywords (bench/pool_rewrite.py measures other settings against the one handed over)."""
    if finding.function is None or unpoolable_reason(finding.function) is not None:
        return None
    fpath, qualified = split_function_id(finding.function)
    lifted = lift_lambda(finding.function)
    name = lifted.name if lifted is not None else qualified.rsplit(".", 1)[-1]
    pooled = f"{name.lstrip('_')}_in_pool"
    wrapper = wrapper_location(finding)
    line = lambda_line(finding.function) if lifted is not None else None
    wrapper_edit = replace_function_argument(wrapper, name, pooled, line) if wrapper is not None else None
    eager = not wrapper_is_numpy_function(wrapper_edit, pooled)
    workers = (result.multiprocessing or {}).get("workers") if result and result.multiprocessing else None
    module_text = _pool_module(module_name(fpath), name, pooled, eager, workers, cores, lifted)
    site = finding.call_site or finding.location
    keywords = map_keywords if map_keywords is not None else _map_keywords(site, workers)
    map_edit = set_keywords(site, keywords) if keywords else None
    if wrapper_edit is not None and map_edit is not None and wrapper_edit.line == map_edit.line \
            and wrapper_edit.path == map_edit.path:
        # One statement (`ds.map(lambda x: tf.py_function(f, ...), ...)`): one edit that makes both changes.
        both = _renamed_in_wrapper(map_edit.after, name, pooled, lifted is not None)
        map_edit = replace(map_edit, after=both) if both else map_edit
        wrapper_edit = None
    edits = tuple(e for e in (wrapper_edit, map_edit) if e is not None)
    module = f"{name.lstrip('_')}_pool"
    parallelism = keywords.get("num_parallel_calls") if map_edit is not None else None
    return PoolRewrite(name, pooled, module, module_text, f"from {module} import {pooled}", edits, eager,
                       parallelism)


def _map_keywords(site: Location, workers: object) -> dict[str, str]:
    """The map keywords the rewrite sets: none when the user's num_parallel_calls already lets every worker
    have a call (AUTOTUNE, or a number at least the probe's worker count); otherwise AUTOTUNE."""
    found = call_at(site, "map")
    if found is None:
        return {}
    _, call = found
    written = next((k.value for k in call.keywords if k.arg == "num_parallel_calls"),
                   call.args[1] if len(call.args) > 1 else None)
    if written is not None and _lets_workers_run(written, workers):
        return {}
    return {"num_parallel_calls": "tf.data.AUTOTUNE"}


def _lets_workers_run(written: ast.expr, workers: object) -> bool:
    if isinstance(written, (ast.Name, ast.Attribute)):
        return ast.unparse(written).rsplit(".", 1)[-1] in {n.rsplit(".", 1)[-1] for n in AUTOTUNE_NAMES}
    try:
        value = ast.literal_eval(written)
    except ValueError:
        return False
    if not isinstance(value, int):
        return False
    return value == AUTOTUNE_VALUE or (isinstance(workers, int) and value >= workers)


def unpoolable_reason(function_id: str) -> str | None:
    """Why a worker process cannot call the function as written, or None when it can (a module-level def,
    or a lambda that uses only its parameters and module-level names: the pool module holds it as a def)."""
    _, qualified = split_function_id(function_id)
    if lambda_line(function_id) is not None or qualified.rsplit(".", 1)[-1] == "<lambda>":
        lifted = lift_lambda(function_id)
        if lifted is None:
            return ("a lambda has no name a worker process can import, and it may use local names of the "
                    "function that built the pipeline, which a worker never sees")
        if lifted.local_names:
            names = ", ".join(f"`{n}`" for n in lifted.local_names)
            return (f"the lambda uses {names}, local to the function that built the pipeline (not module "
                    "level), which a worker process never sees")
        if lifted.tensorflow:
            return "the lambda calls TensorFlow, which belongs in the pipeline, not in a worker process"
        return None
    if "." in qualified:
        return ("it is a method: a worker process gets no `self` unless the whole instance is pickled "
                "into every call, and many instances (models, open files, locks, TensorFlow objects) do "
                "not pickle at all")
    return None


def _renamed_in_wrapper(statement: str, old: str, new: str, is_lambda: bool = False) -> str | None:
    """`statement` with the function argument of its py_function/numpy_function call renamed (with
    `is_lambda`, its lambda replaced by the name `new`)."""
    try:
        tree = ast.parse(statement)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not ast.unparse(node.func).endswith(POOL_WRAPPERS):
            continue
        for keyword in (k for k in node.keywords if k.arg == "func"):
            if _is_wrapped(keyword.value, old, is_lambda):
                keyword.value = ast.Name(id=new, ctx=ast.Load())
                return ast.unparse(tree)
        if node.args and _is_wrapped(node.args[0], old, is_lambda):
            node.args[0] = ast.Name(id=new, ctx=ast.Load())
            return ast.unparse(tree)
    return None


def _is_wrapped(arg: ast.expr, old: str, is_lambda: bool) -> bool:
    return isinstance(arg, ast.Lambda) if is_lambda else ast.unparse(arg).rsplit(".", 1)[-1] == old


def _pool_module(module: str, name: str, pooled: str, eager: bool, workers: object,
                 cores: int | None, lifted: LiftedLambda | None = None) -> str:
    callee = name
    lines = [f'"""`{name}` in a process pool. No TensorFlow import: spawned workers import this module."""',
             "", "import atexit", "import multiprocessing", *([] if workers else ["import os"]),
             "import threading", "",
             *(["import numpy as np", ""] if eager else [])]
    if lifted is None:
        lines.append(f"from {module} import {name}")
    else:
        # the lambda's own imports, repeated: importing them from the user's module would import TensorFlow
        lines += [i for i in lifted.imports if not (eager and i == "import numpy as np")]
        if lifted.module_names:
            lines.append(f"from {module} import {', '.join(lifted.module_names)}")
    workers_text = (f"{workers}  # what the probe used on its {cores}-core machine" if workers
                    else "os.cpu_count()")
    constants = lifted.constants if lifted is not None else ()
    lines += ["", *constants, f"WORKERS = {workers_text}", "_POOL = None", "_CLOSED = False",
              "_LOCK = threading.Lock()", "", ""]
    if lifted is not None:
        lines += [f"# the lambda of {module}, line {lifted.line}, as a def: workers import it by name",
                  *lifted.definition.splitlines(), "", ""]
    if eager:
        lines += [
            "class _EagerLike(np.ndarray):",
            f'    """What py_function handed `{name}`: a value with the `.numpy()` of an EagerTensor."""',
            "",
            "    def numpy(self):",
            "        return self[()] if self.ndim == 0 else np.asarray(self)",
            "",
            "",
            "def _as_eager(value):",
            "    # bytes stay whole (a fixed-width bytes array would drop trailing NUL bytes)",
            "    array = np.array(value, dtype=object) if isinstance(value, bytes) else np.asarray(value)",
            "    return array.view(_EagerLike)",
            "",
            "",
            "def _call(args):",
            f"    # Runs in a worker: `{name}` gets arguments with .numpy(), as in py_function.",
            f"    return {callee}(*(_as_eager(a) for a in args))",
            "",
            "",
        ]
    lines += [
        "def _close_pool():",
        "    # Without this the pool is left to multiprocessing's own exit handler, which waits on",
        "    # workers and result threads while TensorFlow's threads still hold the pool: seconds of",
        "    # waiting after the last element.",
        "    global _CLOSED",
        "    with _LOCK:",
        "        _CLOSED = True  # tf.data threads still running must not start a new pool now",
        "        pool = _POOL",
        "    if pool is not None:",
        "        pool.terminate()",
        "        pool.join()",
        "",
        "",
        "def _pool():",
        "    global _POOL",
        "    with _LOCK:  # tf.data calls this from several threads at once: start one pool, not one each",
        "        if _CLOSED:",
        '            raise RuntimeError("the process pool is closed: the interpreter is exiting")',
        "        if _POOL is None:",
        "            # forkserver/spawn, never fork: forking a process that imported TensorFlow can hang.",
        '            methods = multiprocessing.get_all_start_methods()',
        '            method = "forkserver" if "forkserver" in methods else "spawn"',
        "            _POOL = multiprocessing.get_context(method).Pool(WORKERS)",
        "            # atexit runs last-registered first: this runs before multiprocessing's own handler.",
        "            atexit.register(_close_pool)",
        "        return _POOL",
        "",
        "",
        f"def {pooled}(*args):",
    ]
    if eager:
        lines += ["    # py_function passes EagerTensors, which do not pickle: send NumPy values and bytes.",
                  '    args = [a.numpy() if hasattr(a, "numpy") else a for a in args]',
                  "    return _pool().apply(_call, (args,))"]
    else:
        lines += ["    # numpy_function passes NumPy arrays and bytes: they pickle as they are.",
                  f"    return _pool().apply({callee}, args)"]
    return "\n".join(lines) + "\n"


def advise(finding: Finding, source: FunctionSource | None, result: SiteResult | None,
           cores: int | None) -> Advice | None:
    if finding.function is None:
        return None
    if python_body_of(finding.code) is PythonBody.GENERATOR:
        return _generator_advice(finding, source, result, cores)
    reason = unpoolable_reason(finding.function)
    if reason is not None:
        return _unpoolable_advice(finding, reason, result)
    rewrite = pool_rewrite(finding, result, cores)
    if rewrite is None:
        return None
    fpath, _ = split_function_id(finding.function)
    name, pooled = rewrite.function, rewrite.pooled
    imports_tf = source.module_imports_tensorflow if source else None
    detail = (result.multiprocessing if result else None) or {}
    if detail.get("module_imports_tensorflow") is not None:
        imports_tf = bool(detail["module_imports_tensorflow"])
    lines = [f"# {rewrite.module}.py, a new module next to {_short(fpath)}", rewrite.module_text.rstrip("\n")]
    site = finding.call_site or finding.location
    steps: list[str] = []
    for edit in rewrite.edits:
        # the map edit comes last, and only when the map's parallelism changes
        parallel = rewrite.parallelism is not None and edit is rewrite.edits[-1]
        if pooled in edit.after:
            what = f" and let tf.data start a call for every worker ({rewrite.parallelism})" \
                if parallel else ""
            steps += ["", f"# {_short(edit.path)}: import the pool version", rewrite.import_line,
                      f"# {_short(edit.path)}:{edit.line}: call the pool instead of `{name}`{what}"]
        else:
            steps += ["", f"# {_short(edit.path)}:{edit.line}: let tf.data start a call for every worker "
                      f"({rewrite.parallelism}: up to one per core)"]
        steps += [f"# was: {_flat(edit.before)}", edit.after]
    steps += ["", "# The script that builds the pipeline: spawned workers re-import __main__.",
              'if __name__ == "__main__":', "    ...  # the code that builds and iterates the pipeline"]
    # The number next to the code is the rewritten pipeline's (probe --verify-rewrite), or it is labelled
    # an estimate.
    numbers = pool_advice_numbers(result, *measured_text(result))
    speedup, measured = numbers.speedup, numbers.measured
    notes = [
        ("the map needs num_parallel_calls that starts a call for every worker: tf.data.AUTOTUNE (up to one "
         "per core) or a number at least WORKERS; more calls only wait in the pool's queue"),
        (f"`{name}` runs in a worker without TensorFlow: it gets NumPy values"
         + (" with a `.numpy()` method, as py_function gave it" if rewrite.eager else "")
         + "; if it calls TensorFlow ops (tf.*) on them, or returns tensors, keep those calls in the map and "
         "give the pool only its Python work"),
        "the map's output dtypes (Tout) and any set_shape/ensure_shape after the call stay as they are",
    ]
    if imports_tf:
        notes.insert(0, f"`{_short(fpath)}` imports TensorFlow: move `{name}` and what it uses into a "
                     "module without TensorFlow, or every spawned worker pays the TensorFlow import "
                     "(~3.6 s measured)")
    elif imports_tf is False:
        notes.insert(0, f"`{_short(fpath)}` does not import TensorFlow, so workers start fast "
                     "(~0.2 s measured)")
    # The probe's own number travels in `measured` (renderers show it next to the code); without one, the
    # reference measurement says what to expect.
    reference = ("up to ~1.9x on 2 cores and more with more cores (1.84-1.93x measured with 2 workers for "
                 "18.5 ms of pure Python per element)")
    if speedup is not None:
        expected = ""
    elif numbers.outcome is Outcome.FAILED:
        # --verify-rewrite ran but could not measure: its words (next to the number) say why; asking for
        # the same run again would not help
        expected = (f" Estimate, the rewritten pipeline could not be measured here (why: next to the "
                    f"number): {reference}.")
    elif numbers.outcome is Outcome.UNRELIABLE:
        expected = (f" Estimate, the rewritten pipeline was measured here without a number to trust: "
                    f"{reference}. Probe again with --verify-rewrite on a quiet machine.")
    else:
        expected = (f" Estimate, not measured here: {reference}; run `tfpar-doctor probe --verify-rewrite "
                    "...` to measure the rewritten pipeline on your machine.")
    if not numbers.recommend:
        expected = " The rewritten pipeline was measured no faster on this machine: not recommended."
    return _pool_advice(
        finding, site, (speedup, measured),
        f"`{name}` holds the GIL, so threads cannot run it in parallel; processes can.{expected}",
        code="\n".join(lines + steps) if numbers.recommend else "",
        notes=tuple(notes),
    )


def _pool_advice(finding: Finding, site: Location, measured: tuple[float | None, str], summary: str,
                 code: str = "", notes: tuple[str, ...] = ()) -> Advice:
    """Process-pool advice for `finding`'s site, with the probe's number and how it was obtained."""
    return Advice(
        kind="multiprocessing",
        title=ADVICE_TITLES["multiprocessing"],
        site=site,
        summary=summary,
        code=code,
        finding_codes=(finding.code,) if finding.code else (),
        measured_speedup=measured[0],
        measured=measured[1],
        notes=notes,
    )


def _unpoolable_advice(finding: Finding, reason: str, result: SiteResult | None) -> Advice:
    """Prose, no code: a block that passes a lambda or a bound method to a pool would not run."""
    _, qualified = split_function_id(finding.function or "")
    shown = code_name(qualified, lambda_line(finding.function or ""))
    what = "This lambda" if shown.startswith("_map_fn") else f"`{qualified}`"
    return _pool_advice(
        finding, finding.call_site or finding.location, measured_text(result),
        f"{what} holds the GIL, so threads cannot run it in parallel; processes could, but it cannot "
        f"be moved to a process pool as written: {reason}. Move its body into a module-level function (in "
        "a module that does not import TensorFlow) that takes every value it uses, such as the instance "
        "attributes it reads, as arguments; pass that function to py_function and run tfpar-doctor again "
        "for the pool rewrite.",
    )


def _generator_advice(finding: Finding, source: FunctionSource | None, result: SiteResult | None,
                      cores: int | None) -> Advice:
    fpath, qualified = split_function_id(finding.function or "")
    # a lambda or closure generator has a display name (`lambda (line 12)`), not an identifier
    name = code_name(qualified, lambda_line(finding.function or ""), prefix="generator") \
        if qualified else "generator"
    module = module_name(fpath)
    code = "\n".join([
        f"# Sketch: `process_item` (the work of `{name}` for one item), `items` and `signature` are yours to",
        "# define from the generator; the pool around them is complete.",
        "import multiprocessing",
        "",
        "import tensorflow as tf",
        "",
        f"from {module} import process_item  # the per-item work of `{name}`, moved out of the generator",
        "",
        "",
        f"def {name}_in_pool(items, workers=None):",
        '    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"',
        "    with multiprocessing.get_context(method).Pool(workers) as pool:",
        "        yield from pool.imap(process_item, items, chunksize=4)",
        "",
        "",
        f"ds = tf.data.Dataset.from_generator(lambda: {name}_in_pool(items), output_signature=signature)",
        "",
        'if __name__ == "__main__":',
        "    ...  # the code that builds and iterates the pipeline",
    ])
    return _pool_advice(
        finding, finding.call_site or finding.location, measured_text(result),
        f"`{name}` does its per-element work in one Python thread. Split it into the items it "
        "iterates over (paths, ids, lines) and a function for one item, and let a process pool do the work "
        "(measured with 2 workers: 1.87x on 18.5 ms of pure Python per element).",
        code=code,
        notes=("`items` and `signature` are the items and the output_signature your generator used",),
    )


def _short(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _flat(text: str) -> str:
    return " ".join(text.split())
