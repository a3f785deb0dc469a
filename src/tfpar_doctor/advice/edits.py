"""Small, exact edits of the user's own lines, shown in advice (never applied): the statement as written and
the statement as it should read, so that the advice uses the user's dataset and function names."""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tfpar_doctor.advice.source import parse_expression_quietly, parse_quietly, segment, source_lines
from tfpar_doctor.knowledge.rewrites import DATASET_KEYWORDS
from tfpar_doctor.model import Location

_DEFINITIONS = (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)


@dataclass(frozen=True, slots=True)
class StatementEdit:
    path: str
    line: int
    before: str
    after: str
    target: str | None  # the name the statement assigns to (`ds`), when it assigns one


@lru_cache(maxsize=64)
def parsed_file(path: str) -> tuple[ast.Module, str] | None:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        return parse_quietly(text), text
    except (OSError, SyntaxError, ValueError):
        return None


def read_lines(path: str) -> list[str] | None:
    parsed = parsed_file(path)
    return _lines(path) if parsed else None


@lru_cache(maxsize=64)
def _lines(path: str) -> list[str]:
    parsed = parsed_file(path)
    return source_lines(parsed[1]) if parsed else []


def _statement_and_call(location: Location, method: str | None,
                        function: str | None = None) -> tuple[ast.stmt, ast.Call] | None:
    """The innermost statement holding the call whose method name sits at `location`.

    The analysis points at the method's name (`ds.map` -> `map`), which names one call. The probe knows only
    where the whole call expression starts, which every call of a chain shares (`Source(n).repeat().map(f)`):
    then only a call of `method` fits, disambiguated by the mapped `function`'s name; when several still fit,
    no call is chosen rather than a wrong one."""
    parsed = parsed_file(location.path)
    if parsed is None:
        return None
    tree, _ = parsed
    best: ast.stmt | None = None
    calls: list[ast.Call] = []
    for stmt in ast.walk(tree):
        if not isinstance(stmt, ast.stmt) or isinstance(stmt, _DEFINITIONS):
            continue
        if not (stmt.lineno <= location.line <= (stmt.end_lineno or stmt.lineno)):
            continue
        found = [n for n in ast.walk(stmt) if isinstance(n, ast.Call) and _call_at(n, location, method)]
        if found and (best is None or stmt.lineno >= best.lineno):
            best, calls = stmt, found
    if best is None:
        return None
    named = [c for c in calls if _name_ends_at(c, location)]
    if named:
        return best, named[-1]
    if method is None:
        return best, calls[-1]  # context only (the statement around the site), never an edit of one call
    if len(calls) > 1 and function:
        calls = [c for c in calls if _maps(c, function)]
    return (best, calls[0]) if len(calls) == 1 else None


def call_at(location: Location, method: str | None) -> tuple[ast.stmt, ast.Call] | None:
    """The statement and the call of `method` (any call when None) that `location` names."""
    return _statement_and_call(location, method)


def _name_ends_at(node: ast.Call, location: Location) -> bool:
    func = node.func
    if not isinstance(func, ast.Attribute) or func.end_lineno != location.line or func.end_col_offset is None:
        return False
    return func.end_col_offset - len(func.attr) + 1 == location.column


def _maps(call: ast.Call, function: str) -> bool:
    """Whether the call's function argument is `function` (the probe's name for it: `_load`, `<lambda>`)."""
    arg = _function_argument(call)
    if isinstance(arg, ast.Lambda):
        return function == "<lambda>"
    return arg is not None and ast.unparse(arg).rsplit(".", 1)[-1] == function


def _function_argument(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg in ("map_func", "predicate", "generator")), None)


def _call_at(node: ast.Call, location: Location, method: str | None) -> bool:
    func = node.func
    if isinstance(func, ast.Attribute):
        if method is not None and func.attr != method:
            return False
        # The finding points at the method name: the attribute ends where the name ends.
        return (func.end_lineno == location.line and func.end_col_offset is not None
                and func.end_col_offset - len(func.attr) + 1 == location.column) or (
            node.lineno == location.line and node.col_offset + 1 == location.column)
    return node.lineno == location.line and node.col_offset + 1 == location.column


