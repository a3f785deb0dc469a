"""Process-pool worker for the multiprocessing alternative. Imports neither TensorFlow nor the probe.

The probe child starts a spawn pool whose initializer is :func:`init` and maps :func:`call` over the
recorded inputs of a site's Python function (pickled by reference: module and qualified name). Inputs
are NumPy arrays; for `tf.py_function` bodies each is wrapped in :class:`TensorLike` so that `x.numpy()`
keeps working without TensorFlow. If the user's module imports TensorFlow, each worker pays that import:
the probe reports it as worker start-up.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np


class TensorLike(np.ndarray):
    """A NumPy array with the `.numpy()` method of an eager tensor."""

    def numpy(self) -> Any:
        if self.ndim == 0:
            return self[()]
        return np.asarray(self)


def wrap(value: Any, eager: bool) -> Any:
    if not eager:
        return value
    if isinstance(value, bytes):
        value = np.array(value, dtype=object)
    return np.asarray(value).view(TensorLike)


def init(paths: list[str], cwd: str) -> None:
    for p in reversed(paths):
        if p not in sys.path:
            sys.path.insert(0, p)
    with contextlib.suppress(OSError):
        os.chdir(cwd)


def ready(_: Any) -> int:
    return os.getpid()


def load(func: Callable[..., Any]) -> float:
    """Touch the function (its module is imported when unpickled); returns the worker's clock."""
    return time.perf_counter()


def call(job: tuple[Callable[..., Any], tuple[Any, ...], bool]) -> float:
    func, args, eager = job
    start = time.perf_counter()
    func(*(wrap(a, eager) for a in args))
    return time.perf_counter() - start


def drain(job: tuple[Callable[..., Any], tuple[Any, ...], float]) -> tuple[int, float]:
    """One copy of a generator for `seconds` after its first element: (elements, seconds). The first
    element is excluded, as the probe's windows exclude warm-up (opening files, building tables)."""
    generator, args, seconds = job
    iterator = iter(generator(*args))
    next(iterator, None)
    count = 0
    start = time.perf_counter()
    for _ in iterator:
        count += 1
        if time.perf_counter() - start >= seconds:
            break
    return count, time.perf_counter() - start
