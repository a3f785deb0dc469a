"""The tf-native rewrite: each recognised library call in a per-element Python body as a TensorFlow op.

Statements are rewritten with `ast`: every recognised call is replaced by its template from
`knowledge.rewrites.TF_NATIVE` (random draws by `advice.randomness`, which keeps their distribution),
filled with the user's own argument expressions, and the statement is unparsed. What has no known
TensorFlow equivalent is listed, not guessed.

The block handed over is one of two things. A complete rewrite: every call of the function maps, nothing
iterates in Python, so the whole function is written out with TensorFlow ops and can be mapped as it is. A
sketch, titled so: the statements that map, each under its original, and the Python that remains as
comments. Neither holds a Python generator, comprehension or lambda inside a TensorFlow op.
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tfpar_doctor.advice.model import Replacement
from tfpar_doctor.advice.randomness import is_random, rewrite_random
from tfpar_doctor.advice.source import (
    FunctionSource,
    ObservedCall,
    code_name,
    lambda_line,
    parse_expression_quietly,
    segment,
)
from tfpar_doctor.knowledge.library_calls import AUDIO, IMAGE, MATH, RANDOM, Rewrite
from tfpar_doctor.knowledge.rewrites import (
    BYTE_VIEWS,
    HARMLESS_KEYWORDS,
    IN_MEMORY_WRAPPERS,
    NOT_WORK,
    TENSOR_ATTRIBUTES,
    TF_NATIVE,
)

_PLACEHOLDER = re.compile(r"\{([a-z_]+|\d+)\}")

# Python that iterates or defers: inside a TensorFlow op's arguments it is not a tensor, and in a traced
# function it runs once, at trace time.
PYTHON_ONLY = (ast.GeneratorExp, ast.ListComp, ast.SetComp, ast.DictComp, ast.Lambda)
# Statements and expressions a complete rewrite cannot keep: they need Python values, not tensors.
_NOT_IN_GRAPH = (*PYTHON_ONLY, ast.With, ast.AsyncWith, ast.Try, ast.Global, ast.Nonlocal, ast.Yield,
                 ast.YieldFrom, ast.Await, ast.JoinedStr, ast.Raise, ast.Assert, ast.Delete)


def lookup(key: str) -> Rewrite | None:
    """The rewrite for a call key: the exact key, else the longest module prefix ending in '.'."""
    if key in TF_NATIVE:
        return TF_NATIVE[key]
    best: str | None = None
    for candidate in TF_NATIVE:
        module_prefix = candidate.endswith(".") and not candidate.startswith(".")
        if module_prefix and key.startswith(candidate) and (best is None or len(candidate) > len(best)):
            best = candidate
    return TF_NATIVE[best] if best else None


def is_bookkeeping(key: str) -> bool:
    return any(key == k or (k.endswith(".") and key.startswith(k)) for k in NOT_WORK)


def complement(pattern_source: str | None) -> str | None:
    """`r"[a-z']+"` -> `"[^a-z']+"`: what a findall pattern does not match, when it is one class."""
    if not pattern_source:
        return None
    try:
        pattern = ast.literal_eval(pattern_source)
    except (ValueError, SyntaxError):
        return None
    if not isinstance(pattern, str):
        return None
    match = re.fullmatch(r"\[([^\]^][^\]]*)\]\+", pattern)
    return repr(f"[^{match.group(1)}]+") if match else None


def _template(rewrite: Rewrite, in_memory: bool, has_dtype: bool) -> str:
    if in_memory and rewrite.from_bytes:
        return rewrite.from_bytes
    if has_dtype and rewrite.with_dtype:
        return rewrite.with_dtype
    return rewrite.template


def fill(rewrite: Rewrite, call: ObservedCall, args: list[str], in_memory: bool = False,
         keywords: dict[str, str] | None = None) -> str | None:
    """The template filled with this call's arguments (`keywords`: the call's keyword arguments as source
    text, default the call's own), or None when it needs something the call lacks or would drop an argument
    that changes the result (`np.mean(x, axis=0)` is not `tf.math.reduce_mean(x)`)."""
    if rewrite.literal:
        return rewrite.template
    if keywords is None:
        keywords = {k.arg or "**": ast.unparse(k.value) for k in call.node.keywords}
    dtype = keywords.get("dtype")
    dtype_position = rewrite.with_dtype and dtype is None and len(args) > 1
    if dtype_position:
        dtype = args[1]  # np.asarray(x, np.int32): NumPy's second parameter is the dtype
    template = _template(rewrite, in_memory, dtype is not None)
    if _drops_arguments(rewrite, template, args[:1] if dtype_position else args, keywords):
        return None
    values: dict[str, str] = {str(i): a for i, a in enumerate(args)}
    values["args"] = ", ".join([*args, *(f"{k}={v}" for k, v in keywords.items())])
    values["name"] = call.key.rsplit(".", 1)[-1]
    optional = {"dtype": dtype, "self": call.receiver, "pattern": call.pattern,
                "not_pattern": complement(call.pattern if call.pattern else (args[0] if args else None))}
    values.update({k: v for k, v in optional.items() if v is not None})
    if any(n not in values for n in _PLACEHOLDER.findall(template)):
        return None
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def _drops_arguments(rewrite: Rewrite, template: str, args: list[str], keywords: dict[str, str]) -> bool:
    """Whether the template leaves out a keyword argument, or a positional argument of a math function,
    that changes what the call computes. Templates of other kinds drop positional arguments on purpose
    (`img.convert("RGB")` is the decoder's `channels=3`); their notes say what to check."""
    placeholders = set(_PLACEHOLDER.findall(template))
    if "args" in placeholders:
        return "**" in keywords
    dropped = set(keywords) - HARMLESS_KEYWORDS - ({"dtype"} if "dtype" in placeholders else set())
    used = [int(n) for n in placeholders if n.isdigit()]
    return bool(dropped) or (rewrite.category == MATH and len(args) > max(used, default=-1) + 1)


# ------------------------------------------------------------------------------------ the plan


@dataclass(slots=True)
class NativePlan:
    replacements: list[Replacement]
    unknown: list[ObservedCall]  # work with no TensorFlow op here (the reason in `reasons`)
    recognised: int
    total: int
    categories: frozenset[str] = frozenset()  # "image", "audio", ... of the recognised calls
    reasons: dict[int, str] = field(default_factory=dict)  # id(call.node) -> why it stays Python
    function: str = ""  # the whole function with TensorFlow ops, when the rewrite is complete
    function_name: str = ""  # its name (`encode_tf`)

    @property
    def complete(self) -> bool:
        return bool(self.function)


@dataclass(frozen=True, slots=True)
class _Decision:
    rewrite: Rewrite | None = None  # the call maps to this
    reason: str = ""  # the call is work that stays Python, for this reason
    skip: bool = False  # bookkeeping (len, range, append): neither work nor a rewrite


_Handler = Callable[[ObservedCall, FunctionSource], _Decision | None]


def _bookkeeping(call: ObservedCall, source: FunctionSource) -> _Decision | None:
    return _Decision(skip=True) if is_bookkeeping(call.key) else None


def _local_dict(call: ObservedCall, source: FunctionSource) -> _Decision | None:
    # A lookup table is a module-level dict; `.get` on a local dict is bookkeeping, on anything else unknown.
    if call.key != ".get" or call.receiver in source.module_names:
        return None
    return _Decision(skip=True) if call.receiver is not None else _Decision(reason="")


def _random(call: ObservedCall, source: FunctionSource) -> _Decision | None:
    if not is_random(call.key):
        return None
    drawn = rewrite_random(call.key, call.node, source.module_values)
    if drawn.tensorflow is None:
        return _Decision(reason=drawn.reason)
    return _Decision(Rewrite(RANDOM, drawn.tensorflow, drawn.tensorflow, drawn.note, literal=True))


def _table(call: ObservedCall, source: FunctionSource) -> _Decision:
    rewrite = lookup(call.key)
    return _Decision(rewrite) if rewrite is not None else _Decision(reason="")


# Tried in order; the first that decides wins.
_HANDLERS: tuple[_Handler, ...] = (_bookkeeping, _local_dict, _random, _table)


def _decide(call: ObservedCall, source: FunctionSource) -> _Decision:
    for handler in _HANDLERS:
        decision = handler(call, source)
        if decision is not None:
            return decision
    return _Decision(reason="")


_Wanted = dict[int, tuple[ObservedCall, Rewrite]]


def plan(source: FunctionSource) -> NativePlan:
    wanted: _Wanted = {}
    native = NativePlan([], [], 0, 0)
    for call in source.calls:
        decision = _decide(call, source)
        if decision.skip:
            continue
        native.total += 1
        if decision.rewrite is not None:
            wanted[id(call.node)] = (call, decision.rewrite)
        else:
            _stays_python(native, call, decision.reason)
    for key, reason in _python_uses(source, wanted).items():
        call, _ = wanted.pop(key)
        _stays_python(native, call, reason)
    done = _statement_replacements(source, wanted, native)
    _other_replacements(wanted, done, native)
    native.replacements.sort(key=lambda r: (r.path, r.line))
    mapped = {k: v for k, v in wanted.items() if id(v[0].node) not in native.reasons}
    native.recognised = len(mapped)
    native.categories = frozenset(rewrite.category for _, rewrite in mapped.values())
    native.unknown.sort(key=lambda c: (c.path, c.line))
    if not native.unknown and not source.loops:
        native.function, native.function_name = _complete_function(source, mapped)
    return native


def _stays_python(native: NativePlan, call: ObservedCall, reason: str) -> None:
    if id(call.node) not in native.reasons:
        native.unknown.append(call)
        native.reasons[id(call.node)] = reason


def _python_uses(source: FunctionSource, wanted: _Wanted) -> dict[int, str]:
    """Recognised calls whose result the body uses as a Python value, with the reason: inside a Python
    comprehension, generator or lambda; indexed by a key (`np.load(p)["x"]`); or read for an attribute a
    tensor does not have (PIL's `.size`)."""
    root = source.node
    if root is None:
        return {}
    out: dict[int, str] = {}
    for node in ast.walk(root):
        if isinstance(node, PYTHON_ONLY) and node is not root:
            for inner in ast.walk(node):
                if inner is not node and id(inner) in wanted:
                    out[id(inner)] = ("it runs inside a Python comprehension, generator or lambda: iterate "
                                      "with whole-tensor ops instead")
        elif isinstance(node, ast.Subscript) and id(node.value) in wanted and _is_text(node.slice):
            key = ast.unparse(node.slice)
            out[id(node.value)] = f"its result is indexed by a key ({key}): a tensor is not"
        elif isinstance(node, ast.Attribute) and id(node.value) in wanted \
                and node.attr not in TENSOR_ATTRIBUTES and not _is_method_call(node, wanted):
            out[id(node.value)] = f"its result's `.{node.attr}` has no tensor counterpart"
    return {key: why for key, why in out.items() if key in wanted}


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_method_call(attribute: ast.Attribute, wanted: _Wanted) -> bool:
    """`img.resize(...)` on a rewritten `img`: the method call is itself rewritten, not read as a value."""
    return any(isinstance(call.node.func, ast.Attribute) and call.node.func is attribute
               for call, _ in wanted.values())


def _statement_replacements(source: FunctionSource, wanted: _Wanted, native: NativePlan) -> set[int]:
    done: set[int] = set()
    for line, stmt in sorted(source.statements.items()):
        if not any(id(n) in wanted for n in ast.walk(stmt)):
            continue
        rewritten, used, refused = _rewrite(stmt, wanted)
        for key in refused:
            _stays_python(native, wanted[key][0], refused[key])
        done.update(used)
        done.update(refused)
        if not used:
            continue
        notes = "; ".join(dict.fromkeys(_note(*wanted[i]) for i in used if wanted[i][1].note))
        original = (segment(source.lines, stmt) or source.line_text(line)).strip()
        native.replacements.append(Replacement(source.path, line, original, rewritten, notes))
    return done


def _other_replacements(wanted: _Wanted, done: set[int], native: NativePlan) -> None:
    """Calls outside simple statements (loop headers, helpers): the outermost call, rewritten alone."""
    left = {k: v for k, v in wanted.items() if k not in done}
    nested = {id(n) for k, (call, _) in left.items() for n in ast.walk(call.node) if id(n) != k}
    for key, (call, rewrite) in left.items():
        if key in nested:
            continue
        text, used, refused = _rewrite(call.node, left)
        for inner in refused:
            _stays_python(native, left[inner][0], refused[inner])
        if not used:
            continue
        notes = "; ".join(dict.fromkeys(_note(*left[i]) for i in used if left[i][1].note))
        notes = notes or _note(call, rewrite)
        native.replacements.append(Replacement(call.path, call.line, call.text, text, notes))


def _note(call: ObservedCall, rewrite: Rewrite) -> str:
    """The rewrite's note with the user's receiver name (`VOCAB_table` for `VOCAB.get`)."""
    return rewrite.note.replace("{self}", call.receiver) if call.receiver else rewrite.note


class _Replace(ast.NodeTransformer):
    def __init__(self, wanted: dict[int, tuple[ObservedCall, Rewrite]]) -> None:
        self.wanted = wanted
        self.used: list[int] = []
        self.refused: dict[int, str] = {}

    def visit_Call(self, node: ast.Call) -> ast.AST:
        key = id(node)
        in_memory = bool(node.args) and _is_in_memory(node.args[0], self.wanted)
        view = _byte_view(node, self.wanted)
        self.generic_visit(node)  # inner calls first, so arguments are already rewritten
        if view is not None:
            node.args[0] = view
        if key not in self.wanted:
            return node
        call, rewrite = self.wanted[key]
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        if receiver is not None and call.receiver is not None:
            call = _with_receiver(call, ast.unparse(receiver))
        keywords = {k.arg or "**": ast.unparse(k.value) for k in node.keywords}
        filled = fill(rewrite, call, [ast.unparse(a) for a in node.args], in_memory, keywords)
        expr = _expression(filled)
        if expr is None:
            self.refused[key] = f"its arguments do not fit `{rewrite.example}`"
            return node
        expr = _FoldEscape().visit(expr)
        if any(isinstance(n, PYTHON_ONLY) for n in ast.walk(expr)):
            self.refused[key] = ("its argument is a Python generator, comprehension or lambda, which a "
                                 "TensorFlow op cannot take")
            return node
        self.used.append(key)
        return ast.copy_location(expr, node)


class _FoldEscape(ast.NodeTransformer):
    """`re.escape('.raw')` -> `'\\.raw'`: the pattern written out, so the code needs no `import re`."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if ast.unparse(node.func) == "re.escape" and len(node.args) == 1 and _is_text(node.args[0]):
            value = node.args[0]
            assert isinstance(value, ast.Constant) and isinstance(value.value, str)
            return ast.copy_location(ast.Constant(re.escape(value.value)), node)
        return node


def _expression(text: str | None) -> ast.expr | None:
    if text is None:
        return None
    try:
        return parse_expression_quietly(text)
    except SyntaxError:
        return None


def _byte_view(node: ast.Call, wanted: _Wanted) -> ast.expr | None:
    """The bytes under `np.frombuffer(raw, np.uint8)` when `node` is a decoder that gets that view."""
    if id(node) not in wanted or wanted[id(node)][1].category not in (IMAGE, AUDIO) or not node.args:
        return None
    inner = node.args[0]
    if not (isinstance(inner, ast.Call) and id(inner) in wanted and wanted[id(inner)][0].key in BYTE_VIEWS):
        return None
    return copy.deepcopy(inner.args[0]) if inner.args else None


def _is_in_memory(arg: ast.expr, wanted: dict[int, tuple[ObservedCall, Rewrite]]) -> bool:
    return isinstance(arg, ast.Call) and id(arg) in wanted and wanted[id(arg)][0].key in IN_MEMORY_WRAPPERS


def _with_receiver(call: ObservedCall, receiver: str) -> ObservedCall:
    return ObservedCall(call.key, call.node, call.path, call.line, call.text, receiver, call.pattern)


def _transform(node: ast.AST, wanted: _Wanted) -> tuple[ast.AST, list[int], dict[int, str]]:
    # Transform a copy so that the function's own tree (and the ids in `wanted`) stay intact.
    ids: dict[int, int] = {}
    clone = copy.deepcopy(node, memo={})
    for original, copied in zip(ast.walk(node), ast.walk(clone), strict=True):
        if id(original) in wanted:
            ids[id(copied)] = id(original)
    transformer = _Replace({copied: wanted[orig] for copied, orig in ids.items()})
    new = ast.fix_missing_locations(transformer.visit(clone))
    return new, [ids[c] for c in transformer.used], {ids[c]: why for c, why in transformer.refused.items()}


def _rewrite(node: ast.AST, wanted: _Wanted) -> tuple[str, list[int], dict[int, str]]:
    new, used, refused = _transform(node, wanted)
    return ast.unparse(new), used, refused


def _complete_function(source: FunctionSource, mapped: _Wanted) -> tuple[str, str]:
    """The whole function with TensorFlow ops, or ("", "") when part of it would stay Python."""
    node = source.node
    if node is None or any(not (source.line <= c.line <= source.end_line) for c, _ in mapped.values()):
        return "", ""  # a helper's calls are rewritten in the helper: not one function to hand over
    if any(not rewrite.drop_in for _, rewrite in mapped.values()):
        # np.load -> tf.io.parse_tensor reads only converted files: on the user's .npy files the "complete"
        # function raised InvalidArgumentError (fresh-clone audit, TF 2.21)
        return "", ""
    body: list[ast.stmt] = node.body if isinstance(node.body, list) else [ast.Return(node.body)]
    inner = [n for stmt in body for n in ast.walk(stmt)]
    if any(isinstance(n, _NOT_IN_GRAPH) for n in inner):
        return "", ""
    calls = [n for n in inner if isinstance(n, ast.Call)]
    if any(id(c) not in mapped and not _is_tensorflow_call(c, source) for c in calls):
        return "", ""  # Python calls (len, int, str, helpers) would run on tensors
    if _python_value_reads(node, inner, calls):
        return "", ""
    name = f"{code_name(source.name, source.line)}_tf"
    definition = ast.parse(f"def {name}():\n    return None").body[0]
    assert isinstance(definition, ast.FunctionDef)
    definition.args = copy.deepcopy(node.args)
    definition.body = copy.deepcopy(body)
    copied = (n for stmt in definition.body for n in ast.walk(stmt))
    ids = {id(c): id(o) for o, c in zip(inner, copied, strict=True)}
    transformer = _Replace({copied: mapped[orig] for copied, orig in ids.items() if orig in mapped})
    new = ast.fix_missing_locations(transformer.visit(definition))
    if transformer.refused or len(transformer.used) != len(mapped):
        return "", ""
    return ast.unparse(new), name


def _python_value_reads(node: ast.AST, inner: list[ast.AST], calls: list[ast.Call]) -> bool:
    """Whether the body reads a local value as a Python object: an attribute a tensor lacks (`img.size`) or
    an item by key (`data["x"]`)."""
    local = {n.id for n in inner if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    local |= {a.arg for a in ast.walk(node) if isinstance(a, ast.arg)}
    methods = {id(c.func) for c in calls}
    for item in inner:
        if isinstance(item, ast.Attribute) and id(item) not in methods and isinstance(item.value, ast.Name) \
                and item.value.id in local and item.attr not in TENSOR_ATTRIBUTES:
            return True
        if isinstance(item, ast.Subscript) and isinstance(item.value, ast.Name) and item.value.id in local \
                and _is_text(item.slice):
            return True
    return False


def _is_tensorflow_call(call: ast.Call, source: FunctionSource) -> bool:
    observed = next((c for c in source.calls if c.node is call), None)
    return observed is not None and observed.key.startswith("tensorflow.")


# ------------------------------------------------------------------------------------ the block


def code_block(source: FunctionSource, native: NativePlan) -> str:
    """A complete function when the whole body maps; otherwise a sketch, titled so, whose Python that
    stays is comments."""
    short = source.path.rsplit("/", 1)[-1]
    # a lambda's display name (`lambda (line 4)`) is not how the user's code reads
    shown = "the lambda" if lambda_line(source.name) is not None else f"`{source.name}`"
    if native.complete:
        return "\n".join([
            f"# {shown} ({short}:{source.line}) with TensorFlow ops, complete: map it directly,",
            "# without py_function/numpy_function. It is traced once and runs as graph ops: parallel, no",
            "# GIL, service-ready.",
            native.function,
            "",
            f"# ds = ds.map({native.function_name}, num_parallel_calls=tf.data.AUTOTUNE)",
        ])
    out = [
        f"# Sketch, not a complete function: the calls of {shown} that have TensorFlow ops, each",
        "# under its original line. The Python listed at the end has no TensorFlow form here: rewrite it",
        "# by hand before mapping the function without py_function/numpy_function.",
    ]
    for rep in native.replacements:
        out.append(f"# {short}:{rep.line}  {_one_line(rep.python)}")
        out.append(rep.tensorflow)
    if native.unknown or source.loops:
        out.append("# Still Python, rewrite by hand:")
        for call in native.unknown:
            why = native.reasons.get(id(call.node), "")
            out.append(f"#   {short}:{call.line}  {_one_line(call.text)}" + (f"  ({why})" if why else ""))
        if source.loops:
            lines = ", ".join(str(n) for n in sorted(set(source.loops)))
            out.append(f"#   Python loops over the element's data (line {lines}): use whole-tensor ops")
    return "\n".join(out)


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 90 else flat[:87] + "..."