def mapped_function(location: Location, method: str | None) -> str | None:
    """The name of the function a transformation at `location` is given (`_load`, `self._decode`,
    `lambda`)."""
    found = _statement_and_call(location, method)
    if found is None:
        return None
    arg = _function_argument(found[1])
    if isinstance(arg, (ast.Name, ast.Attribute)):
        return ast.unparse(arg)
    if isinstance(arg, ast.Lambda):
        return "lambda"
    if isinstance(arg, ast.Call):
        return f"{ast.unparse(arg.func)}(...)"
    return None


def mapped_argument(location: Location, method: str | None) -> str | None:
    """The function argument of the transformation at `location` as written (a lambda whole), one line."""
    found = _statement_and_call(location, method)
    arg = _function_argument(found[1]) if found is not None else None
    if arg is None:
        return None
    return " ".join(segment(_lines(location.path), arg).split()) or None


def set_keywords(location: Location, keywords: dict[str, str], method: str | None = "map",
                 function: str | None = None) -> StatementEdit | None:
    """The statement holding the `.method(...)` call at `location` with these tf.data keyword arguments set
    (source text values); None unless every keyword is one that tf.data's `method` takes, and unless the
    call at `location` is that method's call (never another call of the statement, such as a constructor)."""
    accepted = DATASET_KEYWORDS.get(method or "")
    if accepted is None or any(name not in accepted for name in keywords):
        return None
    found = _statement_and_call(location, method, function)
    if found is None:
        return None
    stmt, call = found
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == method):
        return None
    clone = copy.deepcopy(stmt)
    target_call = next(n for o, n in zip(ast.walk(stmt), ast.walk(clone), strict=True) if o is call)
    assert isinstance(target_call, ast.Call)
    present = {k.arg: k for k in target_call.keywords if k.arg}
    for name, value in keywords.items():
        expr = parse_expression_quietly(value)
        position = accepted[name]
        if position is not None and len(target_call.args) == position + 1:
            del target_call.args[position]  # the last positional argument: passed by keyword instead
        if position is not None and len(target_call.args) > position + 1:
            target_call.args[position] = expr  # later positional arguments follow: changed where it stands
        elif name in present:
            present[name].value = expr
        else:
            target_call.keywords.append(ast.keyword(arg=name, value=expr))
    return StatementEdit(location.path, stmt.lineno, segment(_lines(location.path), stmt),
                         ast.unparse(clone), _target(stmt))


def statement_at(location: Location, method: str | None = None) -> StatementEdit | None:
    """The statement holding the call at `location`, unchanged (for context and its assigned name)."""
    found = _statement_and_call(location, method)
    if found is None:
        return None
    stmt, _ = found
    written = segment(_lines(location.path), stmt)
    return StatementEdit(location.path, stmt.lineno, written, written, _target(stmt))


def chain_method(location: Location, method: str, call_text: str) -> StatementEdit | None:
    """The statement with `.call_text` chained onto the call at `location` (`ds.batch(32).prefetch(...)`)."""
    found = _statement_and_call(location, method)
    if found is None:
        return None
    stmt, call = found
    clone = copy.deepcopy(stmt)
    extra = ast.parse(f"_.{call_text}", mode="eval").body
    assert isinstance(extra, ast.Call) and isinstance(extra.func, ast.Attribute)
    chained = extra.func

    class _Chain(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call) -> ast.AST:
            if node is target:
                chained.value = node
                return extra
            return self.generic_visit(node)

    target = next(n for o, n in zip(ast.walk(stmt), ast.walk(clone), strict=True) if o is call)
    new = _Chain().visit(clone)
    return StatementEdit(location.path, stmt.lineno, segment(_lines(location.path), stmt),
                         ast.unparse(new), _target(stmt))


