"""`cache()` moved before a random transformation, as an edit of the user's own lines, or the reason why not.

The edit inserts `.cache(...)` right before the random method in the random map's statement and takes it
out of the statement that had it. It is only written when both statements are in the same block (never a
statement lifted out of its `if`, `for` or `with`), when taking `.cache()` out leaves a valid statement, and
when the cache is not a deliberate snapshot (`ds.take(1).cache().repeat()`, fake data for benchmarks).
"""

from __future__ import annotations

import ast
import copy
import textwrap
from dataclasses import dataclass

from tfpar_doctor.advice.edits import call_at, parsed_file, read_lines
from tfpar_doctor.advice.source import parse_quietly, segment
from tfpar_doctor.model import Location


@dataclass(frozen=True, slots=True)
class CacheMove:
    path: str
    first_line: int  # the random map's statement
    last_line: int  # the end of the statement that had the cache
    before: str  # those lines as written, dedented together
    after: str  # the same lines with the cache moved, dedented together (parses)


class _Refused(Exception):
    """The message says why the move is not written, in words for the user."""


def move_cache(cache: Location, random_map: Location) -> CacheMove | str:
    """The edit, or the reason it is not handed over."""
    try:
        return _move(cache, random_map)
    except _Refused as exc:
        return str(exc)


def _move(cache: Location, random_map: Location) -> CacheMove:
    if cache.path != random_map.path:
        raise _Refused(f"the random map is in another file ({random_map.path}:{random_map.line})")
    parsed, lines = parsed_file(cache.path), read_lines(cache.path)
    cache_found, random_found = call_at(cache, "cache"), call_at(random_map, None)
    if parsed is None or lines is None or cache_found is None or random_found is None:
        raise _Refused("the two calls could not be found in the file as it is now")
    (cache_stmt, cache_call), (random_stmt, random_call) = cache_found, random_found
    receiver = cache_call.func.value if isinstance(cache_call.func, ast.Attribute) else None
    if _is_snapshot(receiver):
        raise _Refused(f"line {cache_stmt.lineno} caches a fixed sample (`take(...).cache()`) on purpose")
    if cache_stmt is random_stmt:
        return _one_statement(cache.path, lines, cache_stmt, cache_call, random_call)
    block = _siblings(parsed[0], cache_stmt, random_stmt)
    if block is None:
        raise _Refused(f"`.cache()` (line {cache_stmt.lineno}) and the random map (line "
                       f"{random_stmt.lineno}) are not in the same block: moving it out of its "
                       "`if`/`for`/`with` would change when it runs")
    for stmt in (random_stmt, cache_stmt):
        if any(s is not stmt and stmt.lineno <= s.lineno <= (stmt.end_lineno or stmt.lineno) for s in block):
            raise _Refused(f"line {stmt.lineno} holds more than one statement")
    new_cache = _without_cache(cache_stmt, cache_call)
    first, last = random_stmt.lineno, cache_stmt.end_lineno or cache_stmt.lineno
    region = lines[first - 1:last]
    lifted = _whole_statement(random_stmt, random_call, cache_stmt) if not new_cache else None
    if lifted is not None:
        # `ds = ds.map(augment)` ... `ds = ds.cache()`: the cache statement itself goes first, as written.
        cache_lines = lines[cache_stmt.lineno - 1:last]
        indent = region[0][:len(region[0]) - len(region[0].lstrip())]
        edited = [indent + cache_lines[0].lstrip(), *cache_lines[1:],
                  *_replace_lines(region, first, [(cache_stmt, "")])]
    else:
        new_random = _with_cache_before(random_stmt, random_call, cache_call)
        edited = _replace_lines(region, first, [(random_stmt, new_random), (cache_stmt, new_cache)])
    before, after = textwrap.dedent("\n".join(region)), textwrap.dedent("\n".join(edited))
    try:
        parse_quietly(after)
    except SyntaxError:
        raise _Refused(f"lines {first}-{last} do not read as one block once moved") from None
    return CacheMove(cache.path, first, last, before, after)


def _one_statement(path: str, lines: list[str], stmt: ast.stmt, cache_call: ast.Call,
                   random_call: ast.Call) -> CacheMove:
    """`ds.map(augment).map(norm).cache().shuffle(n)` -> `ds.cache().map(augment).map(norm).shuffle(n)`."""
    if not any(n is random_call for n in ast.walk(cache_call)):
        raise _Refused(f"on line {stmt.lineno} the cache does not follow the random map in one chain")
    clone = copy.deepcopy(stmt)
    mapping = {id(o): n for o, n in zip(ast.walk(stmt), ast.walk(clone), strict=True)}
    new_random, new_cache = mapping[id(random_call)], mapping[id(cache_call)]
    assert isinstance(new_random, ast.Call) and isinstance(new_cache, ast.Call)
    _insert_cache(new_random, cache_call, stmt.lineno)
    assert isinstance(new_cache.func, ast.Attribute)
    edited = _Swap(new_cache, new_cache.func.value).visit(clone)
    last = stmt.end_lineno or stmt.lineno
    return CacheMove(path, stmt.lineno, last, segment(lines, stmt), ast.unparse(edited))


