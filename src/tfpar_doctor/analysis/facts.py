"""Per-file facts: what one libcst pass learns about a module, as plain picklable data.

Rules never see syntax trees: they read these facts through the project index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tfpar_doctor.analysis.values import Value
from tfpar_doctor.model import Location


@dataclass(slots=True)
class CallFact:
    """One call expression inside a function body."""

    callee: Value
    args: tuple[Value, ...]
    kwargs: tuple[tuple[str, Value], ...]
    location: Location
    text: str  # the callee as written, e.g. "np.random.uniform"
    # Per argument, the parameters of the enclosing function it derives from ("*": an enclosing
    # function's parameter). Parameters that hold tensors make the argument a symbolic tensor.
    tainted_args: tuple[frozenset[str], ...]
    tainted_kwargs: tuple[frozenset[str], ...]
    receiver_tainted: frozenset[str]  # for method calls: what the receiver derives from
    loop_depth: int
    loop: int | None = None  # index of the innermost enclosing LoopFact
    guards: tuple[tuple[str, bool], ...] = ()  # enclosing `if param:` branches (parameter, truthy?)

    @property
    def method(self) -> str | None:
        from tfpar_doctor.analysis.values import Attr

        return self.callee.name if isinstance(self.callee, Attr) else None

    def symbolic_args(self, tensors: frozenset[str]) -> bool:
        """Some argument derives from a parameter in `tensors` (or from an enclosing tensor)."""
        return any(_symbolic(t, tensors) for t in (*self.tainted_args, *self.tainted_kwargs))

    def symbolic_receiver(self, tensors: frozenset[str]) -> bool:
        return _symbolic(self.receiver_tainted, tensors)

    def kwarg(self, name: str) -> Value | None:
        for key, value in self.kwargs:
            if key == name:
                return value
        return None

    def argument(self, position: int, keyword: str) -> Value | None:
        if position < len(self.args):
            return self.args[position]
        return self.kwarg(keyword)


def _symbolic(taint: frozenset[str], tensors: frozenset[str]) -> bool:
    # "*" (derives from an enclosing function's names) is symbolic only where the caller says the enclosing
    # function is itself traced: a lambda built in a pipeline builder closes over Python values.
    return bool(taint & tensors) or ("*" in taint and "*" in tensors)


@dataclass(slots=True)
class LoopFact:
    kind: str  # "for", "while", "comprehension"
    location: Location
    iterable: Value | None
    depth: int  # 1 for an outermost loop
    parent: int | None  # index of the enclosing loop
    builds_tf_ops: bool = False  # the body calls tensorflow or computes on the parameters
    python_work: bool = False  # the body does Python-level work: arithmetic, subscripts, appends
    # A `yield` is inside: a loop that produces the generator's elements (or repeats them per epoch), not
    # work done for one element.
    yields: bool = False


@dataclass(slots=True)
class MutationFact:
    """A write to state that outlives one call: a global, a closure variable, `self`, a module."""

    kind: str  # "global", "nonlocal", "attribute", "item", "method"
    target: str
    location: Location


@dataclass(slots=True)
class PythonOp:
    """Pure-Python work that is not a call: string formatting, arithmetic on Python objects."""

    description: str
    location: Location
    loop_depth: int


@dataclass(slots=True)
class FunctionFacts:
    id: str  # "<module>.<qualname>", e.g. "pkg.data.Loader._load"
    name: str  # as shown to users: "Loader._load", "lambda"
    module: str
    path: str
    location: Location
    params: tuple[str, ...]
    defaults: dict[str, Value] = field(default_factory=dict)
    annotations: dict[str, Value] = field(default_factory=dict)
    decorators: tuple[Value, ...] = ()
    owner_class: str | None = None
    is_lambda: bool = False
    is_generator: bool = False
    is_abstract: bool = (
        False  # a method stub meant to be overridden (abstractmethod, pass, NotImplementedError)
    )
    calls: list[CallFact] = field(default_factory=list)
    loops: list[LoopFact] = field(default_factory=list)
    mutations: list[MutationFact] = field(default_factory=list)
    python_ops: list[PythonOp] = field(default_factory=list)
    returns: list[Value] = field(default_factory=list)
    yields: list[Value] = field(default_factory=list)
    # A `yield` outside every loop: each run of the generator makes a fixed few elements (often one, when
    # `from_generator` is built per record inside `flat_map`), so all of its work is per-element work.
    yields_outside_loops: bool = False
    # `obj[i]` inside loops, on objects that may be lazy readers (h5py, zarr, memmaps): (base, where, loop)
    loop_subscripts: list[tuple[Value, Location, int]] = field(default_factory=list)
    # tf.data.Options settings made here ("private-threadpool", "nondeterministic", ...): see
    # knowledge.tfdata.option_setting.
    dataset_options: set[str] = field(default_factory=set)


@dataclass(slots=True)
class ClassFacts:
    id: str
    name: str
    location: Location
    bases: tuple[Value, ...]
    methods: dict[str, str] = field(default_factory=dict)  # method name -> function id
    attributes: dict[str, list[Value]] = field(default_factory=dict)  # self.x = ... and class-level


@dataclass(slots=True)
class Site:
    """A dataset transformation call (`.map(...)`, `.cache()`, `from_generator(...)`, ...)."""

    id: str
    method: str
    location: Location  # the method name (`map` in `ds.map(...)`)
    call_location: Location  # the whole call
    receiver: Value | None  # None for free functions (map_and_batch, from_generator via Sym)
    function: Value | None  # the traced function argument
    parallelism: Value | None  # num_parallel_calls as written; None when absent
    keywords: tuple[str, ...]
    scope: str  # id of the function (or module body) the call is in
    result: Value  # the CallResult this call evaluates to
    args: tuple[Value, ...] = ()
    kwargs: tuple[tuple[str, Value], ...] = ()
    qualified: str | None = None  # for calls to free functions: their qualified name
    # Where `, num_parallel_calls=...` would be inserted: (line, column) after the last argument.
    insert_at: tuple[int, int] | None = None
    trailing_comma: bool = False
    # For a call through an alias (`Dataset.from_generator` with `Dataset = tf.data.Dataset`): the callee,
    # resolved by the index. `qualified` stays None until then.
    callee: Value | None = None


@dataclass(slots=True)
class Suppression:
    line: int
    codes: tuple[str, ...]  # empty: every code
    location: Location


@dataclass(slots=True)
class ModuleFacts:
    path: str
    module: str  # dotted name by packages (`pkg.data.audio`), or the file stem
    package: str  # the package relative imports resolve against
    imports_tensorflow: bool = False
    tf_alias: str | None = None  # how `tensorflow` is spelled here, for fixes: "tf"
    globals: dict[str, Value] = field(default_factory=dict)
    functions: dict[str, FunctionFacts] = field(default_factory=dict)
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    sites: list[Site] = field(default_factory=list)
    star_imports: list[str] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    file_suppression: tuple[str, ...] | None = None  # `# tfpar-doctor: noqa[: codes]`; () = all
    dataset_options: set[str] = field(default_factory=set)
    error: tuple[str, int, int] | None = None  # (message, line, column) when the file cannot be parsed
    source_lines: int = 0


def parse_error(path: str, module: str, package: str, message: str, line: int, column: int) -> ModuleFacts:
    """The facts of a file that cannot be analysed: TFP900 reports `message` at (line, column)."""
    facts = ModuleFacts(path=path, module=module, package=package)
    facts.error = (message, line, column)
    return facts
