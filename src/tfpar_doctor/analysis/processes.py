"""Processes, Keras workers and calls back into TensorFlow's runtime, read from the facts (TFP106, TFP201,
TFP202).

Three questions, each answered here once:
- which calls start worker processes, and with which start method (`process_starts`);
- whether a module has TensorFlow loaded when it runs, directly or through the project's own modules it
  imports (`tensorflow_import`);
- what a per-element Python body calls back into TensorFlow's runtime (`runtime_calls`): a tf.function, a
  Keras model or layer, `predict`, or iteration over a dataset. Cheap conversions (`.numpy()`,
  `tf.constant`, `tf.convert_to_tensor`) are not runtime calls: they run no graph function and need no
  inter-op thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from tfpar_doctor.analysis.facts import CallFact, FunctionFacts, ModuleFacts
from tfpar_doctor.analysis.index import ProjectIndex
from tfpar_doctor.analysis.values import Attr, CallResult, Const, SelfRef, Sym, Value
from tfpar_doctor.knowledge import keras as kk
from tfpar_doctor.knowledge import processes as pk
from tfpar_doctor.model import Location

# How far the analysis follows project imports looking for TensorFlow, and calls inside a body.
_IMPORT_DEPTH = 3
_CALL_DEPTH = 3


def own_module(index: ProjectIndex) -> ModuleFacts | None:
    """The checked file of a per-file index: `FileScopes.index_for` creates the index with it alone, and
    modules loaded later (imports followed on demand) come after it."""
    return next(iter(index.modules.values()), None)


def module_functions(module: ModuleFacts) -> Iterator[FunctionFacts]:
    """The module body (`<module>`) and every function and method of a module."""
    yield from module.functions.values()


# ---------------------------------------------------------------------------------------------- imports
def tensorflow_import(index: ProjectIndex, module: ModuleFacts, depth: int = 0,
                      seen: set[str] | None = None) -> str | None:
    """How TensorFlow gets into `module`: "tensorflow" when it imports TensorFlow (or Keras) itself, the
    dotted name of the project module that brings it otherwise, None when nothing the analyzer can see
    does. A worker module that keeps TensorFlow out is the fix TFP202 recommends, so this must see
    through the project's helpers (`from .models import build` where `models` imports TensorFlow)."""
    if module.imports_tensorflow or _imports_keras(module):
        return "tensorflow"
    if depth >= _IMPORT_DEPTH:
        return None
    seen = seen if seen is not None else {module.module}
    for name in _imported_project_modules(index, module):
        if name in seen:
            continue
        seen.add(name)
        imported = index.module(name)
        if imported is not None and tensorflow_import(index, imported, depth + 1, seen) is not None:
            return name
    return None


def _imports_keras(module: ModuleFacts) -> bool:
    return any(isinstance(v, Sym) and v.name.split(".", 1)[0] in ("keras", "tf_keras")
               for v in module.globals.values())


def _imported_project_modules(index: ProjectIndex, module: ModuleFacts) -> list[str]:
    """Modules of the project that `module` imports, from the names its imports bind."""
    found: list[str] = []
    for value in module.globals.values():
        if not isinstance(value, Sym) or value.name.split(".", 1)[0] in _EXTERNAL_ROOTS:
            continue
        parts = value.name.split(".")
        # `from pkg.models import build` binds `pkg.models.build`: the longest prefix that is a module.
        for end in range(len(parts), 0, -1):
            name = ".".join(parts[:end])
            if name == module.module:
                break
            if index.module(name) is not None:
                found.append(name)
                break
    return list(dict.fromkeys(found))


# Roots never followed into source: the standard library and the libraries the knowledge tables describe.
_EXTERNAL_ROOTS = frozenset({
    "tensorflow", "keras", "tf_keras", "numpy", "multiprocessing", "concurrent", "os", "sys", "re", "json",
    "time", "functools", "itertools", "collections", "typing", "pathlib", "logging", "random", "math",
    "dataclasses", "abc", "argparse", "threading", "queue", "subprocess", "absl", "tensorflow_datasets",
})


# ---------------------------------------------------------------------------------------------- processes
@dataclass(frozen=True, slots=True)
class WorkerInput:
    """An input Keras runs on worker processes."""

    description: str  # as shown to users: "the Sequence `Frames` (`x`)", "the generator `batches` (`x`)"
    generator: bool  # a generator object: spawned workers cannot take it (it does not pickle)


@dataclass(frozen=True, slots=True)
class ProcessStart:
    """A call that starts worker processes."""

    call: CallFact
    what: str  # as shown to users: "multiprocessing.Pool(...)", "use_multiprocessing=True"
    start_method: str | None  # "fork", "spawn", "forkserver"; None: the platform default
    keras: bool  # Keras workers (`use_multiprocessing=True`): they use the default start method
    runs: WorkerInput | None = None  # what Keras runs in the workers of a `fit`-like call; None for others

    @property
    def location(self) -> Location:
        return self.call.location


