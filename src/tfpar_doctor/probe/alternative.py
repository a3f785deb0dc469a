"""The multiprocessing alternative: a site's Python function on its recorded inputs, serial vs a pool.

Runs in the probe child. The pool uses the spawn start method and the worker module
`tfpar_doctor.probe.mpworker`, which does not import TensorFlow (docs/how-probe-measures.md §5). Worker
start-up (including importing the user's module, which may itself import TensorFlow) is measured and reported
separately.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import time
from collections.abc import Callable
from typing import Any

from tfpar_doctor.probe import mpworker


def measure(
    func: Callable[..., Any],
    inputs: list[tuple[Any, ...]],
    eager: bool,
    workers: int,
    seconds: float,
    timeout: float = 120.0,
) -> dict[str, Any]:
    result: dict[str, Any] = {"workers": workers, "items": 0, "error": None}
    if not inputs:
        result["error"] = "no recorded inputs (the Python function was not called while recording)"
        return result
    try:
        pickle.dumps(func)
    except Exception as exc:  # noqa: BLE001
        result["error"] = (
            f"{getattr(func, '__qualname__', func)!s} cannot be sent to a process pool "
            f"({type(exc).__name__}); a pool needs a module-level function (not a lambda, closure or method)"
        )
        return result
    try:
        pickle.dumps(inputs)
    except Exception as exc:  # noqa: BLE001
        result["error"] = f"the recorded inputs cannot be pickled ({type(exc).__name__})"
        return result

    # Serial, in this process, same argument wrapping as the workers.
    calls = 0
    total = 0.0
    start = time.perf_counter()
    while True:
        args = inputs[calls % len(inputs)]
        t0 = time.perf_counter()
        try:
            func(*(mpworker.wrap(a, eager) for a in args))
        except Exception as exc:  # noqa: BLE001
            result["error"] = f"the function failed outside TensorFlow: {type(exc).__name__}: {exc}"[:300]
            return result
        total += time.perf_counter() - t0
        calls += 1
        if (time.perf_counter() - start >= seconds and calls >= 4) or calls >= 20000:
            break
    per_call = total / calls
    result["serial_seconds_per_element"] = per_call

    items = int(min(5000, max(workers * 8, seconds * workers / max(per_call, 1e-6))))
    jobs = [(func, inputs[i % len(inputs)], eager) for i in range(items)]
    # start-up: every worker imports the function's module once, on a first call each
    done = _in_pool(
        workers,
        (mpworker.call, jobs[:workers]),
        (mpworker.call, jobs, max(1, items // (workers * 8))),
        timeout,
        "function",
    )
    if isinstance(done, str):
        result["error"] = done
        return result
    startup, pooled, _ = done
    result["items"] = items
    result["worker_startup_seconds"] = startup
    result["pool_seconds_per_element"] = pooled / items
    result["speedup"] = per_call * items / pooled if pooled > 0 else None
    result["speedup_with_startup"] = per_call * items / (pooled + startup) if pooled + startup > 0 else None
    result["module_imports_tensorflow"] = _imports_tensorflow(func)
    return result


def measure_generator(
    generator: Callable[..., Any],
    args: tuple[Any, ...],
    workers: int,
    seconds: float,
    timeout: float = 120.0,
) -> dict[str, Any]:
    """The generator alone in this process vs `workers` copies in a process pool, each for `seconds`:
    what sharding it over processes (docs/how-probe-measures.md §5: from_generator over pool.imap, or one
    shard per process) would gain. Copies repeat the same elements; only the rate matters here."""
    result: dict[str, Any] = {"workers": workers, "items": 0, "error": None, "kind": "generator"}
    name = getattr(generator, "__qualname__", generator)
    try:
        pickle.dumps((generator, args))
    except Exception as exc:  # noqa: BLE001
        result["error"] = (
            f"{name!s} cannot be sent to a process pool ({type(exc).__name__}); a pool needs a module-level "
            "generator function (not a lambda, closure or method) and picklable args"
        )
        return result
    try:
        count, elapsed = mpworker.drain((generator, args, seconds))
    except Exception as exc:  # noqa: BLE001
        result["error"] = f"the generator failed outside TensorFlow: {type(exc).__name__}: {exc}"[:300]
        return result
    if count == 0 or elapsed <= 0:
        result["error"] = "the generator produced fewer than two elements"
        return result
    serial_rate = count / elapsed
    result["serial_seconds_per_element"] = 1.0 / serial_rate
    done = _in_pool(
        workers,
        (mpworker.load, [generator] * workers),
        (mpworker.drain, [(generator, args, seconds)] * workers, 1),
        timeout,
        "generator",
    )
    if isinstance(done, str):
        result["error"] = done
        return result
    startup, _, runs = done
    pooled_rate = sum(n for n, _ in runs) / max(t for _, t in runs)
    result["items"] = sum(n for n, _ in runs)
    result["worker_startup_seconds"] = startup
    result["pool_seconds_per_element"] = 1.0 / pooled_rate if pooled_rate > 0 else None
    result["speedup"] = pooled_rate / serial_rate
    result["module_imports_tensorflow"] = _imports_tensorflow(generator)
    return result


def _in_pool(
    workers: int,
    warm_up: tuple[Callable[[Any], Any], list[Any]],
    work: tuple[Callable[[Any], Any], list[Any], int],
    timeout: float,
    what: str,
) -> tuple[float, float, list[Any]] | str:
    """A spawn pool of `workers` (sys.path and working directory as here): `warm_up` mapped once so that
    every worker has imported the user's module, then `work` (function, items, chunk size) timed.
    (start-up seconds, work seconds, work results), or the error in words; the pool never outlives it."""
    ctx = multiprocessing.get_context("spawn")
    t0 = time.perf_counter()
    pool = ctx.Pool(workers, initializer=mpworker.init, initargs=(list(sys.path), os.getcwd()))
    try:
        pool.map_async(warm_up[0], warm_up[1], chunksize=1).get(timeout)
        startup = time.perf_counter() - t0
        t1 = time.perf_counter()
        out = pool.map_async(work[0], work[1], chunksize=work[2]).get(timeout)
        return startup, time.perf_counter() - t1, out
    except multiprocessing.TimeoutError:
        return f"the process pool did not finish within {timeout:.0f} s"
    except Exception as exc:  # noqa: BLE001 - the user's code failed in a worker
        return f"the {what} failed in a worker process: {type(exc).__name__}: {exc}"[:300]
    finally:
        pool.terminate()
        pool.join()


def _imports_tensorflow(obj: Any) -> bool:
    """Whether the module defining `obj` imports TensorFlow (then every pool worker pays that import)."""
    module = sys.modules.get(getattr(obj, "__module__", ""))
    return bool(module is not None and "tensorflow" in _imported_names(module))


def generator_args(call: dict[str, Any]) -> tuple[Any, ...]:
    """The `args=` of a from_generator call as the generator receives them (NumPy values, bytes)."""
    args = call.get("args")
    if args is None:
        return ()
    values = []
    for arg in args if isinstance(args, (tuple, list)) else (args,):
        value = arg.numpy() if hasattr(arg, "numpy") else arg
        values.append(value)
    return tuple(values)


def _imported_names(module: Any) -> set[str]:
    names = set()
    for value in vars(module).values():
        name = getattr(value, "__name__", None)
        if isinstance(value, type(os)) and name:
            names.add(name.split(".")[0])
    return names
