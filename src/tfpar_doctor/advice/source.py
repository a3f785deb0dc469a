"""Read a per-element Python function's source and list the library calls it makes.

The advisor needs the calls themselves (`np.fft.rfft(frames, axis=-1)` with its arguments), not only
the analyzer's verdict on them, to write the replacement code. Advice is not on the hot path, so this
module parses the function's file again with `ast` when a report is built: it resolves import aliases,
follows the types of values it can track (`img = Image.open(p)` makes `img.resize` a PIL method,
`WORD = re.compile(...)` makes `WORD.findall` a regex method) and descends into helper functions of the
same module, the way the code reads.
"""

from __future__ import annotations

import ast
import os
import re
import warnings
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from tfpar_doctor.knowledge.rewrites import RETURN_TYPES

_HELPER_DEPTH = 2
# Statements that hold other statements: the rewrite works on the simple statements inside them.
_COMPOUND = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.For, ast.AsyncFor, ast.While, ast.If,
             ast.With, ast.AsyncWith, ast.Try, ast.Match)


@dataclass(frozen=True, slots=True)
class ObservedCall:
    """One call in the function body, named the way the rewrite table keys it."""

    key: str  # "numpy.fft.rfft", "PIL.Image.Image.resize", ".lower" (method on an unknown receiver)
    node: ast.Call
    path: str
    line: int
    text: str  # the call as written
    receiver: str | None = None  # source of the receiver for method calls
    pattern: str | None = None  # the regex a compiled pattern was built from


@dataclass(slots=True)
class FunctionSource:
    path: str
    name: str  # "encode_transcript" or "Loader._decode"
    line: int
    end_line: int
    text: str  # the whole def, as written
    module_imports_tensorflow: bool
    calls: list[ObservedCall] = field(default_factory=list)
    statements: dict[int, ast.stmt] = field(default_factory=dict)  # simple statements by first line
    lines: list[str] = field(default_factory=list)  # the file's lines
    loops: list[int] = field(default_factory=list)  # lines of Python loops over data in the body
    module_names: frozenset[str] = frozenset()  # names assigned at module level (tables, constants)
    module_values: dict[str, ast.expr] = field(default_factory=dict)  # `NAME = <expr>` at module level
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | None = None  # the definition itself
    module_imports: dict[str, str] = field(default_factory=dict)  # `np` -> "numpy", `c` -> "a.b.c"
    module_definitions: frozenset[str] = frozenset()  # functions and classes defined at module level
    enclosing_names: frozenset[str] = frozenset()  # names bound in the functions around the definition

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""