def process_starts(index: ProjectIndex, module: ModuleFacts) -> Iterator[ProcessStart]:
    for func in module_functions(module):
        for call in func.calls:
            start = _process_start(index, call)
            if start is not None:
                yield start


def _process_start(index: ProjectIndex, call: CallFact) -> ProcessStart | None:
    keras_flag = call.kwarg(pk.KERAS_MULTIPROCESSING_KEYWORD)
    if keras_flag is not None:
        if not (isinstance(keras_flag, Const) and keras_flag.value is True):
            return None
        if _no_process_workers(index, call):
            return None
        what = f"`{call.text}(..., use_multiprocessing=True)`"
        method = fit_method(index, call)
        if method is None:
            return ProcessStart(call, what, None, True)  # a PyDataset or an enqueuer: its workers fork
        runs = fit_worker_input(index, call, method)
        # Keras 2 forks for a generator or a Sequence only. A tf.data dataset or arrays it reads in-process,
        # ignoring the flag; an input the analysis cannot trace may be either: silent rather than a guess.
        return ProcessStart(call, what, None, True, runs) if runs is not None else None
    name = index.qualified_name(call.callee)
    if name in pk.PROCESS_STARTERS:
        method = None
        context = call.kwarg(pk.EXECUTOR_CONTEXT_KEYWORD)
        if context is not None:
            method = _context_method(index, context, unknown="unknown")
        return ProcessStart(call, f"`{call.text}(...)`", method, False)
    for option in _callee_options(index, call.callee):
        if isinstance(option, Attr) and option.name in pk.CONTEXT_STARTER_METHODS:
            method = _context_method(index, option.base, unknown=None)
            if method is not None:
                return ProcessStart(call, f"`{call.text}(...)`", method, False)
    return None


def _callee_options(index: ProjectIndex, callee: Value) -> list[Value]:
    return [callee, *index.expand(callee)]


def _context_method(index: ProjectIndex, value: Value, unknown: str | None) -> str | None:
    """The start method of `multiprocessing.get_context(...)` (its default: "default"); `unknown` when
    the value is not such a context or its argument cannot be read."""
    for option in index.expand(value):
        if isinstance(option, CallResult) and index.qualified_name(option.callee) in pk.CONTEXT_FACTORIES:
            argument = option.args[0] if option.args else dict(option.kwargs).get("method")
            if argument is None or (isinstance(argument, Const) and argument.value is None):
                return "default"
            if isinstance(argument, Const) and isinstance(argument.value, str):
                return argument.value
            return "unknown"
    return unknown


def start_method_set(index: ProjectIndex) -> str | None:
    """The start method `multiprocessing.set_start_method(...)` sets in any module the analysis has loaded
    (the script's `if __name__ == "__main__":` block runs before the pools it then creates). "unknown"
    when the argument cannot be read."""
    for module in list(index.modules.values()):
        for func in module_functions(module):
            for call in func.calls:
                if index.qualified_name(call.callee) in pk.START_METHOD_SETTERS:
                    argument = call.argument(0, "method")
                    if isinstance(argument, Const) and isinstance(argument.value, str):
                        return argument.value
                    return "unknown"
    return None


def default_start_method(target_python: tuple[int, int] | None) -> str:
    """Linux's default start method for the project's target Python (unknown: below 3.14, fork)."""
    if target_python is not None and target_python >= pk.FORKSERVER_DEFAULT_FROM:
        return "forkserver"
    return pk.LINUX_DEFAULT_START_METHOD


def effective_start_method(start: ProcessStart, process_wide: str | None,
                           target_python: tuple[int, int] | None = None) -> str:
    """The start method a start uses: its own context's, else the process-wide one, else the default."""
    method = start.start_method
    if method in (None, "default"):
        method = process_wide
    return default_start_method(target_python) if method in (None, "default") else method


# ---------------------------------------------------------------------------------------------- runtime calls
@dataclass(frozen=True, slots=True)
class RuntimeCall:
    """A call from per-element Python back into TensorFlow's runtime."""

    description: str  # "calls the tf.function `encode`", "runs the Keras model `teacher.predict`"
    location: Location
    retraces: bool = False  # Keras `predict`/`evaluate`: a function retraced per call


def runtime_calls(index: ProjectIndex, functions: list[FunctionFacts]) -> list[RuntimeCall]:
    """What `functions` (and the project functions they call) call back into TensorFlow's runtime."""
    found: list[RuntimeCall] = []
    seen: set[str] = set()
    for func in functions:
        _collect_runtime(index, func, found, seen, 0)
    return list({(c.description, c.location): c for c in found}.values())


