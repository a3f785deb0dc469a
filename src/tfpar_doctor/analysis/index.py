"""The project index: resolves symbolic values across the modules of the checked tree.

It answers three questions the rules ask: *which functions can this value be when called*, *is this
value a tf.data dataset*, and *what constant is this*. Modules that did not pass the prefilter are
loaded on demand when a name leads into them (a map in `train.py` must see the py_function in
`data/audio.py`, which may never mention tf.data itself).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tfpar_doctor.analysis.facts import CallFact, ClassFacts, FunctionFacts, ModuleFacts, Site
from tfpar_doctor.analysis.values import (
    Attr,
    CallResult,
    Choice,
    Const,
    FuncRef,
    Item,
    Param,
    SelfRef,
    Sequence,
    Sym,
    Unknown,
    Value,
)
from tfpar_doctor.knowledge import tfdata

AUTOTUNE = -1
_MAX_DEPTH = 24
_MAX_TARGET_DEPTH = 10
# Class names of tf.data datasets, as annotations and as base classes of user datasets.
_DATASET_CLASS_NAMES = frozenset({"Dataset", "DatasetV2", "DatasetV1"})

# Loads the facts of a module by dotted name, or None when the module is not part of the project.
ModuleLoader = Callable[[str], "ModuleFacts | None"]


@dataclass(frozen=True, slots=True)
class Target:
    """A function a value may call, with how it gets there."""

    function: FunctionFacts
    # True when reached through a decorator or wrapper that runs it per element as Python.
    python_callback: bool = False


class ProjectIndex:
    def __init__(
        self,
        modules: dict[str, ModuleFacts],
        loader: ModuleLoader | None = None,
        deferred: Callable[[], dict[str, Path]] | None = None,
    ) -> None:
        """`deferred`: the other modules of the project, by name, asked for only when the index looks for
        subclasses (`_overrides`)."""
        self.modules: dict[str, ModuleFacts] = {}
        self.functions: dict[str, FunctionFacts] = {}
        self.classes: dict[str, ClassFacts] = {}
        self._loader = loader
        self._deferred_source = deferred
        self._deferred: dict[str, Path] | None = None
        self._missing: set[str] = set()
        self._searched_names: set[str] = set()  # class names the deferred modules were searched for
        self._dataset_params: dict[str, set[str]] = {}
        self._datasets: dict[Value, bool] = {}  # is_dataset's answers
        self._asking_dataset: set[Value] = set()  # values is_dataset is answering (cycles)
        self._dataset_cuts = 0  # answers cut short by a cycle or the depth cap
        self._calls_by_name: dict[str, list[CallFact]] = {}
        self._calls_by_name_size = -1
        self._targets_cache: dict[Value, list[Target]] = {}
        self._expanded: dict[Value, tuple[Value, ...]] = {}
        self._expanding: set[Value] = set()  # values whose expansion is under way (cycles)
        for facts in modules.values():
            self.add(facts)

    # ------------------------------------------------------------------ modules
    def add(self, facts: ModuleFacts) -> None:
        self.modules[facts.module] = facts
        self.functions.update(facts.functions)
        self.classes.update(facts.classes)

    def module(self, name: str) -> ModuleFacts | None:
        if name in self.modules:
            return self.modules[name]
        if self._loader is None or name in self._missing:
            return None
        facts = self._loader(name)
        if facts is None:
            self._missing.add(name)
            return None
        self.add(facts)
        # The loader may know the module under a longer or shorter dotted name.
        self.modules.setdefault(name, facts)
        return facts

    def lookup_symbol(self, qualified: str, depth: int = 0) -> Value | None:
        """What a fully qualified global name refers to inside the project, or None if external."""
        return self._lookup_symbol(qualified, depth, {})

    def _lookup_symbol(self, qualified: str, depth: int, seen: dict[str, Value | None]) -> Value | None:
        """One query visits each name once: `seen` holds the names it has looked up, and a name met again
        gives the answer it gave (None while its own lookup is still running: a cycle). Packages whose
        star imports import one another (tensorpack's `from .x import *` in every `__init__`) otherwise
        walk every path between them down to the depth cap: one 715-line file ran for minutes."""
        if qualified in seen:
            return seen[qualified]
        seen[qualified] = None
        found = self._lookup_once(qualified, depth, seen)
        seen[qualified] = found
        return found

    def _lookup_once(self, qualified: str, depth: int, seen: dict[str, Value | None]) -> Value | None:
        if depth > _MAX_DEPTH:
            return None
        if qualified in self.functions:
            return FuncRef(qualified)
        if qualified in self.classes:
            return Sym(qualified)
        if "." not in qualified:
            return None
        module_name, name = qualified.rsplit(".", 1)
        module = self._module_prefix(module_name)
        if module is None:
            if self.module(qualified) is not None:
                return Sym(qualified)  # a module of the project
            return None
        facts, rest = module
        if rest:
            base = self._lookup_symbol(f"{facts.module}.{rest[0]}", depth + 1, seen)
            if base is None:
                return None
            for part in rest[1:]:
                base = Attr(base, part)
            return Attr(base, name)
        if f"{facts.module}.{name}" in self.functions:
            return FuncRef(f"{facts.module}.{name}")
        if f"{facts.module}.{name}" in self.classes:
            return Sym(f"{facts.module}.{name}")
        if name in facts.globals:
            value = facts.globals[name]
            if value == Sym(qualified):
                return None
            return value
        if self.module(qualified) is not None:
            return Sym(qualified)
        for star in facts.star_imports:
            found = self._lookup_symbol(f"{star}.{name}", depth + 1, seen)
            if found is not None:
                return found
        return None

    def _module_prefix(self, dotted: str) -> tuple[ModuleFacts, list[str]] | None:
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            facts = self.module(".".join(parts[:cut]))
            if facts is not None:
                return facts, parts[cut:]
        return None

    # ------------------------------------------------------------------ values
    def expand(self, value: Value, depth: int = 0) -> Iterator[Value]:
        """Concrete alternatives of a value: choices split, project symbols followed.

        Every value is expanded once and remembered, at any depth: attribute chains over classes whose
        attributes are assigned from one another (`self.a = self.b.c` in a 300-line data layer) otherwise
        expand the same sub-values exponentially often before the depth cap. A value met again while it
        is being expanded (a cycle) adds nothing. Modules load on demand *during* a lookup, so an answer
        once given stays right."""
        cached = self._expanded.get(value)
        if cached is None:
            if depth > _MAX_DEPTH or value in self._expanding:
                return
            self._expanding.add(value)
            try:
                cached = tuple(dict.fromkeys(self._expand(value, depth)))
            finally:
                self._expanding.discard(value)
            self._expanded[value] = cached
        yield from cached

    def _expand(self, value: Value, depth: int) -> Iterator[Value]:
        if isinstance(value, Choice):
            for option in value.options:
                yield from self.expand(option, depth + 1)
            return
        if isinstance(value, Sym):
            target = self.lookup_symbol(value.name)
            if target is not None and target != value:
                yield from self.expand(target, depth + 1)
                return
        if isinstance(value, Attr):
            for base in self.expand(value.base, depth + 1):
                member = self.member(base, value.name, depth + 1)
                if member is None and isinstance(base, Sym) and base.name not in self.classes:
                    # An attribute of a library name through an alias (`Dataset = tf.data.Dataset`).
                    yield Sym(f"{base.name}.{value.name}")
                elif member is None:
                    yield Attr(base, value.name) if base != value.base else value
                else:
                    yield from self.expand(member, depth + 1)
            return
        yield value

    def member(self, base: Value, name: str, depth: int = 0) -> Value | None:
        """`base.name` when base is a class, an instance of a project class or a project module."""
        if depth > _MAX_DEPTH:
            return None
        cls_id: str | None = None
        instance = False
        if isinstance(base, SelfRef):
            cls_id, instance = base.cls, True
        elif isinstance(base, Sym) and base.name in self.classes:
            cls_id = base.name
        elif isinstance(base, CallResult):
            for callee in self.expand(base.callee, depth + 1):
                if isinstance(callee, Sym) and callee.name in self.classes:
                    cls_id, instance = callee.name, True
                    break
        elif isinstance(base, Sym):
            module = self.module(base.name)
            if module is not None:
                return self.lookup_symbol(f"{base.name}.{name}", depth + 1) or Sym(f"{base.name}.{name}")
        if cls_id is None:
            return None
        for cls in self.mro(cls_id):
            if name in cls.methods:
                method = self.functions.get(cls.methods[name])
                if instance and method is not None and method.is_abstract:
                    # `self._load(x)` in a base class whose `_load` is a stub: the subclasses' versions run,
                    # of those that run the method this `self` is in (how-check-decides, reading 10).
                    running = base if isinstance(base, SelfRef) and base.method else None
                    overrides = self._overrides(cls.id, name, running)
                    if overrides:
                        return Choice(tuple(overrides)) if len(overrides) > 1 else overrides[0]
                return FuncRef(cls.methods[name])
            if name in cls.attributes:
                values = [v for v in cls.attributes[name] if not (isinstance(v, SelfRef) and v.cls == cls.id)]
                if values:
                    return Choice(tuple(values)) if len(values) > 1 else values[0]
        _ = instance
        return None

    def _overrides(self, cls_id: str, name: str, running: SelfRef | None = None) -> list[Value]:
        """Methods `name` of project classes that derive from `cls_id`; with `running` (the `self` of a
        method of a base class), only those of subclasses that run that method (`_runs_method`).

        A subclass may live in a checked file that holds no dataset call and was never parsed: load
        those whose text names the base class, then those that name a subclass found so far (a class
        deriving from an intermediate class in another file names only that one).
        """
        names = {cls_id.rsplit(".", 1)[-1]}
        while True:
            self._load_mentioning(names)
            derived = [
                other
                for other in list(self.classes.values())
                if other.id != cls_id and any(base.id == cls_id for base in self.mro(other.id))
            ]
            more = {other.name for other in derived} - names
            if not more:
                break
            names |= more
        return [
            FuncRef(other.methods[name])
            for other in derived
            if name in other.methods and (running is None or self._runs_method(other.id, running))
        ]

    def _load_mentioning(self, names: set[str]) -> None:
        """Load the deferred modules whose text contains one of `names` (each name is looked for once)."""
        if self._deferred is None:
            self._deferred = dict(self._deferred_source()) if self._deferred_source is not None else {}
        wanted = [n.encode() for n in names - self._searched_names]
        self._searched_names |= names
        if not wanted:
            return
        for module, path in list(self._deferred.items()):
            if module in self.modules:
                continue
            try:
                text = path.read_bytes()
            except OSError:
                continue
            if any(n in text for n in wanted):
                self.module(module)
                self._deferred.pop(module, None)

    def _runs_method(self, cls_id: str, running: SelfRef) -> bool:
        """Whether an instance of `cls_id` can run `running.method` of `running.cls` with itself as `self`:
        it derives from `running.cls` (a sibling class that shares only the abstract base never does) and
        inherits that method, or the override it inherits may hand over to it (`super().create()`,
        `Base.create(self)`: any call of that name on something other than `self`). A subclass whose
        own `create` replaces the base's never runs the base's body, so its other overrides do not
        reach there (an abstract `generator` that the base's `create` feeds to `from_generator`)."""
        owner = self.classes.get(running.cls)
        base_method = owner.methods.get(running.method) if owner is not None else None
        if base_method is None:
            return True  # not a method we can see: keep every subclass
        mro = list(self.mro(cls_id))
        if all(cls.id != running.cls for cls in mro):
            return False
        for cls in mro:
            if running.method not in cls.methods:
                continue
            found = cls.methods[running.method]
            if found == base_method:
                return True
            func = self.functions.get(found)
            return func is None or any(_may_call_method(call.callee, running.method) for call in func.calls)
        return True  # resolution lost a base on the way (a library class between): keep it

    def mro(self, cls_id: str, depth: int = 0) -> Iterator[ClassFacts]:
        cls = self.classes.get(cls_id)
        if cls is None or depth > 8:
            return
        yield cls
        for base in cls.bases:
            for resolved in self.expand(base, depth + 1):
                if isinstance(resolved, Sym) and resolved.name in self.classes:
                    yield from self.mro(resolved.name, depth + 1)

    def qualified_name(self, value: Value) -> str | None:
        """The external (library) name a value stands for, e.g. `numpy.random.uniform`."""
        for option in self.expand(value):
            if (
                isinstance(option, Sym)
                and option.name not in self.classes
                and option.name not in self.functions
            ):
                return option.name
        return None

    def origin(self, value: Value, depth: int = 0) -> str | None:
        """For a method receiver: the library call that produced the object (`PIL.Image.open`)."""
        if depth > 6:
            return None
        for option in self.expand(value):
            if isinstance(option, CallResult):
                name = self.qualified_name(option.callee)
                if name is not None:
                    return name
                if isinstance(option.callee, Attr):
                    return self.origin(option.callee.base, depth + 1)
            if isinstance(option, (Attr, Item)):
                return self.origin(option.base, depth + 1)
        return None

    # ------------------------------------------------------------------ callables
    def targets(self, value: Value, depth: int = 0) -> list[Target]:
        """Project functions that calling `value` may run (memoised at the top level)."""
        if depth == 0 and value in self._targets_cache:
            return self._targets_cache[value]
        found: list[Target] = []
        seen: set[str] = set()
        for target in self._targets(value, depth, False):
            key = (target.function.id, target.python_callback)
            if str(key) not in seen:
                seen.add(str(key))
                found.append(target)
        if depth == 0:
            self._targets_cache[value] = found
        return found

    def _targets(self, value: Value, depth: int, python: bool) -> Iterator[Target]:
        # Wrappers and factories nest a few levels in real code; deeper chains only multiply work.
        if depth > _MAX_TARGET_DEPTH:
            return
        for option in self.expand(value, depth):
            if isinstance(option, FuncRef):
                func = self.functions.get(option.id)
                if func is not None:
                    yield Target(func, python or self.is_python_decorated(func))
            elif isinstance(option, Sym) and option.name in self.classes:
                # Calling a class runs __init__; an instance passed as a function runs __call__.
                continue
            elif isinstance(option, CallResult):
                callee_name = self.qualified_name(option.callee)
                if callee_name in tfdata.TRANSPARENT_WRAPPERS and option.args:
                    yield from self._targets(option.args[0], depth + 1, python)
                    continue
                if callee_name in tfdata.PYTHON_CALLBACKS:
                    position, keyword = tfdata.PYTHON_CALLBACKS[callee_name]
                    inner = option.args[position] if position < len(option.args) else option.kwarg(keyword)
                    if inner is not None:
                        yield from self._targets(inner, depth + 1, True)
                    continue
                for callee in self.expand(option.callee, depth + 1):
                    if isinstance(callee, Sym) and callee.name in self.classes:
                        call = self.member(callee, "__call__", depth + 1)
                        if call is not None:
                            yield from self._targets(call, depth + 1, python)
                    elif isinstance(callee, FuncRef) and callee.id in self.functions:
                        # A factory: the function it returns.
                        for returned in self.functions[callee.id].returns:
                            if isinstance(returned, (FuncRef, CallResult, Choice, Attr, Sym)):
                                yield from self._targets(returned, depth + 1, python)

    def is_python_decorated(self, func: FunctionFacts) -> bool:
        """Decorated with `@tf.py_function(Tout=...)` or a project decorator that wraps in one."""
        for decorator in func.decorators:
            for option in self.expand(decorator):
                if isinstance(option, CallResult):
                    name = self.qualified_name(option.callee)
                    if name in tfdata.PYTHON_CALLBACKS:
                        position, keyword = tfdata.PYTHON_CALLBACKS[name]
                        has_func = position < len(option.args) or option.kwarg(keyword) is not None
                        if not has_func:
                            return True
                    elif self._wraps_in_callback(option.callee):
                        return True
                    elif any(self._wraps_in_callback(FuncRef(t.function.id)) for t in self.targets(option)):
                        return True  # a decorator factory: `@py_func_decorator(output_types=...)`
                elif self._wraps_in_callback(option):
                    return True
        return False

    def _wraps_in_callback(self, decorator: Value) -> bool:
        for option in self.expand(decorator):
            if not isinstance(option, FuncRef) or option.id not in self.functions:
                continue
            deco = self.functions[option.id]
            if not deco.params:
                continue
            wrapped = Param(deco.id, deco.params[0])
            for func in self._nested(deco):
                for call in func.calls:
                    name = self.qualified_name(call.callee)
                    if name in tfdata.PYTHON_CALLBACKS:
                        position, keyword = tfdata.PYTHON_CALLBACKS[name]
                        inner = call.argument(position, keyword)
                        if inner is not None and _mentions(inner, wrapped):
                            return True
        return False

    def _nested(self, func: FunctionFacts) -> Iterator[FunctionFacts]:
        yield func
        prefix = func.id + ".<locals>."
        lambda_prefix = func.id + ".<lambda"
        for other in self.modules[func.module].functions.values() if func.module in self.modules else ():
            if other.id.startswith(prefix) or other.id.startswith(lambda_prefix):
                yield other

    # ------------------------------------------------------------------ datasets
    def is_dataset(self, value: Value | None, depth: int = 0) -> bool:
        """Whether `value` may be a tf.data dataset.

        Remembered per value: `self.ds = self.ds.shuffle(10)` makes `self.ds` one of its own receivers, and
        a negative answer (a Hugging Face dataset) otherwise explored every path to the depth cap, 2^24 of
        them for three assignments, and `check` never finished. A value met again while it is being asked
        about is not a dataset on that path; an answer that rests on such a cut (or on the depth cap) is
        not remembered unless it is positive, so every answer is the same whatever was asked before."""
        if value is None:
            return False
        known = self._datasets.get(value)
        if known is not None:
            return known
        if depth > _MAX_DEPTH or value in self._asking_dataset:
            self._dataset_cuts += 1
            return False
        cuts = self._dataset_cuts
        self._asking_dataset.add(value)
        try:
            found = any(self._is_dataset_option(option, depth) for option in self.expand(value, depth))
        finally:
            self._asking_dataset.discard(value)
        if found or self._dataset_cuts == cuts:
            self._datasets[value] = found
        return found

    def _is_dataset_option(self, option: Value, depth: int) -> bool:
        if isinstance(option, CallResult):
            callee_name = self.qualified_name(option.callee)
            if callee_name is not None and callee_name in tfdata.DATASET_CONSTRUCTORS:
                return True
            if (
                callee_name is not None
                and callee_name.rsplit(".", 1)[-1] in tfdata.DATASET_CONSTRUCTOR_SUFFIXES
            ):
                return callee_name.startswith(("tensorflow.", "tensorflow_datasets.", "keras."))
            callee = option.callee
            if isinstance(callee, Attr) and callee.name in tfdata.DATASET_METHODS:
                if option.site is not None and self.is_tfdata_call(
                    callee.name, option.args, (k for k, _ in option.kwargs)
                ):
                    return True
                return self.is_dataset(callee.base, depth + 1)
            if self._is_dataset_class_call(option.callee, depth):
                return True
            for target in self.targets(option.callee, depth + 1):
                if self._is_dataset_annotation(target.function.annotations.get("return")):
                    return True
                if any(self.is_dataset(r, depth + 1) for r in target.function.returns):
                    return True
            return False
        if isinstance(option, Param):
            return self._is_dataset_param(option, depth)
        if isinstance(option, Item):
            return self._is_dataset_item(option, depth)
        if isinstance(option, Sequence):
            return any(self.is_dataset(item, depth + 1) for item in option.items)
        return False

    def is_tfdata_call(self, method: str, args: tuple[Value, ...], keywords: Iterable[str]) -> bool:
        """Whether a call of a dataset method's name is tf.data's whatever its receiver: it carries a keyword
        only tf.data takes (`num_parallel_calls=`, `deterministic=`, ...), or passes tf.data's AUTOTUNE in
        the position of `num_parallel_calls` (`ds.map(f, tf.data.AUTOTUNE)`, how much real code writes it).
        No other library's `map` takes that constant; a positional number (`ds.map(f, 4)`) is not evidence,
        since other `map` methods take numbers and iterables there."""
        if any(k in tfdata.TFDATA_ONLY_KEYWORDS for k in keywords):
            return True
        position = tfdata.NUM_PARALLEL_CALLS_POSITION.get(method)
        if position is None or position >= len(args):
            return False
        return any(
            isinstance(option, Sym) and option.name in tfdata.AUTOTUNE_NAMES
            for option in self.expand(args[position])
        )

    def _is_dataset_annotation(self, annotation: Value | None) -> bool:
        """`tf.data.Dataset` (or its V1/V2 names) as an annotation."""
        if annotation is None:
            return False
        name = self.qualified_name(annotation)
        return bool(
            name and name.startswith("tensorflow.") and name.rsplit(".", 1)[-1] in _DATASET_CLASS_NAMES
        )

    def _is_dataset_class_call(self, callee: Value, depth: int) -> bool:
        """`ArtificialDataset(...)` where the project class subclasses `tf.data.Dataset`: such classes build
        the real dataset in `__new__`, so the instance is a tf.data dataset."""
        for option in self.expand(callee, depth + 1):
            if not (isinstance(option, Sym) and option.name in self.classes):
                continue
            for cls in self.mro(option.name):
                for base in cls.bases:
                    if any(self._is_dataset_annotation(b) for b in self.expand(base, depth + 1)):
                        return True
        return False

    def _is_dataset_item(self, item: Item, depth: int) -> bool:
        """An element of `train, test = <call>`: a dataset when the call returns datasets."""
        for inner in self.expand(item.base, depth + 1):
            if isinstance(inner, Sequence):
                picked = _pick(inner, item.key)
                if any(self.is_dataset(i, depth + 1) for i in picked):
                    return True
                continue
            if isinstance(inner, Item):
                if self._is_dataset_item(inner, depth + 1):
                    return True  # `tfds.load(...)[0]["train"]`-like nesting: stay generous in depth only
                continue
            if not isinstance(inner, CallResult):
                continue
            if self._is_dataset_option(inner, depth + 1):
                return True
            for target in self.targets(inner.callee, depth + 1):
                for returned in target.function.returns:
                    for option in self.expand(returned, depth + 1):
                        if isinstance(option, Sequence) and any(
                            self.is_dataset(i, depth + 1) for i in _pick(option, item.key)
                        ):
                            return True
        return False

    def _is_dataset_param(self, param: Param, depth: int) -> bool:
        func = self.functions.get(param.func)
        if func is None:
            return False
        annotation = func.annotations.get(param.name)
        if annotation is not None:
            name = self.qualified_name(annotation)
            return bool(name and name.rsplit(".", 1)[-1] in _DATASET_CLASS_NAMES)
        # A parameter is a dataset when some call in the project passes one. Its name alone
        # (`ds`, `dataset`) is not evidence: Hugging Face and pandas objects are named so too.
        return param.name in self.dataset_params(param.func)

    def dataset_params(self, func_id: str) -> set[str]:
        """Parameters of `func_id` that some call in the project passes a dataset to (one level).

        Only calls spelled with the function's own name are resolved: resolving every call of a large
        tree (TensorFlow's own sources) costs minutes.
        """
        if func_id in self._dataset_params:
            return self._dataset_params[func_id]
        found: set[str] = set()
        self._dataset_params[func_id] = found  # breaks recursion through is_dataset
        func = self.functions.get(func_id)
        if func is None:
            return found
        params = func.params
        offset = 1 if func.owner_class and params[:1] in (("self",), ("cls",)) else 0
        for call in self._calls_named(func_id.rsplit(".", 1)[-1]):
            if not any(isinstance(a, (CallResult, Sym, Choice, Item)) for a in call.args):
                continue
            if not any(t.function.id == func_id for t in self.targets(call.callee)):
                continue
            for index, arg in enumerate(call.args):
                if index + offset < len(params) and not isinstance(arg, Param) and self.is_dataset(arg):
                    found.add(params[index + offset])
        return found

    def _calls_named(self, name: str) -> list[CallFact]:
        """Calls whose callee is spelled `name` or `<something>.name`, over the modules loaded so far."""
        if self._calls_by_name_size != len(self.functions):
            self._calls_by_name = {}
            for func in list(self.functions.values()):
                for call in func.calls:
                    key = callee_name(call.callee)
                    if key is not None:
                        self._calls_by_name.setdefault(key, []).append(call)
            self._calls_by_name_size = len(self.functions)
        return self._calls_by_name.get(name, [])

    # ------------------------------------------------------------------ constants
    def integer(self, value: Value | None, depth: int = 0) -> int | None:
        """An int (AUTOTUNE is -1) when the value is one constant, else None."""
        results = self.integers(value, depth)
        return next(iter(results)) if results is not None and len(results) == 1 else None

    def integers(self, value: Value | None, depth: int = 0) -> frozenset[int] | None:
        """Every int (AUTOTUNE is -1) the value can be, or None when one of its options is not known.

        A parameter counts as its default value (the project shows it). A configuration lookup such as
        `params.get("npc", 8)` is unknown (docs/how-check-decides.md, reading 5): the configuration
        decides."""
        if value is None or depth > _MAX_DEPTH:
            return None
        results: set[int] = set()
        for option in self.expand(value, depth):
            found = self._option_integers(option, depth)
            if found is None:
                return None
            results |= found
        return frozenset(results) if results else None

    def _option_integers(self, option: Value, depth: int) -> frozenset[int] | None:
        if isinstance(option, Sym) and option.name in tfdata.AUTOTUNE_NAMES:
            return frozenset({AUTOTUNE})
        if isinstance(option, Const) and isinstance(option.value, int) and not isinstance(option.value, bool):
            return frozenset({option.value})
        if isinstance(option, Param):
            func = self.functions.get(option.func)
            default = func.defaults.get(option.name) if func else None
            return self.integers(default, depth + 1)
        return None

    def is_none(self, value: Value | None) -> bool:
        return value is not None and all(isinstance(o, Const) and o.value is None for o in self.expand(value))

    # ------------------------------------------------------------------ sites
    def sites(self) -> Iterator[tuple[ModuleFacts, Site]]:
        for facts in list(self.modules.values()):
            for site in facts.sites:
                yield facts, site


def _may_call_method(callee: Value, method: str) -> bool:
    """`super().create`, `Base.create` (a dotted name once imports are resolved), `other.create`: a call of
    `method` on anything but `self`, which may be the base's version."""
    if isinstance(callee, Attr):
        return callee.name == method and not isinstance(callee.base, SelfRef)
    return isinstance(callee, Sym) and callee.name.endswith(f".{method}")


def callee_name(value: Value) -> str | None:
    """The last part of a called name: `load` for `np.load` or `self._adapter.load`."""
    if isinstance(value, Sym):
        return value.name.rsplit(".", 1)[-1]
    if isinstance(value, Attr):
        return value.name
    return None


def _pick(sequence: Sequence, key: int | str | None) -> tuple[Value, ...]:
    if isinstance(key, int) and -len(sequence.items) <= key < len(sequence.items):
        return (sequence.items[key],)
    return sequence.items


def _mentions(value: Value, needle: Value, depth: int = 0) -> bool:
    if value == needle:
        return True
    if depth > 8:
        return False
    if isinstance(value, Choice):
        return any(_mentions(o, needle, depth + 1) for o in value.options)
    if isinstance(value, CallResult):
        return _mentions(value.callee, needle, depth + 1) or any(
            _mentions(a, needle, depth + 1) for a in value.args
        )
    if isinstance(value, Attr):
        return _mentions(value.base, needle, depth + 1)
    return False


__all__ = ["AUTOTUNE", "ProjectIndex", "Target", "Unknown", "callee_name"]