class _Swap(ast.NodeTransformer):
    """Replaces one node of a tree by another."""

    def __init__(self, old: ast.AST, new: ast.AST) -> None:
        self.old, self.new = old, new

    def visit(self, node: ast.AST) -> ast.AST:
        return self.new if node is self.old else super().visit(node)


def _insert_cache(random_call: ast.Call, cache_call: ast.Call, line: int) -> None:
    if not isinstance(random_call.func, ast.Attribute):
        raise _Refused(f"the random transformation at line {line} is not a method call")
    cached = ast.Attribute(value=random_call.func.value, attr="cache", ctx=ast.Load())
    random_call.func.value = ast.Call(func=cached, args=copy.deepcopy(cache_call.args),
                                      keywords=copy.deepcopy(cache_call.keywords))


def _siblings(tree: ast.Module, cache: ast.stmt, random: ast.stmt) -> list[ast.stmt] | None:
    """The statement list holding both, with the random map first; None when they are in different blocks."""
    for node in ast.walk(tree):
        for _, value in ast.iter_fields(node):
            if isinstance(value, list) and any(s is cache for s in value):
                if any(s is random for s in value):
                    index = {id(s): i for i, s in enumerate(value)}
                    return value if index[id(random)] < index[id(cache)] else None
                return None
    return None


def _is_snapshot(receiver: ast.expr | None) -> bool:
    return (isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute)
            and receiver.func.attr == "take")


def _clone_with(stmt: ast.stmt, target: ast.AST) -> tuple[ast.stmt, ast.AST]:
    clone = copy.deepcopy(stmt)
    mapped = next(n for o, n in zip(ast.walk(stmt), ast.walk(clone), strict=True) if o is target)
    return clone, mapped


def _with_cache_before(stmt: ast.stmt, random_call: ast.Call, cache_call: ast.Call) -> str:
    """`ds = ds.map(load).map(augment)` -> `ds = ds.map(load).cache().map(augment)`."""
    clone, call = _clone_with(stmt, random_call)
    assert isinstance(call, ast.Call)
    _insert_cache(call, cache_call, stmt.lineno)
    return ast.unparse(clone)


def _without_cache(stmt: ast.stmt, cache_call: ast.Call) -> str:
    """`ds = ds.cache().shuffle(100)` -> `ds = ds.shuffle(100)`; "" when nothing is left
    (`ds = ds.cache()`)."""
    clone, call = _clone_with(stmt, cache_call)
    assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
    new = _Swap(call, call.func.value).visit(clone)
    if isinstance(new, ast.Assign) and len(new.targets) == 1 \
            and ast.unparse(new.targets[0]) == ast.unparse(new.value):
        return ""  # `ds = ds`: the statement only cached
    if isinstance(new, ast.Expr) and isinstance(new.value, (ast.Name, ast.Attribute)):
        return ""
    return ast.unparse(new)


def _whole_statement(random_stmt: ast.stmt, random_call: ast.Call, cache_stmt: ast.stmt) -> str | None:
    """The dataset name when the cache statement is only `ds = ds.cache(...)` and the random statement starts
    from the same `ds` (`ds = ds.map(augment)`): then the cache statement can move up unchanged."""
    if not (isinstance(cache_stmt, ast.Assign) and len(cache_stmt.targets) == 1
            and isinstance(cache_stmt.targets[0], ast.Name)):
        return None
    name = cache_stmt.targets[0].id
    root: ast.expr = random_call
    while isinstance(root, ast.Call) and isinstance(root.func, ast.Attribute):
        root = root.func.value
    same_block = isinstance(random_stmt, ast.Assign) and ast.unparse(random_stmt.targets[0]) == name
    return name if same_block and isinstance(root, ast.Name) and root.id == name else None


def _replace_lines(region: list[str], first: int, edits: list[tuple[ast.stmt, str]]) -> list[str]:
    """The region with each edited statement's lines replaced by its new text at its own indentation."""
    out = list(region)
    for stmt, text in sorted(edits, key=lambda e: e[0].lineno, reverse=True):
        start, end = stmt.lineno - first, (stmt.end_lineno or stmt.lineno) - first
        indent = region[start][:len(region[start]) - len(region[start].lstrip())]
        out[start:end + 1] = [indent + line for line in text.splitlines()]
    return out