def batch_first(map_site: Location) -> StatementEdit | None:
    """`ds.map(f).batch(n)` written as `ds.batch(n).map(f)`: the batch call whose receiver is the map."""
    found = _statement_and_call(map_site, None)
    if found is None:
        return None
    stmt, call = found
    clone = copy.deepcopy(stmt)
    mapping = {id(o): n for o, n in zip(ast.walk(stmt), ast.walk(clone), strict=True)}
    inner = mapping[id(call)]
    outer = next((n for n in ast.walk(clone) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                  and n.func.attr in ("batch", "padded_batch") and n.func.value is inner), None)
    if outer is None or not isinstance(inner, ast.Call) or not isinstance(inner.func, ast.Attribute) \
            or not isinstance(outer.func, ast.Attribute):
        return None
    moved = ast.Call(func=ast.Attribute(value=inner.func.value, attr=outer.func.attr, ctx=ast.Load()),
                     args=outer.args, keywords=outer.keywords)
    outer.func = ast.Attribute(value=moved, attr=inner.func.attr, ctx=ast.Load())
    outer.args, outer.keywords = inner.args, inner.keywords
    return StatementEdit(map_site.path, stmt.lineno, segment(_lines(map_site.path), stmt), ast.unparse(clone),
                         _target(stmt))


def replace_function_argument(location: Location, old: str, new: str,
                              lambda_line: int | None = None) -> StatementEdit | None:
    """`tf.py_function(old, [x], T)` at `location` with its function argument (first positional or `func=`)
    replaced by the name `new`; with `lambda_line`, the lambda written at that line is the one replaced
    (`tf.py_function(lambda x: ..., ...)` -> `tf.py_function(new, ...)`)."""
    found = _statement_and_call(location, None)
    if found is None:
        return None
    stmt, call = found
    clone = copy.deepcopy(stmt)
    target_call = next(n for o, n in zip(ast.walk(stmt), ast.walk(clone), strict=True) if o is call)
    assert isinstance(target_call, ast.Call)
    replacement = ast.Name(id=new, ctx=ast.Load())
    if target_call.args and _is_function(target_call.args[0], old, lambda_line):
        target_call.args[0] = replacement
    else:
        keyword = next((k for k in target_call.keywords if k.arg == "func"), None)
        if keyword is None or not _is_function(keyword.value, old, lambda_line):
            return None
        keyword.value = replacement
    return StatementEdit(location.path, stmt.lineno, segment(_lines(location.path), stmt),
                         ast.unparse(clone), _target(stmt))


def _is_function(arg: ast.expr, name: str, lambda_line: int | None) -> bool:
    """Whether `arg` is the function `name` (`name`, `module.name`) or, with a line, the lambda written
    there."""
    if lambda_line is not None:
        return isinstance(arg, ast.Lambda) and arg.lineno == lambda_line
    return (isinstance(arg, ast.Name) and arg.id == name) or (
        isinstance(arg, ast.Attribute) and arg.attr == name)


def _target(stmt: ast.stmt) -> str | None:
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
        return ast.unparse(target) if isinstance(target, (ast.Name, ast.Attribute)) else None
    if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        return ast.unparse(stmt.target)
    return None


def replace_node(stmt: ast.stmt, node: ast.AST, expression: str) -> str:
    """`stmt` unparsed with `node` (one of its expressions) replaced by `expression` (source text)."""
    return replace_nodes(stmt, [(node, expression)])


def replace_nodes(stmt: ast.stmt, swaps: list[tuple[ast.AST, str]]) -> str:
    """`stmt` unparsed with each node of `swaps` (its expressions, none inside another) replaced by its
    expression (source text)."""
    clone = copy.deepcopy(stmt)
    originals = {id(node): parse_expression_quietly(expression) for node, expression in swaps}
    targets = {id(n): originals[id(o)] for o, n in zip(ast.walk(stmt), ast.walk(clone), strict=True)
               if id(o) in originals}

    class _Swap(ast.NodeTransformer):
        def visit(self, current: ast.AST) -> ast.AST:
            return targets[id(current)] if id(current) in targets else super().visit(current)

    return ast.unparse(_Swap().visit(clone))