def _collect_runtime(index: ProjectIndex, func: FunctionFacts, found: list[RuntimeCall], seen: set[str],
                     depth: int) -> None:
    if func.id in seen or depth > _CALL_DEPTH:
        return
    seen.add(func.id)
    for loop in func.loops:
        if loop.iterable is not None and loop.kind == "for" and index.is_dataset(loop.iterable):
            found.append(RuntimeCall("iterates over a tf.data dataset", loop.location))
    for call in func.calls:
        hit = _runtime_call(index, call)
        if hit is not None:
            found.append(hit)
            continue
        for target in index.targets(call.callee):
            if not target.python_callback:
                _collect_runtime(index, target.function, found, seen, depth + 1)


def _runtime_call(index: ProjectIndex, call: CallFact) -> RuntimeCall | None:
    name = index.qualified_name(call.callee)
    if name in kk.ITERATING_BUILTINS and call.args and index.is_dataset(call.args[0]):
        return RuntimeCall(f"iterates over a tf.data dataset (`{call.text}(...)`)", call.location)
    for target in index.targets(call.callee):
        if is_tf_function(index, target.function):
            return RuntimeCall(f"calls the tf.function `{target.function.name}`", call.location)
    for option in _callee_options(index, call.callee):
        if not isinstance(option, Attr):
            continue
        if option.name in kk.ITERATING_DATASET_METHODS and index.is_dataset(option.base):
            return RuntimeCall(f"iterates over a tf.data dataset (`{call.text}()`)", call.location)
        if option.name in kk.MODEL_RUN_METHODS and is_model(index, option.base):
            return RuntimeCall(f"runs the Keras model `{call.text}`", call.location,
                               retraces=option.name in kk.RETRACING_METHODS)
    if is_model(index, call.callee):  # `model(x)`, `self.teacher(x)`
        return RuntimeCall(f"calls the Keras model `{call.text}`", call.location)
    return None


def is_tf_function(index: ProjectIndex, func: FunctionFacts) -> bool:
    """Decorated with `@tf.function` or `@tf.function(...)`."""
    for decorator in func.decorators:
        for option in index.expand(decorator):
            callee = option.callee if isinstance(option, CallResult) else option
            if index.qualified_name(callee) in kk.TF_FUNCTION_DECORATORS:
                return True
    return False


def is_model(index: ProjectIndex, value: Value, depth: int = 0) -> bool:
    """`value` holds a Keras model or layer, a SavedModel or a hub layer: made by a call the knowledge
    table lists, or an instance of a project class that subclasses one."""
    if depth > 4:
        return False
    for option in index.expand(value):
        if isinstance(option, CallResult):
            name = index.qualified_name(option.callee)
            if name is not None and name.startswith(kk.MODEL_ORIGIN_PREFIXES):
                return True
            if any(_is_model_class(index, c) for c in index.expand(option.callee)):
                return True
    return False


def _is_model_class(index: ProjectIndex, value: Value) -> bool:
    if not isinstance(value, Sym) or value.name not in index.classes:
        return False
    for cls in index.mro(value.name):
        for base in cls.bases:
            name = index.qualified_name(base)
            if name is not None and name.startswith(kk.MODEL_BASE_PREFIXES):
                return True
    return False


# ---------------------------------------------------------------------------------------------- Keras workers
@dataclass(frozen=True, slots=True)
class WorkersUse:
    """A call that gives a Keras PyDataset/Sequence thread workers."""

    call: CallFact
    workers: int
    getitem: FunctionFacts | None  # the data source's `__getitem__`, when the analyzer can tell
    source: str  # the data source's class name, as shown to users


def pydataset_class(index: ProjectIndex, value: Value) -> str | None:
    """The id of the project class `value` names when it subclasses a Keras PyDataset or Sequence."""
    for option in [value, *index.expand(value)]:
        if isinstance(option, Sym) and option.name in index.classes:
            for cls in index.mro(option.name):
                if any(index.qualified_name(base) in kk.PYDATASET_BASES for base in cls.bases):
                    return option.name
        if isinstance(option, SelfRef):
            return pydataset_class(index, Sym(option.cls))
    return None


def thread_worker_uses(index: ProjectIndex, module: ModuleFacts) -> Iterator[WorkersUse]:
    """Calls in `module` that ask for more than one thread worker for a project PyDataset: its
    construction (`Source(..., workers=4)`), its `super().__init__(workers=4)`, or Keras 2's
    `fit(source, workers=4)`. `use_multiprocessing=True` makes processes (TFP202); an unknown count is
    silent."""
    for func in module_functions(module):
        for call in func.calls:
            workers = index.integer(call.kwarg(kk.WORKERS_KEYWORD))
            if workers is None or workers < kk.MIN_THREAD_WORKERS or _uses_processes(call):
                continue
            cls = _worker_source(index, func, call)
            if cls is None:
                continue
            getitem_id = _method_id(index, cls, "__getitem__")
            getitem = index.functions.get(getitem_id) if getitem_id else None
            yield WorkersUse(call, workers, getitem, index.classes[cls].name)