def parse_quietly(text: str) -> ast.Module:
    """ast.parse without Syntax/DeprecationWarnings on stderr (`"\\d"` escapes, `x is 1`): the user's
    odd-but-valid code is not our message."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return ast.parse(text)


def parse_expression_quietly(text: str) -> ast.expr:
    """One expression (the user's argument in a rewrite template), parsed like `parse_quietly`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return ast.parse(text, mode="eval").body


_NEWLINE = re.compile(r"\r\n|\r|\n")


def source_lines(text: str) -> list[str]:
    """Lines the way `ast` numbers them (form feeds and other separators are not line breaks)."""
    return _NEWLINE.split(text)


def segment(lines: list[str], node: ast.AST) -> str:
    """The source of `node`, like ast.get_source_segment but on lines split once (offsets are UTF-8 bytes)."""
    start, end = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
    col, end_col = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
    if start is None or end is None or col is None or end_col is None or end > len(lines):
        return ""
    if start == end:
        return lines[start - 1].encode()[col:end_col].decode(errors="replace")
    first = lines[start - 1].encode()[col:].decode(errors="replace")
    last = lines[end - 1].encode()[:end_col].decode(errors="replace")
    return "\n".join([first, *lines[start:end - 1], last])


def split_function_id(function_id: str) -> tuple[str, str]:
    """`"data/audio.py:Loader._read"` -> (`"data/audio.py"`, `"Loader._read"`); Windows drive letters kept."""
    path, sep, name = function_id.rpartition(":")
    if not sep or not path:
        return function_id, ""
    return path, name


def load_function(function_id: str) -> FunctionSource | None:
    """The function named by a finding (`path:Name` or `path:Class.method`), or None when unreadable."""
    path, name = split_function_id(function_id)
    if not name:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _load_function(path, name, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _load_function(path: str, name: str, mtime_ns: int, size: int) -> FunctionSource | None:
    # Many findings of a report name the same function: parse each version of a file once.
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        tree = parse_quietly(text)
    except (OSError, SyntaxError, ValueError):
        return None
    module = _Module(tree, text)
    line = lambda_line(name)
    node = module.find(name) if line is None else _lambda_at(tree, line)
    if node is None:
        return None
    source = FunctionSource(
        path=path,
        name=name,
        line=node.lineno,
        end_line=node.end_lineno or node.lineno,
        text=segment(module.lines, node),
        module_imports_tensorflow=module.imports_tensorflow,
        lines=module.lines,
        module_names=frozenset(module.names),
        module_values=dict(module.values),
        node=node,
        module_imports=dict(module.aliases),
        module_definitions=frozenset(module.functions) | frozenset(module.classes),
        enclosing_names=frozenset(_enclosing_names(tree, node)),
    )
    _Collector(module, source, path).function(node, depth=0)
    return source


# How the analysis names a lambda (`lambda (line 1840)`) and how the probe does (`<lambda>`).
_LAMBDA_NAME = re.compile(r"(?:^|[.:])lambda \(line (\d+)\)$")


def lambda_line(name: str) -> int | None:
    """1840 for the analysis's `lambda (line 1840)` (alone, or ending a `path:name` function id); None for
    a named function."""
    match = _LAMBDA_NAME.search(name)
    return int(match.group(1)) if match else None


def code_name(name: str, line: int | None = None, prefix: str = "_map_fn") -> str:
    """A Python identifier for a function in generated code: the last part of a qualified name
    (`Loader._load` -> `_load`), `<prefix>_1840` for a lambda (`lambda (line 1840)`, or the probe's
    `<lambda>` with its line: `_map_fn_1840`, `generator_1840`), never a display name that does not parse."""
    last = name.rsplit(".", 1)[-1]
    found = lambda_line(name)
    if found is not None or last == "<lambda>":
        number = found if found is not None else line
        return f"{prefix}_{number}" if number is not None else prefix
    return last if last.isidentifier() else prefix


@dataclass(frozen=True, slots=True)
class LiftedLambda:
    """A lambda written as a def, for code that must name it (a process pool imports or pickles it)."""

    name: str  # `_map_fn_1840`
    definition: str  # `def _map_fn_1840(x):\n    return ...`
    free_names: tuple[str, ...]  # module-level names its body uses (to import from the user's module)
    imports: tuple[str, ...] = ()  # the user's import statements for the imported names it uses
    module_names: tuple[str, ...] = ()  # names the user's module defines or assigns that it uses
    constants: tuple[str, ...] = ()  # `SCALE = 3`: module-level literals it uses, copied rather than imported
    local_names: tuple[str, ...] = ()  # names of the enclosing function (`self`, locals): not at module level
    tensorflow: tuple[str, ...] = ()  # names it uses that are TensorFlow or Keras (`tf`)
    line: int = 0  # where the lambda is written


def lift_lambda(function_id: str) -> LiftedLambda | None:
    """The lambda a finding names (`path:lambda (line 1840)`) as a def; None for a named function."""
    source = load_function(function_id)
    if source is None or not isinstance(source.node, ast.Lambda):
        return None
    lam = source.node
    name = code_name(source.name)
    definition = ast.parse(f"def {name}():\n    return None").body[0]
    assert isinstance(definition, ast.FunctionDef)
    definition.args, definition.body = lam.args, [ast.Return(lam.body)]
    params = {a.arg for a in (*lam.args.posonlyargs, *lam.args.args, *lam.args.kwonlyargs)}
    params |= {a.arg for a in (lam.args.vararg, lam.args.kwarg) if a is not None}
    bound = params | _comprehension_targets(lam.body)
    used = dict.fromkeys(n.id for n in ast.walk(lam.body) if isinstance(n, ast.Name) and n.id not in bound)
    # A name the enclosing function binds shadows the module's (and a builtin): only a closure sees it.
    local = tuple(n for n in used if n in source.enclosing_names)
    free = tuple(n for n in used if n not in _BUILTINS and n not in local)
    lifted = LiftedLambda(name, ast.unparse(ast.fix_missing_locations(definition)), free, line=lam.lineno)
    return _with_free_names(lifted, source, local)


def _with_free_names(lifted: LiftedLambda, source: FunctionSource, local: tuple[str, ...]) -> LiftedLambda:
    """Where each free name of the lambda comes from: an import, a literal, a module-level definition, or
    a scope a worker never sees."""
    free = lifted.free_names
    imported = {n: source.module_imports[n] for n in free if n in source.module_imports}
    tensorflow = tuple(n for n, full in imported.items() if full.split(".")[0] in _TENSORFLOW_MODULES)
    defined = source.module_definitions | source.module_names
    values = source.module_values
    constants = {n: f"{n} = {ast.unparse(values[n])}" for n in free
                 if n not in imported and n in values and _is_literal(values[n])}
    module_level = tuple(n for n in free if n not in imported and n not in constants and n in defined)
    unknown = tuple(n for n in free if n not in imported and n not in defined)
    return replace(lifted, imports=tuple(import_statement(n, imported[n]) for n in imported),
                   module_names=module_level, constants=tuple(constants.values()),
                   local_names=local + unknown, tensorflow=tensorflow)


_TENSORFLOW_MODULES = ("tensorflow", "keras", "tf_keras")


def _is_literal(value: ast.expr) -> bool:
    try:
        ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def import_statement(name: str, full: str) -> str:
    """The import that binds `name` to `full` (as the module resolved it): `import numpy as np`,
    `from a.b import c`, `import note_seq`."""
    if "." not in full:
        return f"import {full}" if full == name else f"import {full} as {name}"
    package, _, last = full.rpartition(".")
    return f"from {package} import {last}" if last == name else f"from {package} import {last} as {name}"


def _enclosing_names(tree: ast.Module, node: ast.AST) -> set[str]:
    """Parameters and assigned names of the functions (and lambdas) that contain `node`."""
    names: set[str] = set()
    for scope in ast.walk(tree):
        if scope is node or not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if not _contains(scope, node):
            continue
        arguments = scope.args
        names |= {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
        names |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
        names |= {n.id for n in ast.walk(scope) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        names |= {n.name for n in ast.walk(scope) if n is not scope
                  and isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
        names |= {(a.asname or a.name).split(".")[0] for n in ast.walk(scope)
                  if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    return names


def _contains(outer: ast.AST, inner: ast.AST) -> bool:
    start = (getattr(outer, "lineno", 0), getattr(outer, "col_offset", 0))
    end = (getattr(outer, "end_lineno", 0) or 0, getattr(outer, "end_col_offset", 0) or 0)
    return start <= (getattr(inner, "lineno", -1), getattr(inner, "col_offset", -1)) <= end


def _comprehension_targets(node: ast.AST) -> set[str]:
    return {n.id for c in ast.walk(node) if isinstance(c, ast.comprehension)
            for n in ast.walk(c.target) if isinstance(n, ast.Name)}


_BUILTINS = frozenset(dir(__import__("builtins")))


def _lambda_at(tree: ast.Module, line: int) -> ast.Lambda | None:
    """The lambda written at `line`; of several (`ds.map(lambda x: tf.py_function(lambda v: ..., ...))`),
    the one handed to a per-element Python wrapper, which is the one a finding names."""
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Lambda) and n.lineno == line]
    if len(found) > 1:
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = call_name(call.func) or ""
            arguments = [*call.args[:1], *(k.value for k in call.keywords if k.arg == "func")]
            wrapped = [a for a in arguments if any(a is f for f in found)]
            if name.rsplit(".", 1)[-1] in _PYTHON_WRAPPERS and wrapped:
                assert isinstance(wrapped[0], ast.Lambda)
                return wrapped[0]
    return found[0] if found else None


# The calls that run their function argument as Python per element.
_PYTHON_WRAPPERS = ("py_function", "numpy_function", "py_func")


def call_name(func: ast.expr) -> str | None:
    """`np.fft.rfft` -> "np.fft.rfft"; None for calls on computed receivers."""
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
        return ".".join(reversed(parts))
    return None


class _Module:
    """Imports, module-level typed names and functions of one file."""

    def __init__(self, tree: ast.Module, text: str) -> None:
        self.text = text
        self.lines = source_lines(text)
        self.aliases: dict[str, str] = {}
        self.imports_tensorflow = False
        self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.classes: dict[str, ast.ClassDef] = {}
        self.typed: dict[str, tuple[str, str | None]] = {}  # name -> (type, regex pattern source)
        self.names: set[str] = set()
        self.values: dict[str, ast.expr] = {}
        for stmt in tree.body:
            self._top_level(stmt)

    def _top_level(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                self.aliases[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
                self.imports_tensorflow |= alias.name.split(".")[0] in ("tensorflow", "keras")
        elif isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
            for alias in stmt.names:
                self.aliases[alias.asname or alias.name] = f"{stmt.module}.{alias.name}"
            self.imports_tensorflow |= stmt.module.split(".")[0] in ("tensorflow", "keras")
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.functions[stmt.name] = stmt
        elif isinstance(stmt, ast.ClassDef):
            self.classes[stmt.name] = stmt
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            self.names.update(t.id for t in targets if isinstance(t, ast.Name))
            if len(targets) == 1 and isinstance(targets[0], ast.Name) and stmt.value is not None:
                self.values[targets[0].id] = stmt.value
            typed = self.value_type(stmt.value, {}) if isinstance(stmt.value, ast.Call) else None
            if typed is not None:
                for target in targets:
                    if isinstance(target, ast.Name):
                        self.typed[target.id] = typed
        elif isinstance(stmt, (ast.If, ast.Try)):
            for inner in stmt.body:
                self._top_level(inner)

    def qualify(self, dotted: str) -> str:
        head, _, rest = dotted.partition(".")
        if head in self.aliases:
            full = self.aliases[head]
            return f"{full}.{rest}" if rest else full
        return dotted

    def value_type(self, call: ast.Call,
                   local: dict[str, tuple[str, str | None]]) -> tuple[str, str | None] | None:
        key = self.key_of(call, local)[0]
        if key is None or key not in RETURN_TYPES:
            return None
        pattern = None
        if RETURN_TYPES[key] == "re.Pattern" and call.args:
            pattern = segment(self.lines, call.args[0])
        return RETURN_TYPES[key], pattern

    def key_of(
        self, call: ast.Call, local: dict[str, tuple[str, str | None]]
    ) -> tuple[str | None, str | None, str | None]:
        """(table key, receiver source, regex pattern) of a call."""
        func = call.func
        if isinstance(func, ast.Attribute):
            receiver = func.value
            receiver_text = segment(self.lines, receiver)
            if isinstance(receiver, ast.Name) and (receiver.id in local or receiver.id in self.typed):
                kind, pattern = local.get(receiver.id) or self.typed[receiver.id]
                return f"{kind}.{func.attr}", receiver_text, pattern
            if isinstance(receiver, ast.Call):
                typed = self.value_type(receiver, local)
                if typed is not None:
                    return f"{typed[0]}.{func.attr}", receiver_text, typed[1]
            dotted = call_name(func)
            if dotted is not None and dotted.split(".")[0] in self.aliases:
                return self.qualify(dotted), None, None
            return f".{func.attr}", receiver_text, None
        dotted = call_name(func)
        if dotted is None:
            return None, None, None
        return self.qualify(dotted), None, None

    def find(self, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        head, _, method = name.partition(".")
        if method:
            cls = self.classes.get(head)
            if cls is None:
                return None
            for stmt in cls.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == method:
                    return stmt
            return None
        return self.functions.get(name)


class _Collector:
    def __init__(self, module: _Module, source: FunctionSource, path: str) -> None:
        self.module = module
        self.source = source
        self.path = path
        self.seen: set[str] = set()

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, depth: int) -> None:
        key = node.name if not isinstance(node, ast.Lambda) else f"<lambda:{node.lineno}:{node.col_offset}>"
        if key in self.seen:
            return
        self.seen.add(key)
        local: dict[str, tuple[str, str | None]] = {}
        for stmt in ast.walk(node):
            if depth == 0:
                self._note_structure(stmt, node)
            self._track_types(stmt, local)
        for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
            self._call(call, local, depth)

    def _note_structure(self, stmt: ast.AST, node: ast.AST) -> None:
        """Loops over data and simple statements of the function itself (not of its helpers)."""
        if isinstance(stmt, (ast.For, ast.While)) and stmt is not node and not _is_small_constant_loop(stmt):
            self.source.loops.append(stmt.lineno)
        if isinstance(stmt, ast.stmt) and not isinstance(stmt, _COMPOUND):
            self.source.statements.setdefault(stmt.lineno, stmt)

    def _track_types(self, stmt: ast.AST, local: dict[str, tuple[str, str | None]]) -> None:
        """`img = Image.open(p)`, `with Image.open(p) as img`: the type of `img` for its method calls."""
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if isinstance(item.context_expr, ast.Call) and isinstance(item.optional_vars, ast.Name):
                    typed = self.module.value_type(item.context_expr, local)
                    if typed is not None:
                        local[item.optional_vars.id] = typed
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
            typed = self.module.value_type(stmt.value, local)
            for target in (t for t in stmt.targets if isinstance(t, ast.Name)):
                if typed is not None:
                    local[target.id] = typed
                else:
                    local.pop(target.id, None)

    def _call(self, call: ast.Call, local: dict[str, tuple[str, str | None]], depth: int) -> None:
        key, receiver, pattern = self.module.key_of(call, local)
        if key is None:
            return
        helper = self._helper(call, key)
        if helper is not None and depth < _HELPER_DEPTH:
            self.function(helper, depth + 1)
            return
        self.source.calls.append(ObservedCall(key=key, node=call, path=self.path, line=call.lineno,
                                              text=segment(self.module.lines, call) or key, receiver=receiver,
                                              pattern=pattern))

    def _helper(self, call: ast.Call, key: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """A function of the same module (or a method through `self.`) that the body calls."""
        if key in self.module.functions:
            return self.module.functions[key]
        if key.startswith(".") and isinstance(call.func, ast.Attribute):
            receiver = call.func.value
            if isinstance(receiver, ast.Name) and receiver.id == "self":
                for cls in self.module.classes.values():
                    for stmt in cls.body:
                        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == key[1:]:
                            return stmt
        return None


def _is_small_constant_loop(loop: ast.For | ast.While) -> bool:
    """`for _ in range(6)`: a fixed, short repetition, not a loop over the element's data."""
    if not isinstance(loop, ast.For) or not isinstance(loop.iter, ast.Call):
        return False
    if call_name(loop.iter.func) != "range" or len(loop.iter.args) != 1:
        return False
    arg = loop.iter.args[0]
    return isinstance(arg, ast.Constant) and isinstance(arg.value, int) and arg.value <= 16
