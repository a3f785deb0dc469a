"""Interception of dataset construction (runs in the child process only; imports TensorFlow).

`install()` patches `DatasetV2`/`DatasetV1` `map`, `interleave`, `flat_map`, `filter`, `from_generator`,
`tf.data.experimental.map_and_batch`, and the per-element Python wrappers (`tf.py_function`,
`tf.numpy_function`, `tf.compat.v1.py_func`) before the user's pipeline is built. Each call made from user
code (not from TensorFlow, Keras, TFDS or AutoGraph machinery) becomes a `Site`, keyed by file, line and
method. A later rebuild of the pipeline applies `STATE.overrides[key]` to that site's parallelism.

Section numbers (§) refer to docs/how-probe-measures.md.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import inspect
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import tensorflow as tf
from tensorflow.python.data.ops import dataset_ops

from tfpar_doctor.knowledge import tfdata as tfdata_knowledge

AUTOTUNE = -1
# (absolute path, line, method, bytecode offset of the call: two calls on one line differ; 0 if unknown)
SiteKey = tuple[str, int, str, int]
PY_OPS = {"EagerPyFunc": "py_function", "PyFunc": "numpy_function", "PyFuncStateless": "numpy_function"}
# Python calls made while tracing a user function that are side effects lost after tracing: the same
# knowledge `check` uses for TFP001/TFP002, as (module, name) pairs of the functions the profiler sees.
SIDE_EFFECT_CALLS = {
    tuple(name.rpartition(".")[::2]) if "." in name else ("builtins", name)
    for name in tfdata_knowledge.TRACE_TIME_SIDE_EFFECTS
}
SIDE_EFFECT_MODULES = tfdata_knowledge.TRACE_TIME_RANDOM_MODULES + tfdata_knowledge.LOGGING_MODULES


def _library_roots() -> tuple[str, ...]:
    roots = []
    for name in (
        "tensorflow",
        "keras",
        "tf_keras",
        "tensorflow_datasets",
        "tensorflow_io",
        "tensorflow_text",
    ):
        mod = sys.modules.get(name)
        path = getattr(mod, "__file__", None)
        if path:
            roots.append(os.path.dirname(os.path.abspath(path)) + os.sep)
    here = os.path.dirname(os.path.abspath(__file__)) + os.sep
    roots.append(here)
    return tuple(roots)


_STDLIB = os.path.dirname(os.path.abspath(functools.__file__)) + os.sep


def is_library(filename: str) -> bool:
    """TensorFlow, Keras, TFDS, the probe itself, or the standard library (not site-packages)."""
    if filename.startswith(STATE.roots) or filename.startswith("<frozen"):
        return True
    if filename.startswith(_STDLIB):
        return "site-packages" not in filename and "dist-packages" not in filename
    return False


@dataclass
class Site:
    key: SiteKey
    index: int
    path: str
    line: int
    column: int | None
    method: str
    function: str
    original_npc: str | None
    nested: bool
    runs_python: bool = False
    python_kind: str | None = None
    stateful: bool | None = None
    parallel_capable: bool = True  # has a num_parallel_calls we can vary
    trace_seconds: float = 0.0
    side_effects: dict[str, int] = field(default_factory=dict)
    # live objects of the first (recording) build, used for the isolated replay
    input_ds: Any = None
    fn: Any = None
    kwargs: dict[str, Any] = field(default_factory=dict)
    generator_call: dict[str, Any] | None = None
    py_funcs: list[Callable[..., Any]] = field(default_factory=list)
    py_func_kind: str | None = None
    recorded_inputs: list[tuple[Any, ...]] = field(default_factory=list)
    user_private_pool: int | None = None
    factory: Any = None  # map_and_batch / parallel_interleave: the unpatched function, for the replay

    @property
    def where(self) -> str:
        """`file.py:LINE`: the site in its phases (probe/phases.py) and at the head of `describe()`."""
        return f"{os.path.basename(self.path)}:{self.line}"

    def describe(self) -> str:
        return f"{self.where} {self.method}({self.function})"


@dataclass
class Override:
    npc: int  # AUTOTUNE (-1) or a positive level
    unbounded: bool = False


class _State(threading.local):
    def __init__(self) -> None:
        self.active: list[Site] = []


class State:
    def __init__(self) -> None:
        self.sites: dict[SiteKey, Site] = {}
        self.overrides: dict[SiteKey, Override] = {}
        self.recording = True  # capture inputs of Python functions (first build only)
        self.max_recorded = 64
        self.build_order: list[SiteKey] = []  # sites in construction order, this build
        # counting builds: site key -> tf.Variable counting the site's output elements
        self.counters: dict[SiteKey, Any] = {}
        self.local = _State()
        self.roots: tuple[str, ...] = ()
        self.lock = threading.Lock()


STATE = State()


# --------------------------------------------------------------------------------------- frames


def _is_generated(filename: str) -> bool:
    return "__autograph_generated_file" in filename


def _autograph_origin(frame: Any) -> tuple[str, int] | None:
    """Map a frame in AutoGraph-generated code back to the user's file and line."""
    code = frame.f_code
    for ref in gc.get_referrers(code):
        source_map = getattr(ref, "ag_source_map", None)
        if not source_map:
            continue
        for loc, origin in source_map.items():
            if loc.filename == code.co_filename and loc.lineno == frame.f_lineno:
                return origin.loc.filename, origin.loc.lineno
    return None


