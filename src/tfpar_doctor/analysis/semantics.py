"""What a dataset function does when tf.data runs it, from the facts and the project index.

Two contexts, two summaries (docs/how-check-decides.md, facts 1 and 2):
- *traced*: a function passed to a transformation, and what it calls, runs once at trace time as
  Python and per element as graph ops. Summarised as trace-time effects, stateful ops, random ops and
  the per-element Python callbacks it installs (py_function, numpy_function, py_func).
- *python*: a callback body runs per element as ordinary Python under the GIL. Summarised as a
  `BodyClass` with the calls and loops that decided it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from tfpar_doctor.analysis.facts import CallFact, FunctionFacts, LoopFact, Site
from tfpar_doctor.analysis.index import AUTOTUNE, ProjectIndex, callee_name
from tfpar_doctor.analysis.values import (
    Attr,
    CallResult,
    Const,
    FuncRef,
    Param,
    SelfRef,
    Sequence,
    Sym,
    Value,
)
from tfpar_doctor.knowledge import python_calls as pk
from tfpar_doctor.knowledge import tfdata
from tfpar_doctor.model import BodyClass, Classification, Evidence, Location

_PYTHON_DEPTH = 4
_SMALL_LOOP = 8
# Library calls that are conversions, not work, inside a generator.
_CONVERSIONS = frozenset({"numpy.array", "numpy.asarray", "numpy.float32", "numpy.int64", "numpy.int32"})


@dataclass(slots=True)
class Effect:
    kind: str  # "side-effect", "python-random", "numpy-symbolic", "unrolled-loop"
    description: str
    location: Location
    function: FunctionFacts


@dataclass(slots=True)
class Callback:
    """A per-element Python function installed from a traced function."""

    wrapper: str  # "tf.numpy_function", "@tf.py_function", ...
    location: Location  # the wrapper call (or the decorated def)
    functions: list[FunctionFacts]
    stateful: bool
    summary: PythonSummary | None = None
    library: str | None = None  # a library function passed directly: `tf.numpy_function(np.load, ...)`


@dataclass(slots=True)
class TracedSummary:
    functions: list[FunctionFacts] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    callbacks: list[Callback] = field(default_factory=list)
    stateful: list[Evidence] = field(default_factory=list)
    randomness: list[Evidence] = field(default_factory=list)
    tf_calls: int = 0  # graph ops the function builds (calls into tensorflow)


@dataclass(slots=True)
class PythonSummary:
    kind: BodyClass
    function: str
    evidence: list[Evidence] = field(default_factory=list)
    cpu: list[Evidence] = field(default_factory=list)
    io: list[Evidence] = field(default_factory=list)
    native: list[Evidence] = field(default_factory=list)
    randomness: list[Evidence] = field(default_factory=list)
    nested_loops: list[Evidence] = field(default_factory=list)
    waits: list[Evidence] = field(default_factory=list)  # sleeps and network: want many in flight
    heavy: list[Evidence] = field(default_factory=list)  # decoders that dominate a file read
    loops: list[Evidence] = field(default_factory=list)  # pure-Python loops
    light: list[Evidence] = field(default_factory=list)  # single string calls outside loops
    # Random arrays drawn inside loops (`rng.normal(0, 1, size=x.shape)`): array work per element. Drawing an
    # index or a scalar (`rng.integers(n)`, `random.choice(items)`) to pick a stored item is not.
    loop_draws: list[Evidence] = field(default_factory=list)
    unknown: list[Evidence] = field(default_factory=list)  # calls whose cost is not known
    per_element: list[Evidence] = field(default_factory=list)  # work inside loops (per generated element)

    def classification(self) -> Classification:
        return Classification(self.kind, self.function, tuple(self.evidence[:6]))

    def work(self) -> list[Evidence]:
        return [*self.io, *self.native, *self.cpu, *self.nested_loops]


class Semantics:
    def __init__(self, index: ProjectIndex, loop_threshold: int = 32) -> None:
        self.index = index
        self.loop_threshold = loop_threshold
        self._python: dict[str, PythonSummary] = {}  # by function id and the constants it is called with
        self._traced: dict[Value, TracedSummary] = {}

    # ------------------------------------------------------------------ traced
    def traced(self, value: Value | None) -> TracedSummary:
        """Memoised per function value: chains of maps often share one function."""
        if value is None:
            return TracedSummary()
        if value not in self._traced:
            self._traced[value] = self._traced_uncached(value)
        return self._traced[value]

    def _traced_uncached(self, value: Value) -> TracedSummary:
        summary = TracedSummary()
        seen: set[str] = set()
        bound = self._partial_bound(value)
        for target in self.index.targets(value):
            if target.python_callback:
                summary.callbacks.append(
                    self._callback(
                        "a py_function decorator", target.function.location, [target.function], True
                    )
                )
            else:
                self._walk_traced(
                    target.function,
                    summary,
                    seen,
                    0,
                    _element_params(target.function, bound),
                    _root_constants(target.function, value, self.index),
                )
        return summary

    def _partial_bound(self, value: Value) -> tuple[int, frozenset[str]]:
        """Arguments that `functools.partial(f, a, key=v)` binds: they are Python values, not elements."""
        for option in self.index.expand(value):
            if (
                isinstance(option, CallResult)
                and self.index.qualified_name(option.callee) == "functools.partial"
            ):
                return max(len(option.args) - 1, 0), frozenset(k for k, _ in option.kwargs)
        return 0, frozenset()

    def _walk_traced(
        self,
        func: FunctionFacts,
        summary: TracedSummary,
        seen: set[str],
        depth: int,
        tensors: frozenset[str],
        constants: dict[str, object] | None = None,
        local_self: bool = False,
    ) -> None:
        """`tensors`: the parameters that receive symbolic tensors (elements, or values derived from them);
        `constants`: parameters known to hold a Python constant here (`training=False`), which rule out
        the branches they guard; `local_self`: a method of an object constructed inside the traced call,
        whose attribute writes are local state that dies with the trace."""
        if func.id in seen or depth > 12 or self._opaque(func):
            return
        if func.id.rsplit(".", 1)[0] in seen:
            # A function nested in one traced here: the names it takes from its enclosing function may be
            # tensors. Otherwise (a lambda in the function that builds the pipeline) they are Python values.
            tensors = tensors | {"*"}
        seen.add(func.id)
        summary.functions.append(func)
        for mutation in func.mutations:
            if local_self and mutation.target.startswith("self."):
                continue
            what = {
                "global": "writes the global",
                "nonlocal": "writes the closure variable",
                "attribute": "sets",
                "item": "assigns to",
                "method": "mutates outer state with",
            }[mutation.kind]
            summary.effects.append(
                Effect("side-effect", f"{what} `{mutation.target}`", mutation.location, func)
            )
        for loop in func.loops:
            self._check_loop(func, loop, summary)
        constants = constants or {}
        for call in func.calls:
            if _reachable(call.guards, constants):
                self._traced_call(func, call, summary, seen, depth, tensors, local_self)

    def _on_local_instance(self, call: CallFact, local_self: bool) -> bool:
        """A method call on an object built inside the traced call (`proc = Processor(image); proc.run()`),
        or on `self` within such a method: the object dies with the trace (docs/how-check-decides.md,
        reading 7). Module-level objects reach here as names (`Sym`), not as constructor calls, and stay
        outer state."""
        if not isinstance(call.callee, Attr):
            return False
        base = call.callee.base
        if isinstance(base, SelfRef):
            return local_self
        if isinstance(base, CallResult):
            return any(
                isinstance(o, Sym) and o.name in self.index.classes for o in self.index.expand(base.callee)
            )
        return False

    def _opaque(self, func: FunctionFacts) -> bool:
        """Decorated by something outside the project that we know nothing of: it may well run the
        function eagerly or per element, so no trace-time claim is safe."""
        for decorator in func.decorators:
            for option in self.index.expand(decorator):
                target = option.callee if isinstance(option, CallResult) else option
                name = self.index.qualified_name(target)
                if name is None:
                    continue  # a project decorator: analysed through its body
                if not pk.matches_prefix(name, tfdata.KNOWN_DECORATORS):
                    return True
        return False

    def _traced_call(
        self,
        func: FunctionFacts,
        call: CallFact,
        summary: TracedSummary,
        seen: set[str],
        depth: int,
        tensors: frozenset[str],
        local_self: bool = False,
    ) -> None:
        index = self.index
        name = index.qualified_name(call.callee)
        if name is not None:
            if name.startswith("tensorflow."):
                summary.tf_calls += 1
            if name in tfdata.PYTHON_CALLBACKS:
                position, keyword = tfdata.PYTHON_CALLBACKS[name]
                inner = call.argument(position, keyword)
                stateful_arg = call.kwarg("stateful")
                stateful = not (isinstance(stateful_arg, Const) and stateful_arg.value is False)
                targets = [t.function for t in index.targets(inner)] if inner is not None else []
                wrapper = "tf." + name.removeprefix("tensorflow.")
                callback = self._callback(wrapper, call.location, targets, stateful, self._inputs(call))
                if not targets and inner is not None:
                    callback.library = index.qualified_name(inner)
                    callback.summary = self._library_summary(callback.library, call)
                summary.callbacks.append(callback)
                return
            self._traced_library_call(func, call, name, summary, tensors)
            if name.startswith("tensorflow.") and name not in tfdata.GENERATOR_SOURCES:
                # Functions handed to TF ops (tf.map_fn, tf.cond branches) are traced too.
                for arg in (*call.args, *(v for _, v in call.kwargs)):
                    if isinstance(arg, FuncRef) or (
                        isinstance(arg, CallResult)
                        and index.qualified_name(arg.callee) in tfdata.TRANSPARENT_WRAPPERS
                    ):
                        for target in index.targets(arg):
                            if not target.python_callback:
                                self._walk_traced(
                                    target.function,
                                    summary,
                                    seen,
                                    depth + 1,
                                    frozenset(target.function.params),
                                )
                return
        else:
            self._traced_method_call(func, call, summary, tensors)
            self._traced_layer_call(call, summary)
        for target in index.targets(call.callee):
            if target.python_callback:
                summary.callbacks.append(
                    self._callback("a py_function decorator", call.location, [target.function], True)
                )
            else:
                self._walk_traced(
                    target.function,
                    summary,
                    seen,
                    depth + 1,
                    _callee_tensors(target.function, call, tensors),
                    _callee_constants(target.function, call),
                    self._on_local_instance(call, local_self),
                )

    def _traced_library_call(
        self, func: FunctionFacts, call: CallFact, name: str, summary: TracedSummary, tensors: frozenset[str]
    ) -> None:
        loc = call.location
        if pk.matches_prefix(name, tfdata.STATEFUL_PREFIXES) and not any(
            m in name for m in tfdata.STATELESS_MARKERS
        ):
            summary.stateful.append(Evidence(f"stateful op `{call.text}`", loc))
        if pk.matches_prefix(name, tfdata.TF_RANDOM_PREFIXES):
            summary.randomness.append(Evidence(f"`{call.text}` draws per element", loc))
        if name in ("open", "io.open") and call.symbolic_args(tensors):
            # open() on a symbolic tensor fails at trace time: TFP003 only (how-check-decides, reading 4).
            summary.effects.append(
                Effect("numpy-symbolic", "`open()` on a symbolic tensor raises TypeError", loc, func)
            )
            return
        if name in tfdata.TRACE_TIME_SIDE_EFFECTS:
            if name not in tfdata.MESSAGE_CALLS or shows_element_value(call, tensors):
                summary.effects.append(Effect("side-effect", tfdata.TRACE_TIME_SIDE_EFFECTS[name], loc, func))
            return
        for prefix, what in tfdata.SIDE_EFFECT_MODULE_PREFIXES.items():
            if name == prefix or (prefix.endswith(".") and name.startswith(prefix)):
                summary.effects.append(
                    Effect("side-effect", f"`{call.text}()` ({what}) runs once at trace time", loc, func)
                )
                return
        module, _, last = name.rpartition(".")
        if module in tfdata.LOGGING_MODULES and last in tfdata.LOGGER_METHODS:
            _log_effect(call, summary, tensors, func)
            return
        if pk.matches_prefix(name, pk.PYTHON_RANDOM_PREFIXES):
            summary.effects.append(
                Effect(
                    "python-random",
                    f"`{call.text}()` draws once at trace time: every element gets the same value",
                    loc,
                    func,
                )
            )
            return
        if name.startswith("numpy.") and call.symbolic_args(tensors):
            attr = name.split(".")[1] if name.count(".") >= 1 else ""
            if attr not in pk.NUMPY_NON_FUNCTIONS and not name.startswith("numpy.random."):
                summary.effects.append(
                    Effect(
                        "numpy-symbolic",
                        f"`{call.text}()` on a symbolic tensor raises NotImplementedError at trace time",
                        loc,
                        func,
                    )
                )

    def _method(self, call: CallFact) -> tuple[Value, str] | None:
        """(receiver, method name) of a method call, also when the receiver is a module-level object."""
        if isinstance(call.callee, Attr):
            return call.callee.base, call.callee.name
        for option in self.index.expand(call.callee):
            if isinstance(option, Attr):
                return option.base, option.name
        return None

    def _traced_method_call(
        self, func: FunctionFacts, call: CallFact, summary: TracedSummary, tensors: frozenset[str]
    ) -> None:
        parts = self._method(call)
        if parts is None:
            return
        receiver, method = parts
        loc = call.location
        if method == "numpy" and call.symbolic_receiver(tensors) and not call.args:
            summary.effects.append(
                Effect(
                    "numpy-symbolic",
                    f"`{call.text}()` on a symbolic tensor raises AttributeError at trace time",
                    loc,
                    func,
                )
            )
            return
        origin = self.index.origin(receiver)
        if origin is None:
            return
        if origin in tfdata.LOGGER_FACTORIES and method in tfdata.LOGGER_METHODS:
            _log_effect(call, summary, tensors, func)
        elif origin in pk.RANDOM_GENERATOR_FACTORIES or origin.startswith("numpy.random."):
            summary.effects.append(
                Effect(
                    "python-random",
                    f"`{call.text}()` draws once at trace time: every element gets the same value",
                    loc,
                    func,
                )
            )
        elif pk.matches_prefix(
            origin,
            ("tensorflow.Variable", "tensorflow.compat.v1.Variable", "tensorflow.compat.v1.get_variable"),
        ):
            summary.stateful.append(Evidence(f"variable update `{call.text}()`", loc))
        elif origin.startswith(("tensorflow.random.Generator", "tensorflow.random.get_global_generator")):
            summary.stateful.append(Evidence(f"stateful random generator `{call.text}`", loc))
            summary.randomness.append(Evidence(f"`{call.text}` draws per element", loc))

    def _traced_layer_call(self, call: CallFact, summary: TracedSummary) -> None:
        """`augment(x, training=True)` with `augment = keras.Sequential([layers.RandomFlip(...)])`."""
        for option in self.index.expand(call.callee):
            if isinstance(option, CallResult):
                layer = self._random_layer(option, 0)
                if layer is not None:
                    summary.stateful.append(
                        Evidence(f"Keras random layer `{layer}` in `{call.text}`", call.location)
                    )
                    summary.randomness.append(
                        Evidence(f"`{call.text}()` applies `{layer}` per element", call.location)
                    )
                    return

    def _random_layer(self, value: Value, depth: int) -> str | None:
        if depth > 4:
            return None
        for option in self.index.expand(value):
            if isinstance(option, Sequence):
                for item in option.items:
                    found = self._random_layer(item, depth + 1)
                    if found:
                        return found
            if not isinstance(option, CallResult):
                continue
            name = self.index.qualified_name(option.callee) or ""
            if pk.matches_prefix(name, tfdata.KERAS_RANDOM_LAYERS):
                return name.rsplit(".", 1)[-1]
            if pk.matches_prefix(name, tfdata.KERAS_CONTAINERS):
                for arg in option.args:
                    found = self._random_layer(arg, depth + 1)
                    if found:
                        return found
        return None

    def _check_loop(self, func: FunctionFacts, loop: LoopFact, summary: TracedSummary) -> None:
        if loop.kind != "for" or not loop.builds_tf_ops:
            return
        count = self.loop_count(loop.iterable)
        if count is not None and count >= self.loop_threshold:
            summary.effects.append(
                Effect(
                    "unrolled-loop",
                    f"Python `for` over {count} iterations is unrolled into the graph "
                    f"({4 * count + 3} ops or more)",
                    loop.location,
                    func,
                )
            )

    def loop_count(self, iterable: Value | None) -> int | None:
        if iterable is None:
            return None
        for option in self.index.expand(iterable):
            if isinstance(option, Sequence):
                return option.length
            if isinstance(option, CallResult) and self.index.qualified_name(option.callee) == "range":
                bounds = [self.index.integer(a) for a in option.args]
                if not bounds or any(b is None for b in bounds):
                    return None
                if len(bounds) == 1:
                    return max(bounds[0] or 0, 0)
                step = bounds[2] if len(bounds) > 2 and bounds[2] else 1
                return max(((bounds[1] or 0) - (bounds[0] or 0)) // step, 0)
        return None

    def _callback(
        self,
        wrapper: str,
        location: Location,
        functions: list[FunctionFacts],
        stateful: bool,
        inputs: tuple[Value, ...] | None = None,
    ) -> Callback:
        summary = self.python(functions, inputs) if functions else None
        return Callback(wrapper, location, functions, stateful, summary)

    def _inputs(self, call: CallFact) -> tuple[Value, ...] | None:
        """What a py_function/numpy_function call passes its function (`inp`, a list literal), or None."""
        inp = call.argument(tfdata.PYTHON_CALLBACK_INPUTS[0], tfdata.PYTHON_CALLBACK_INPUTS[1])
        options = list(self.index.expand(inp)) if inp is not None else []
        if len(options) == 1 and isinstance(options[0], Sequence):
            return options[0].items
        return None

    def _library_summary(self, name: str | None, call: CallFact) -> PythonSummary | None:
        """The class of a library function run directly as the callback, from the knowledge table."""
        if name is None:
            return None
        kind = pk.classify_call(name)
        if kind is None:
            return None
        short = name.replace("numpy.", "np.")
        what = {
            BodyClass.IO: "waits on I/O",
            BodyClass.NATIVE: "releases the GIL",
            BodyClass.CPU: "is pure-Python work",
        }[kind]
        evidence = Evidence(f"`{short}()` {what}", call.location)
        summary = PythonSummary(kind, short, evidence=[evidence])
        {BodyClass.IO: summary.io, BodyClass.NATIVE: summary.native, BodyClass.CPU: summary.cpu}[kind].append(
            evidence
        )
        return summary

    # ------------------------------------------------------------------ python
    def python(
        self, functions: list[FunctionFacts], inputs: tuple[Value, ...] | None = None
    ) -> PythonSummary:
        """The class of per-element Python code; several candidate functions merge their evidence.

        `inputs`: the arguments each call passes (a py_function's `inp`). A parameter given a constant
        there holds it on every call (as a tensor of the same truth value), so the branches it rules out
        (`if augment:` with `False` passed) add no evidence, as in traced code. Without them nothing is
        assumed about the parameters (a generator's `args=` are not read here)."""
        parts = [self._python_one(f, _bind_constants(f, inputs, ()) if inputs else {}) for f in functions]
        if len(parts) == 1:
            return parts[0]
        merged = PythonSummary(BodyClass.UNKNOWN, " / ".join(p.function for p in parts))
        for part in parts:
            # Every evidence list merges the same way; new lists join without touching this loop.
            for name in _EVIDENCE_LISTS:
                getattr(merged, name).extend(getattr(part, name))
        kinds = {p.kind for p in parts}
        merged.kind = kinds.pop() if len(kinds) == 1 else BodyClass.UNKNOWN
        merged.evidence = [e for p in parts for e in p.evidence]  # evidence is per part, in order
        return merged

    def _python_one(self, func: FunctionFacts, constants: dict[str, object]) -> PythonSummary:
        key = _call_key(func, constants)
        if key not in self._python:
            summary = PythonSummary(BodyClass.UNKNOWN, func.name)
            self._python[key] = summary  # breaks recursion
            self._collect(func, summary, set(), 0, constants=constants)
            summary.kind, summary.evidence = self._decide(summary)
            self._python[key] = summary
        return self._python[key]

    def _collect(
        self,
        func: FunctionFacts,
        summary: PythonSummary,
        seen: set[str],
        depth: int,
        in_loop: bool = False,
        constants: dict[str, object] | None = None,
    ) -> None:
        """Evidence from `func` and what it calls; `in_loop`: `func` itself is called inside a loop;
        `constants`: parameters that hold a constant on this call, whose branches not taken add nothing
        (how-check-decides, reading 11)."""
        constants = constants or {}
        key = _call_key(func, constants)
        if key in seen or depth > _PYTHON_DEPTH:
            return
        seen.add(key)
        loop_kinds: dict[int, set[BodyClass]] = {}
        for call in func.calls:
            if not _reachable(call.guards, constants):
                continue
            repeated = in_loop or call.loop is not None
            before = (len(summary.io), len(summary.native), len(summary.cpu))
            kind = self._python_call(call, summary, seen, depth, repeated)
            if self._trivial(call):
                continue  # `len(x)`, `np.zeros(n)`: no work for the loop around it either
            if repeated:
                # Work done once per loop iteration: for a generator, once per element.
                summary.per_element.extend(summary.io[before[0] :])
                summary.per_element.extend(summary.native[before[1] :])
                summary.per_element.extend(e for e in summary.cpu[before[2] :] if e not in summary.loops)
            if call.loop is not None:
                loop_index: int | None = call.loop
                while loop_index is not None:
                    if kind is not None:
                        loop_kinds.setdefault(loop_index, set()).add(kind)
                    else:
                        loop_kinds.setdefault(loop_index, set())
                    loop_index = func.loops[loop_index].parent
        for base, location, loop_index in func.loop_subscripts:
            # Indexing an h5py/zarr dataset reads from the file; indexing a list does nothing of the kind.
            origin = self.index.origin(base)
            if origin is not None and pk.classify_call(origin) is BodyClass.IO:
                evidence = Evidence(f"indexing a `{origin}` object reads from storage", location)
                summary.io.append(evidence)
                summary.per_element.append(evidence)
                current: int | None = loop_index
                while current is not None:
                    loop_kinds.setdefault(current, set()).add(BodyClass.IO)
                    current = func.loops[current].parent
        for index, loop in enumerate(func.loops):
            count = self.loop_count(loop.iterable) if loop.iterable is not None else None
            if count is not None and count < _SMALL_LOOP:
                continue
            kinds = loop_kinds.get(index, set())
            if kinds & {BodyClass.IO, BodyClass.NATIVE}:
                continue  # the loop orchestrates GIL-releasing calls
            if not loop.python_work and index not in loop_kinds:
                continue
            evidence = Evidence(f"pure-Python {loop.kind} loop in `{func.name}`", loop.location)
            summary.cpu.append(evidence)
            summary.loops.append(evidence)
            if loop.parent is not None and not loop.yields:  # an epoch loop around the element loop
                summary.nested_loops.append(Evidence(f"nested Python loop in `{func.name}`", loop.location))

    def _python_call(
        self, call: CallFact, summary: PythonSummary, seen: set[str], depth: int, in_loop: bool = False
    ) -> BodyClass | None:
        index = self.index
        loc = call.location
        name = index.qualified_name(call.callee)
        if name is None:
            targets = index.targets(call.callee)
            if targets:
                for target in targets:
                    constants = _callee_constants(target.function, call)
                    self._collect(target.function, summary, seen, depth + 1, in_loop, constants)
                return None
            name = self._called_object_origin(call) or self._called_default(call)
            if name is None:
                return self._python_method(call, summary)
        if pk.matches_prefix(name, pk.PYTHON_RANDOM_PREFIXES) or pk.matches_prefix(
            name, pk.RANDOM_AUGMENTATION_PREFIXES
        ):
            summary.randomness.append(Evidence(f"`{call.text}()` draws random numbers", loc))
            if call.loop is not None and _draws_array(call):
                summary.loop_draws.append(summary.randomness[-1])
            if name.startswith(pk.RANDOM_AUGMENTATION_PREFIXES):
                summary.native.append(Evidence(f"`{call.text}()` (augmentation library)", loc))
                return BodyClass.NATIVE
            return None
        if _is_trivial(name):
            return None
        kind = pk.classify_call(name)
        if kind is BodyClass.IO:
            evidence = Evidence(f"`{call.text}()` waits on I/O", loc)
            summary.io.append(evidence)
            if pk.matches_prefix(name, pk.WAIT_PREFIXES):
                summary.waits.append(evidence)
        elif kind is BodyClass.NATIVE:
            evidence = Evidence(f"`{call.text}()` releases the GIL", loc)
            summary.native.append(evidence)
            if pk.matches_prefix(name, pk.HEAVY_NATIVE_PREFIXES):
                summary.heavy.append(evidence)
        elif kind is BodyClass.CPU:
            summary.cpu.append(Evidence(f"`{call.text}()` is pure-Python work", loc))
        else:
            summary.unknown.append(Evidence(f"`{call.text}()` (cost unknown)", loc))
        return kind

    def _trivial(self, call: CallFact) -> bool:
        return _is_trivial(self.index.qualified_name(call.callee))

    def _called_default(self, call: CallFact) -> str | None:
        """`self.load_fn(path)` with `load_fn=np.load` as the constructor's default: the library call the
        project shows. Per-element Python runs what it was given; the default is the value we can see, and
        other callers' choices are resolved where they are passed (settled reading 3)."""
        for option in self.index.expand(call.callee):
            if not isinstance(option, Param):
                continue
            func = self.index.functions.get(option.func)
            default = func.defaults.get(option.name) if func is not None else None
            if default is not None:
                name = self.index.qualified_name(default)
                if name is not None and pk.classify_call(name) is not None:
                    return name
        return None

    def _called_object_origin(self, call: CallFact) -> str | None:
        """`transforms(image=x)` with `transforms = A.Compose([...])`: the library that made the object."""
        for option in self.index.expand(call.callee):
            if isinstance(option, CallResult):
                return self.index.qualified_name(option.callee)
        return None

    def _python_method(self, call: CallFact, summary: PythonSummary) -> BodyClass | None:
        parts = self._method(call)
        if parts is None:
            return None
        receiver, method = parts
        loc = call.location
        origin = self.index.origin(receiver)
        if origin is not None:
            if origin in pk.RANDOM_GENERATOR_FACTORIES or origin.startswith("numpy.random."):
                summary.randomness.append(Evidence(f"`{call.text}()` draws random numbers", loc))
                if call.loop is not None and _draws_array(call):
                    summary.loop_draws.append(summary.randomness[-1])
                return None
            if pk.matches_prefix(origin, pk.RANDOM_AUGMENTATION_PREFIXES):
                summary.randomness.append(Evidence(f"`{call.text}()` augments randomly per element", loc))
            kind = pk.classify_call(origin)
            if origin in ("open", "io.open") and method in ("read", "readlines", "readline", "write"):
                summary.io.append(Evidence(f"`{call.text}()` reads a file", loc))
                return BodyClass.IO
            if kind is BodyClass.IO and (pk.matches_prefix(origin, pk.WAIT_PREFIXES) or method == "read"):
                # A session, client or file object from an I/O library: its methods wait on the network
                # or the disk (`requests.Session().get`, `boto3.client().get_object()["Body"].read()`).
                evidence = Evidence(f"`{call.text}()` ({origin.split('.')[0]}) waits on I/O", loc)
                summary.io.append(evidence)
                if pk.matches_prefix(origin, pk.WAIT_PREFIXES):
                    summary.waits.append(evidence)
                return BodyClass.IO
            if kind in (BodyClass.NATIVE, BodyClass.IO):
                evidence = Evidence(f"`{call.text}()` ({origin.split('.')[0]}) releases the GIL", loc)
                summary.native.append(evidence)
                if pk.matches_prefix(origin, pk.HEAVY_NATIVE_PREFIXES):
                    summary.heavy.append(evidence)
                return BodyClass.NATIVE
        if method in pk.WAIT_METHODS:
            evidence = Evidence(f"`{call.text}()` waits on storage or the network", loc)
            summary.io.append(evidence)
            summary.waits.append(evidence)
            return BodyClass.IO
        if method in pk.STRING_METHODS:
            evidence = Evidence(f"`.{method}()` string work is pure Python", loc)
            # One string call per element is cheap next to a file read or a decode; in a loop it is not.
            (summary.cpu if call.loop is not None else summary.light).append(evidence)
            return BodyClass.CPU
        if method not in pk.CHEAP_METHODS:
            summary.unknown.append(Evidence(f"`{call.text}()` (cost unknown)", loc))
        return None

    def _decide(self, s: PythonSummary) -> tuple[BodyClass, list[Evidence]]:
        """Which cost dominates: pure-Python loops, waits, decoders, then the remaining calls.

        Mixed evidence with no dominant kind is `unknown`: TFP102/TFP103 stay silent on it.
        """
        if s.loops and not s.io and not s.heavy:
            return BodyClass.CPU, s.loops + [e for e in s.cpu if e not in s.loops]
        if s.waits:
            return BodyClass.IO, s.waits + [e for e in s.io if e not in s.waits]
        if s.heavy:
            return BodyClass.NATIVE, s.heavy + s.io
        if s.io:
            return (BodyClass.UNKNOWN, s.cpu + s.io) if s.cpu else (BodyClass.IO, s.io + s.native)
        if s.native:
            return (BodyClass.UNKNOWN, s.cpu + s.native) if s.cpu else (BodyClass.NATIVE, s.native)
        if s.cpu or (s.light and not s.unknown):
            return BodyClass.CPU, s.cpu + s.light
        return BodyClass.UNKNOWN, []

    # ------------------------------------------------------------------ parallelism
    def parallelism(self, site: Site) -> tuple[str, int | None]:
        """("absent" | "sequential" | "parallel" | "unknown", the resolved value)."""
        if site.parallelism is None:
            return "absent", None
        if self.index.is_none(site.parallelism):
            return "sequential", None
        values = self.index.integers(site.parallelism)
        if values is None:
            return "unknown", None
        if all(v == AUTOTUNE or v > 1 for v in values):
            # Several candidates (a conditional choice, an attribute assigned twice): the largest, AUTOTUNE
            # first.
            return "parallel", AUTOTUNE if AUTOTUNE in values else max(values)
        if len(values) == 1:
            return "sequential", next(iter(values))
        return "unknown", None


def _is_trivial(name: str | None) -> bool:
    """`len(x)`, `int(x)`, `np.zeros(n)`: no work worth a finding, and none for the loop around it."""
    return name is not None and (
        name in pk.TRIVIAL_BUILTINS or name in _CONVERSIONS or name in pk.ARRAY_ALLOCATIONS
    )


def shows_element_value(call: CallFact, tensors: frozenset[str]) -> bool:
    """Whether a message (`print`, logging) in a traced function shows a value computed from the element.

    Such a message is a finding: the author expects one line per element and gets one, at trace time, with a
    placeholder. A message about configuration, constants or static shapes is not: once is what it is for
    (how-check-decides, reading 9). "Computed from the element" is what the extractor's taint says of an
    argument: derived from a parameter that receives the element (`tensors`), or from a tensor of an
    enclosing traced function. Python parts of an element are not derived from it: its static attributes
    (`x.shape`, `x.dtype`) and its dict keys (`for name, t in features.items()`, `[name for name, t in
    features.items()]`); nor is the instance whose method is traced, after a helper method was handed the
    element (`self._parse(x)` then `self._config.name`). A local dict or list is, once a value of the element
    was stored into it (`features[name] = t`, `parts.append(t)`). A message the taint cannot tie to the
    element stays silent."""
    return call.symbolic_args(tensors)


def _log_effect(call: CallFact, summary: TracedSummary, tensors: frozenset[str], func: FunctionFacts) -> None:
    """A logging call (module-level or a logger's method) in a traced function: a finding only when it logs
    a value of the element."""
    if shows_element_value(call, tensors):
        summary.effects.append(
            Effect(
                "side-effect",
                f"`{call.text}()` logs a value of the element once, at trace time, not per element",
                call.location,
                func,
            )
        )


def _draws_array(call: CallFact) -> bool:
    """An array of random values (`rng.normal(0, 1, size=x.shape)`), not of indices (`randint(n, size=8)`)."""
    name = callee_name(call.callee) or ""
    return name not in pk.INDEX_DRAWS and any(keyword in ("size", "shape") for keyword, _ in call.kwargs)


def _self_offset(func: FunctionFacts) -> int:
    return 1 if func.owner_class is not None and func.params[:1] in (("self",), ("cls",)) else 0


def _element_params(func: FunctionFacts, bound: tuple[int, frozenset[str]]) -> frozenset[str]:
    """Parameters a transformation fills with elements: those without defaults, after `self` and
    what a partial binds."""
    positional, keywords = bound
    params = func.params[_self_offset(func) + positional :]
    return frozenset(p for p in params if p not in func.defaults and p not in keywords)


def _callee_tensors(callee: FunctionFacts, call: CallFact, tensors: frozenset[str]) -> frozenset[str]:
    """The callee's parameters that receive symbolic arguments at this call."""
    params = callee.params[_self_offset(callee) :]
    out: set[str] = set()
    for index, taint in enumerate(call.tainted_args):
        if taint & tensors or ("*" in taint and "*" in tensors):
            if index < len(params):
                out.add(params[index])
            elif params:
                out.add(params[-1])  # *args
    for (keyword, _), taint in zip(call.kwargs, call.tainted_kwargs, strict=False):
        if (taint & tensors or ("*" in taint and "*" in tensors)) and keyword in params:
            out.add(keyword)
    return frozenset(out)


def _reachable(guards: tuple[tuple[str, bool], ...], constants: dict[str, object]) -> bool:
    return all(name not in constants or bool(constants[name]) == truthy for name, truthy in guards)


def _defaults(func: FunctionFacts) -> dict[str, object]:
    return {name: value.value for name, value in func.defaults.items() if isinstance(value, Const)}


def _root_constants(func: FunctionFacts, value: Value, index: ProjectIndex) -> dict[str, object]:
    """Defaults, overridden by what a `functools.partial` binds to constants; for a callable instance
    (`Preprocess(fmt, train=False)`), its attributes set from constructor arguments (`self._train`)."""
    constants = _defaults(func)
    for option in index.expand(value):
        if isinstance(option, CallResult) and index.qualified_name(option.callee) == "functools.partial":
            constants.update({k: v.value for k, v in option.kwargs if isinstance(v, Const)})
        elif isinstance(option, CallResult):
            constants.update(_instance_constants(option, index))
    return constants


def _instance_constants(construction: CallResult, index: ProjectIndex) -> dict[str, object]:
    """`self.<attr>` -> value for the attributes that `__init__` sets from a parameter given a constant."""
    for callee in index.expand(construction.callee):
        if not (isinstance(callee, Sym) and callee.name in index.classes):
            continue
        init = index.member(callee, "__init__")
        func = index.functions.get(init.id) if isinstance(init, FuncRef) else None
        if func is None:
            return {}
        bound = _bind_constants(func, construction.args, construction.kwargs)
        constants: dict[str, object] = {}
        for cls in index.mro(callee.name):
            for attr, values in cls.attributes.items():
                names = {v.name for v in values if isinstance(v, Param) and v.func == func.id}
                if len(names) == 1 and len(values) == 1 and next(iter(names)) in bound:
                    constants.setdefault(f"self.{attr}", bound[next(iter(names))])
        return constants
    return {}


def _call_key(func: FunctionFacts, constants: dict[str, object]) -> str:
    """A function with the constants it is called with: one summary each (the same body may take other
    branches for other constants)."""
    return f"{func.id}|{sorted(constants.items(), key=repr)!r}" if constants else func.id


def _callee_constants(callee: FunctionFacts, call: CallFact) -> dict[str, object]:
    return _bind_constants(callee, call.args, call.kwargs)


def _bind_constants(
    func: FunctionFacts, args: Iterable[Value], kwargs: Iterable[tuple[str, Value]]
) -> dict[str, object]:
    """The parameters of `func` that hold a Python constant for these arguments: defaults, overridden by
    constant arguments; a parameter given anything else is not constant (its default no longer holds)."""
    constants = _defaults(func)
    params = func.params[_self_offset(func) :]
    named = [(params[position], arg) for position, arg in enumerate(args) if position < len(params)]
    for name, arg in (*named, *kwargs):
        if isinstance(arg, Const):
            constants[name] = arg.value
        else:
            constants.pop(name, None)
    return constants


# The evidence lists of PythonSummary (everything but its kind, function name and decided evidence).
_EVIDENCE_LISTS = tuple(
    f.name for f in fields(PythonSummary) if f.name not in ("kind", "function", "evidence")
)
