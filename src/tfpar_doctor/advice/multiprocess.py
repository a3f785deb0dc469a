"""The multiprocessing rewrite: the user's Python function in a process pool, fed into tf.data.

Measured patterns (TFDATA_FACTS section 5, 2 workers, 18.5 ms of pure Python per element): a pool called
from `map(numpy_function(...))` with 4 calls in flight and an unbounded pool ran 1.93x faster than the
py_function map; `from_generator` over `pool.imap` 1.87x. Workers are started with forkserver (spawn where
forkserver does not exist) because forking after TensorFlow is imported can hang, from a module that
does not import TensorFlow (each spawned worker otherwise pays ~3.6 s of TensorFlow import).
"""

from __future__ import annotations

from pathlib import Path

from tfpar_doctor.advice.edits import replace_function_argument, set_keywords
from tfpar_doctor.advice.model import Advice
from tfpar_doctor.advice.source import FunctionSource, split_function_id
from tfpar_doctor.analysis.modules import names_for
from tfpar_doctor.knowledge.rewrites import ADVICE_TITLES
from tfpar_doctor.model import Finding, Location, SiteResult

# In-flight calls per worker: one running, one queued, so no worker waits for tf.data to hand it work.
IN_FLIGHT_PER_WORKER = 2


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
    what = "copies of the same generator in" if detail.get("kind") == "generator" else "the same function in"
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


def advise(finding: Finding, source: FunctionSource | None, result: SiteResult | None,
           cores: int | None) -> Advice | None:
    if finding.function is None:
        return None
    if finding.code == "TFP104":
        return _generator_advice(finding, source, result, cores)
    fpath, qualified = split_function_id(finding.function)
    name = qualified.rsplit(".", 1)[-1]
    is_method = "." in qualified
    module = module_name(fpath)
    pooled = f"{name.lstrip('_')}_in_pool"
    workers = (result.multiprocessing or {}).get("workers") if result and result.multiprocessing else None
    workers_text = f"{workers}  # what the probe used on its {cores}-core machine" if workers else \
        "os.cpu_count()"
    in_flight = f"{IN_FLIGHT_PER_WORKER} * WORKERS"
    imports_tf = source.module_imports_tensorflow if source else None
    if result and result.multiprocessing and result.multiprocessing.get("module_imports_tensorflow") is not None:
        imports_tf = bool(result.multiprocessing["module_imports_tensorflow"])
    lines = ["import multiprocessing", *([] if workers else ["import os"]), ""]
    if is_method:
        cls = qualified.split(".")[0]
        lines.append(f"from {module} import {cls}  # move `{name}` to a module-level function if you can:")
        lines.append("# a bound method pickles its instance into every call")
    else:
        lines.append(f"from {module} import {name}")
    lines += [
        "",
        f"WORKERS = {workers_text}",
        "_POOL = None",
        "",
        "",
        "def _pool():",
        "    global _POOL",
        "    if _POOL is None:",
        "        # forkserver/spawn, never fork: forking a process that imported TensorFlow can hang.",
        '        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"',
        "        _POOL = multiprocessing.get_context(method).Pool(WORKERS)",
        "    return _POOL",
        "",
        "",
        f"def {pooled}(*args):",
        "    # py_function passes EagerTensors: hand the workers plain NumPy values.",
        '    args = [a.numpy() if hasattr(a, "numpy") else a for a in args]',
        f"    return _pool().apply({'featurizer.' + name if is_method else name}, args)",
    ]
    steps: list[str] = []
    wrapper = wrapper_location(finding)
    if wrapper is not None:
        edit = replace_function_argument(wrapper, name, pooled)
        if edit is not None:
            steps += ["", f"# {_short(edit.path)}:{edit.line}: call the pool instead of `{name}`",
                      f"# was: {_flat(edit.before)}", edit.after]
    site = finding.call_site or finding.location
    edit = set_keywords(site, {"num_parallel_calls": in_flight, "use_unbounded_threadpool": "True"})
    if edit is not None:
        comment = (f"# {_short(edit.path)}:{edit.line}: keep {IN_FLIGHT_PER_WORKER} calls per worker in flight "
                   "(beyond tf.data's core-sized thread pool)")
        steps += ["", comment, f"# was: {_flat(edit.before)}", edit.after]
    steps += ["", "# The script that builds the pipeline: spawned workers re-import __main__.",
              'if __name__ == "__main__":', "    main()"]
    speedup, measured = measured_text(result)
    notes = [
        ("on TensorFlow older than 2.21 drop use_unbounded_threadpool and set "
         "options.threading.private_threadpool_size = 2 * WORKERS instead"),
    ]
    if imports_tf:
        notes.insert(0, f"`{_short(fpath)}` imports TensorFlow: move `{name}` and what it uses into a module "
                     "without TensorFlow, or every spawned worker pays the TensorFlow import (~3.6 s measured)")
    elif imports_tf is False:
        notes.insert(0, f"`{_short(fpath)}` does not import TensorFlow, so workers start fast (~0.2 s measured)")
    if is_method:
        notes.append(f"replace `featurizer` with the instance whose `{name}` the map used")
    # The probe's own number travels in `measured` (renderers show it next to the code); without one, the
    # reference measurement says what to expect.
    expected = ("" if measured else
                " Expect up to ~1.9x on 2 cores and more with more cores (TFDATA_FACTS: 1.84-1.93x with 2 workers "
                "for 18.5 ms of pure Python per element); run `tfpar-doctor probe` to measure it on your machine.")
    return Advice(
        kind="multiprocessing",
        title=ADVICE_TITLES["multiprocessing"],
        site=site,
        summary=f"`{name}` holds the GIL, so threads cannot run it in parallel; processes can.{expected}",
        code="\n".join(lines + steps),
        finding_codes=(finding.code,) if finding.code else (),
        measured_speedup=speedup,
        measured=measured,
        notes=tuple(notes),
    )


def _generator_advice(finding: Finding, source: FunctionSource | None, result: SiteResult | None,
                      cores: int | None) -> Advice:
    fpath, qualified = split_function_id(finding.function or "")
    name = qualified.rsplit(".", 1)[-1] or "generator"
    module = module_name(fpath)
    code = "\n".join([
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
        "    main()",
    ])
    speedup, measured = measured_text(result)
    return Advice(
        kind="multiprocessing",
        title=ADVICE_TITLES["multiprocessing"],
        site=finding.call_site or finding.location,
        summary=f"`{name}` does its per-element work in one Python thread. Split it into the items it "
        "iterates over (paths, ids, lines) and a function for one item, and let a process pool do the work "
        "(measured with 2 workers: 1.87x, TFDATA_FACTS section 5).",
        code=code,
        finding_codes=(finding.code,) if finding.code else (),
        measured_speedup=speedup,
        measured=measured,
        notes=("`items` and `signature` are the items and the output_signature your generator used",),
    )


def _short(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _flat(text: str) -> str:
    return " ".join(text.split())