def user_frame(frame: Any) -> tuple[str, int, int | None, int] | None:
    """The user frame that made this call, or None when the caller is library code."""
    f = frame
    while f is not None:
        filename = f.f_code.co_filename
        if _is_generated(filename):
            origin = _autograph_origin(f)
            if origin:
                return os.path.abspath(origin[0]), origin[1], None, 0
            return filename, f.f_lineno, None, 0
        if is_library(filename):
            if os.sep + "autograph" + os.sep in filename:
                f = f.f_back  # AutoGraph's converted_call: keep looking for the converted user code
                continue
            return None  # called by a library (TensorFlow, Keras, TFDS): not a user site
        column = None
        try:
            positions = list(f.f_code.co_positions())[f.f_lasti // 2]
            if positions[2] is not None:
                column = positions[2] + 1
        except Exception:  # noqa: BLE001 - column is a nicety
            pass
        return os.path.abspath(filename), f.f_lineno, column, f.f_lasti
    return None


def _callable_name(fn: Any) -> str:
    if isinstance(fn, functools.partial):
        return _callable_name(fn.func)
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    if name is None:
        name = type(fn).__name__
    return str(name)


def _npc_text(value: Any) -> str | None:
    if value is None:
        return None
    try:
        v = int(value)
    except (TypeError, ValueError):
        return str(value)
    return "autotune" if v == AUTOTUNE else str(v)


# --------------------------------------------------------------------------------------- graph facts


def _function_ops(result: Any) -> tuple[set[str], bool | None]:
    """Op types of the traced function of a dataset returned by map/interleave/filter/flat_map."""
    wrapper = None
    obj = getattr(result, "_dataset", result)  # DatasetV1Adapter
    for attr in ("_map_func", "_predicate", "_func"):
        wrapper = getattr(obj, attr, None)
        if wrapper is not None:
            break
    if wrapper is None:
        return set(), None
    try:
        graph = wrapper.function.graph
        gd = graph.as_graph_def()
    except Exception:  # noqa: BLE001
        return set(), None
    ops = {n.op for n in gd.node}
    for fdef in gd.library.function:
        ops.update(n.op for n in fdef.node_def)
    stateful = None
    try:
        from tensorflow.python.framework import op_def_registry

        stateful = any(
            (op_def_registry.get(op) is not None and op_def_registry.get(op).is_stateful)
            for op in ops
            if op not in ("Placeholder", "NoOp")
        )
    except Exception:  # noqa: BLE001
        pass
    return ops, stateful


# --------------------------------------------------------------------------------------- tracing hooks


def _user_or_autograph(filename: str) -> bool:
    return not is_library(filename) or (os.sep + "autograph" + os.sep) in filename


class _SideEffectProfiler:
    """Counts Python side-effect calls made from user frames while a user function is traced."""

    def __init__(self, site: Site, fn: Any = None) -> None:
        self.site = site
        self.previous: Any = None
        self.watch = _StateWatch(fn)

    def __call__(self, frame: Any, event: str, arg: Any) -> None:
        if event == "c_call":
            mod = getattr(arg, "__module__", None) or ""
            name = getattr(arg, "__name__", "")
            owner = getattr(arg, "__self__", None)
            owner_mod = (
                type(owner).__module__ if owner is not None and not isinstance(owner, type(sys)) else ""
            )
            if owner_mod == "random" or owner_mod.startswith("numpy.random"):
                mod = "random" if owner_mod == "random" else "numpy.random"  # random.random, np.random.rand
            random = mod in tfdata_knowledge.TRACE_TIME_RANDOM_MODULES or mod.startswith("numpy.random.")
            watched = (mod, name) in SIDE_EFFECT_CALLS or random
            if watched and _user_or_autograph(frame.f_code.co_filename):
                key = f"{mod}.{name}".replace("builtins.", "")
                self.site.side_effects[key] = self.site.side_effects.get(key, 0) + 1
        elif event == "call":
            mod = frame.f_globals.get("__name__", "")
            if mod in SIDE_EFFECT_MODULES or mod.startswith("numpy.random"):
                back = frame.f_back
                if back is not None and _user_or_autograph(back.f_code.co_filename):
                    key = f"{mod}.{frame.f_code.co_name}"
                    self.site.side_effects[key] = self.site.side_effects.get(key, 0) + 1

    def __enter__(self) -> _SideEffectProfiler:
        self.previous = sys.getprofile()
        sys.setprofile(self)
        _NumpyRandomSpy.enter()
        self.watch.before()
        return self

    def __exit__(self, *exc: Any) -> None:
        _NumpyRandomSpy.exit()
        sys.setprofile(self.previous)
        for key in self.watch.changes():
            self.site.side_effects[key] = self.site.side_effects.get(key, 0) + 1


class _StateWatch:
    """Module globals and closure variables of the mapped function that tracing changed: counters
    (`n += 1`), lists appended to, dicts filled (§1: they change once, at trace time)."""

    def __init__(self, fn: Any) -> None:
        while isinstance(fn, functools.partial):
            fn = fn.func
        fn = getattr(fn, "__wrapped__", fn)
        code_owner = fn if hasattr(fn, "__globals__") else (type(fn).__call__ if callable(fn) else None)
        self.globals: dict[str, Any] = getattr(code_owner, "__globals__", None) or {}
        self.names = set(getattr(getattr(code_owner, "__code__", None), "co_names", ()) or ())
        closure = getattr(code_owner, "__closure__", None) or ()
        freevars = getattr(getattr(code_owner, "__code__", None), "co_freevars", ()) or ()
        self.cells = dict(zip(freevars, closure, strict=False))
        self.snapshot: dict[str, tuple[int, int | None]] = {}

    @staticmethod
    def _state(value: Any) -> tuple[int, int | None]:
        size = len(value) if isinstance(value, (list, dict, set, bytearray)) else None
        return id(value), size

    def _values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.names:
            if name in self.globals and not name.startswith("__"):
                value = self.globals[name]
                if not (callable(value) or isinstance(value, type(sys))):
                    out[name] = value
        for name, cell in self.cells.items():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if not (callable(value) or isinstance(value, type(sys))):
                out[name] = value
        return out

    def before(self) -> None:
        try:
            self.snapshot = {name: self._state(v) for name, v in self._values().items()}
        except Exception:  # noqa: BLE001 - a nicety, never a failure
            self.snapshot = {}

    def changes(self) -> list[str]:
        out = []
        try:
            for name, value in self._values().items():
                old = self.snapshot.get(name)
                if old is None:
                    continue
                new = self._state(value)
                if new[0] != old[0]:
                    out.append(f"{name} reassigned")
                elif new[1] != old[1]:
                    out.append(f"{name} {'grew' if (new[1] or 0) > (old[1] or 0) else 'changed'}")
        except Exception:  # noqa: BLE001
            return []
        return out


class _NumpyRandomSpy:
    """NumPy's random functions are Cython methods the profiler does not see: wrap them while tracing."""

    depth = 0
    saved: dict[str, Any] = {}

    @classmethod
    def enter(cls) -> None:
        cls.depth += 1
        if cls.depth > 1:
            return
        module = sys.modules.get("numpy.random")
        if module is None and "numpy" in sys.modules:
            # NumPy 2 loads `numpy.random` lazily, on first `np.random` access: which may be the traced
            # function itself. Load it now so that the spies are in place before that access.
            import importlib

            module = importlib.import_module("numpy.random")
        if module is None:
            return
        for name in dir(module):
            value = getattr(module, name, None)
            if name.startswith("_") or isinstance(value, type) or not callable(value):
                continue
            cls.saved[name] = value
            setattr(module, name, cls._spy(name, value))

    @classmethod
    def exit(cls) -> None:
        cls.depth -= 1
        if cls.depth > 0:
            return
        module = sys.modules.get("numpy.random")
        for name, value in cls.saved.items():
            setattr(module, name, value)
        cls.saved = {}

    @staticmethod
    def _spy(name: str, func: Any) -> Any:
        @functools.wraps(func)
        def spy(*args: Any, **kwargs: Any) -> Any:
            active = STATE.local.active
            if active and _user_or_autograph(sys._getframe(1).f_code.co_filename):
                key = f"numpy.random.{name}"
                active[-1].side_effects[key] = active[-1].side_effects.get(key, 0) + 1
            return func(*args, **kwargs)

        return spy


def _record_site(method: str, fn: Any, npc: Any, frame_info: tuple[str, int, int | None, int]) -> Site:
    path, line, column, offset = frame_info
    nested = bool(STATE.local.active)
    if nested:
        offset = 0  # traced code (AutoGraph copies, several traces of one function): one site per line
    key = (path, line, method, offset)
    with STATE.lock:
        site = STATE.sites.get(key)
        if site is None:
            site = Site(
                key=key,
                index=len(STATE.sites),
                path=path,
                line=line,
                column=column,
                method=method,
                function=_callable_name(fn),
                original_npc=_npc_text(npc),
                nested=nested,
            )
            STATE.sites[key] = site
        STATE.build_order.append(key)
    return site


def _wrap_transformation(orig: Callable[..., Any], method: str, npc_param: str | None) -> Callable[..., Any]:
    sig = inspect.signature(orig)

    @functools.wraps(orig)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        info = user_frame(sys._getframe(1))
        if info is None:
            return orig(self, *args, **kwargs)
        try:
            bound = sig.bind(self, *args, **kwargs)
        except TypeError:
            return orig(self, *args, **kwargs)  # let TensorFlow raise its own error
        fn = bound.arguments.get("map_func", bound.arguments.get("predicate"))
        npc = bound.arguments.get(npc_param) if npc_param else None
        site = _record_site(method, fn, npc, info)
        site.parallel_capable = npc_param is not None
        override = STATE.overrides.get(site.key)
        if override is not None and npc_param is not None:
            bound.arguments[npc_param] = override.npc
            if method == "map" and "use_unbounded_threadpool" in sig.parameters:
                bound.arguments["use_unbounded_threadpool"] = override.unbounded
        call_kwargs = dict(bound.arguments)
        call_kwargs.pop("self")
        STATE.local.active.append(site)
        start = time.perf_counter()
        try:
            with _SideEffectProfiler(site, fn) if STATE.recording else _null():
                result = orig(self, **call_kwargs)
        finally:
            STATE.local.active.pop()
        elapsed = time.perf_counter() - start
        counter = STATE.counters.get(site.key)
        if counter is not None:
            result = count_outputs(result, counter)
        if STATE.recording:
            site.trace_seconds += elapsed
            site.input_ds = self
            site.fn = fn
            site.kwargs = {k: v for k, v in call_kwargs.items() if k not in ("map_func", "predicate")}
            ops, stateful = _function_ops(result)
            kinds = [PY_OPS[o] for o in ops if o in PY_OPS]
            if kinds:
                site.runs_python = True
                site.python_kind = site.py_func_kind or kinds[0]
            site.stateful = stateful
            if tf.executing_eagerly():
                with contextlib.suppress(Exception):
                    site.user_private_pool = self.options().threading.private_threadpool_size or None
        return result

    wrapper.__tfpar_original__ = orig  # type: ignore[attr-defined]
    return tf.autograph.experimental.do_not_convert(wrapper)


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None


def _wrap_from_generator(orig: Callable[..., Any]) -> Callable[..., Any]:
    sig = inspect.signature(orig)

    @functools.wraps(orig)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        info = user_frame(sys._getframe(1))
        if info is None:
            return orig(*args, **kwargs)
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError:
            return orig(*args, **kwargs)
        gen = bound.arguments.get("generator")
        site = _record_site("from_generator", gen, None, info)
        site.parallel_capable = False
        site.runs_python = True
        site.python_kind = "generator"
        site.stateful = True
        STATE.local.active.append(site)
        try:
            result = orig(**bound.arguments)
        finally:
            STATE.local.active.pop()
        counter = STATE.counters.get(site.key)
        if counter is not None:
            result = count_outputs(result, counter)
        if STATE.recording:
            site.generator_call = dict(bound.arguments)
            site.fn = gen
        return result

    wrapper.__tfpar_original__ = orig  # type: ignore[attr-defined]
    return tf.autograph.experimental.do_not_convert(wrapper)


def count_outputs(ds: Any, counter: Any) -> Any:
    """`ds` with a counter of its elements (for the counting build that relates a stage to the pipeline)."""

    def count(*element: Any) -> Any:
        with tf.control_dependencies([counter.assign_add(1)]):
            out = element[0] if len(element) == 1 else element
            return tf.nest.map_structure(lambda t: tf.identity(t) if isinstance(t, tf.Tensor) else t, out)

    return _ORIGINAL_MAP(ds, tf.autograph.experimental.do_not_convert(count))


def _wrap_apply_style(orig: Callable[..., Any], method: str) -> Callable[..., Any]:
    """`tf.data.experimental.map_and_batch` / `parallel_interleave` return a function for `Dataset.apply`
    and never reach `Dataset.map` (§6.3). The site is the user's call; the input dataset is seen when the
    returned function is applied."""
    sig = inspect.signature(orig)

    @functools.wraps(orig)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        info = user_frame(sys._getframe(1))
        if info is None:
            return orig(*args, **kwargs)
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError:
            return orig(*args, **kwargs)
        fn = bound.arguments.get("map_func")
        if method == "map_and_batch":
            npc = bound.arguments.get("num_parallel_calls")
            if npc is None and bound.arguments.get("num_parallel_batches") is not None:
                npc = bound.arguments["num_parallel_batches"] * bound.arguments.get("batch_size", 1)
        else:
            npc = bound.arguments.get("cycle_length")  # parallel_interleave reads cycle_length inputs at once
        site = _record_site(method, fn, npc, info)
        site.parallel_capable = method == "map_and_batch"
        site.factory = orig
        override = STATE.overrides.get(site.key)
        if override is not None and method == "map_and_batch":
            bound.arguments["num_parallel_batches"] = None
            bound.arguments["num_parallel_calls"] = override.npc
        call_kwargs = dict(bound.arguments)
        apply_fn = orig(**call_kwargs)

        def apply(dataset: Any) -> Any:
            STATE.local.active.append(site)
            try:
                with _SideEffectProfiler(site, fn) if STATE.recording else _null():
                    result = apply_fn(dataset)
            finally:
                STATE.local.active.pop()
            if STATE.recording:
                site.input_ds = dataset
                site.fn = fn
                site.kwargs = {k: v for k, v in call_kwargs.items() if k != "map_func"}
                ops, stateful = _function_ops(result)
                kinds = [PY_OPS[o] for o in ops if o in PY_OPS]
                if kinds:
                    site.runs_python = True
                    site.python_kind = site.py_func_kind or kinds[0]
                site.stateful = stateful
            counter = STATE.counters.get(site.key)
            if counter is not None:
                result = count_outputs(result, counter)
            return result

        return apply

    wrapper.__tfpar_original__ = orig  # type: ignore[attr-defined]
    return tf.autograph.experimental.do_not_convert(wrapper)


def _wrap_py_func(orig: Callable[..., Any], kind: str, func_param: str) -> Callable[..., Any]:
    sig = inspect.signature(orig)

    @functools.wraps(orig)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        active = STATE.local.active
        if not active:
            return orig(*args, **kwargs)
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError:
            return orig(*args, **kwargs)
        site = active[-1]
        func = bound.arguments[func_param]
        if STATE.recording and callable(func):
            site.py_funcs.append(func)
            site.py_func_kind = site.py_func_kind or kind
            bound.arguments[func_param] = _recorder(site, func, kind)
        return orig(**bound.arguments)

    return tf.autograph.experimental.do_not_convert(wrapper)


def _snapshot(value: Any) -> Any:
    import numpy as np

    if isinstance(value, (bytes, str, int, float, bool)):
        return value
    return np.array(value, copy=True)


def _recorder(site: Site, func: Callable[..., Any], kind: str) -> Callable[..., Any]:
    @functools.wraps(func)
    def record(*args: Any) -> Any:
        if len(site.recorded_inputs) < STATE.max_recorded:
            try:
                # copies: numpy_function arguments can share buffers that TensorFlow reuses
                values = tuple(_snapshot(a.numpy() if hasattr(a, "numpy") else a) for a in args)
                site.recorded_inputs.append(values)
            except Exception:  # noqa: BLE001
                pass
        return func(*args)

    return record


_ORIGINAL_MAP: Any = None


def install() -> None:
    global _ORIGINAL_MAP
    STATE.roots = _library_roots()
    _ORIGINAL_MAP = dataset_ops.DatasetV2.__dict__["map"]
    _ORIGINAL_MAP = getattr(_ORIGINAL_MAP, "__tfpar_original__", _ORIGINAL_MAP)
    for cls in (dataset_ops.DatasetV2, dataset_ops.DatasetV1):
        for method, npc_param in (
            ("map", "num_parallel_calls"),
            ("interleave", "num_parallel_calls"),
            ("flat_map", None),
            ("filter", None),
        ):
            orig = cls.__dict__.get(method)
            if orig is None or hasattr(orig, "__tfpar_original__"):
                continue
            setattr(cls, method, _wrap_transformation(orig, method, npc_param))
        gen = cls.__dict__.get("from_generator")
        if gen is not None:
            func = gen.__func__ if isinstance(gen, staticmethod) else gen
            if not hasattr(func, "__tfpar_original__"):
                cls.from_generator = staticmethod(_wrap_from_generator(func))
    for name in ("map_and_batch", "parallel_interleave"):
        orig = getattr(tf.data.experimental, name, None)
        if orig is not None and not hasattr(orig, "__tfpar_original__"):
            setattr(tf.data.experimental, name, _wrap_apply_style(orig, name))
    tf.py_function = _wrap_py_func(tf.py_function, "py_function", "func")
    tf.numpy_function = _wrap_py_func(tf.numpy_function, "numpy_function", "func")
    try:
        tf.compat.v1.py_func = _wrap_py_func(tf.compat.v1.py_func, "numpy_function", "func")
        tf.compat.v1.py_function = _wrap_py_func(tf.compat.v1.py_function, "py_function", "func")
        tf.compat.v1.numpy_function = _wrap_py_func(tf.compat.v1.numpy_function, "numpy_function", "func")
    except AttributeError:
        pass


def original(method: str) -> Callable[..., Any]:
    """The unpatched DatasetV2 method (for the probe's own replays)."""
    value = dataset_ops.DatasetV2.__dict__[method]
    if isinstance(value, staticmethod):
        value = value.__func__
    return getattr(value, "__tfpar_original__", value)