def _no_process_workers(index: ProjectIndex, call: CallFact) -> bool:
    """`use_multiprocessing=True` beside `workers=0`: Keras starts no pool below `kk.MIN_PROCESS_WORKERS`; it
    calls `__getitem__` or the generator on the thread that trains, and nothing forks. Only when every count
    the call can pass is that low: a count the analysis cannot read may start workers, and a call without
    `workers=` takes Keras's default, one worker process."""
    counts = index.integers(call.kwarg(kk.WORKERS_KEYWORD))
    return counts is not None and max(counts) < kk.MIN_PROCESS_WORKERS


def _uses_processes(call: CallFact) -> bool:
    flag = call.kwarg(pk.KERAS_MULTIPROCESSING_KEYWORD)
    return flag is not None and not (isinstance(flag, Const) and flag.value in (False, None, 0))


def _worker_source(index: ProjectIndex, func: FunctionFacts, call: CallFact) -> str | None:
    """The PyDataset class the workers run: the class constructed, the class whose `__init__` calls
    `super().__init__(workers=...)`, or the data argument of `fit`."""
    cls = pydataset_class(index, call.callee)
    if cls is not None:
        return cls
    if isinstance(call.callee, Attr) and call.callee.name == "__init__" and func.owner_class is not None:
        return pydataset_class(index, Sym(func.owner_class))
    if fit_method(index, call) is not None:
        data = call.argument(0, "x")
        for option in index.expand(data) if data is not None else ():
            if isinstance(option, CallResult):
                found = pydataset_class(index, option.callee)
                if found is not None:
                    return found
    return None


def fit_method(index: ProjectIndex, call: CallFact) -> str | None:
    """`fit`, `evaluate_generator`, ... when `call` calls one of Keras's training methods, else None."""
    for option in _callee_options(index, call.callee):
        if isinstance(option, Attr) and option.name in kk.FIT_METHODS:
            return option.name
    return None


def fit_worker_input(index: ProjectIndex, call: CallFact, method: str) -> WorkerInput | None:
    """What a Keras 2 training call runs in its workers, as shown to users, when one of its data arguments
    (`x`, `validation_data`) is a generator or a Sequence the analysis can see; None when none is: Keras
    starts workers for nothing else."""
    for position, keyword in kk.FIT_DATA_ARGUMENTS[method]:
        value = call.argument(position, keyword)
        runs = worker_input(index, value) if value is not None else None
        if runs is not None:
            return replace(runs, description=f"{runs.description} (`{keyword}`)")
    return None


def worker_input(index: ProjectIndex, value: Value, depth: int = 0) -> WorkerInput | None:
    """`value` when it is an input Keras runs on worker processes: an instance of a
    project Sequence/PyDataset, a Keras Sequence (`ImageDataGenerator().flow_from_directory(...)`), or a
    generator made by a project generator function (also through a project function that returns one)."""
    for option in [value, *index.expand(value)]:
        if isinstance(option, SelfRef):
            cls = pydataset_class(index, option)
            if cls is not None:
                return WorkerInput(f"the Sequence `{index.classes[cls].name}`", False)
        if not isinstance(option, CallResult):
            continue
        cls = pydataset_class(index, option.callee)
        if cls is not None:
            return WorkerInput(f"the Sequence `{index.classes[cls].name}`", False)
        name = index.qualified_name(option.callee)
        if name is not None and name.startswith(kk.SEQUENCE_CLASSES):
            return WorkerInput(f"the Keras Sequence `{name.rsplit('.', 1)[-1]}`", False)
        callee = option.callee
        if isinstance(callee, Attr) and callee.name in kk.SEQUENCE_FACTORY_METHODS:
            origin = index.origin(callee.base)
            if origin is not None and origin.startswith(kk.SEQUENCE_FACTORIES):
                return WorkerInput(f"the Sequence that `{callee.name}(...)` returns", False)
        for target in index.targets(callee):
            if target.function.is_generator:
                return WorkerInput(f"the generator `{target.function.name}`", True)
            for returned in target.function.returns if depth < _CALL_DEPTH else ():
                runs = worker_input(index, returned, depth + 1)
                if runs is not None:
                    return runs
    return None


def _method_id(index: ProjectIndex, cls_id: str, name: str) -> str | None:
    for cls in index.mro(cls_id):
        if name in cls.methods:
            return cls.methods[name]
    return None
