"""Find the per-element Python function behind a site the probe measured but no finding named.

The probe knows the mapped callable (`_tokens`, or `<lambda>`) and where the map was called; the advice
needs the function that py_function/numpy_function runs (`encode_transcript`, maybe imported from another
module). This follows the mapped function's body to the wrapper call, and the wrapper's first argument to
its definition: in the same module, or in a module imported from a sibling file or package.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tfpar_doctor.advice.edits import parsed_file
from tfpar_doctor.advice.source import call_name
from tfpar_doctor.knowledge.tfdata import PYTHON_CALLBACKS
from tfpar_doctor.model import Location, ProbeSite

_WRAPPER_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in PYTHON_CALLBACKS)
_DEPTH = 3


@dataclass(frozen=True, slots=True)
class PythonBody:
    function_id: str  # "path:name", as Finding.function
    wrapper: Location  # the py_function/numpy_function call


def python_body(site: ProbeSite) -> PythonBody | None:
    parsed = parsed_file(site.path)
    if parsed is None:
        return None
    tree, _ = parsed
    functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    imports = _imports(tree)
    start: ast.AST | None = functions.get(site.function)
    if start is None:  # a lambda (or a method): the call at the site's line holds it
        start = next((n for n in ast.walk(tree) if isinstance(n, ast.Lambda) and n.lineno == site.line), None)
    if start is None:
        return None
    return _search(start, site.path, functions, imports, 0)


def _search(node: ast.AST, path: str, functions: Mapping[str, ast.AST], imports: dict[str, str],
            depth: int) -> PythonBody | None:
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        name = call_name(call.func) or ""
        if name.rsplit(".", 1)[-1] in _WRAPPER_NAMES and call.args and isinstance(call.args[0], ast.Name):
            target = call.args[0].id
            wrapper = Location(path, call.lineno, call.col_offset + 1, call.end_lineno or call.lineno,
                               (call.end_col_offset or call.col_offset) + 1)
            if target in functions:
                return PythonBody(f"{path}:{target}", wrapper)
            located = _module_file(path, imports.get(target))
            if located is not None:
                return PythonBody(f"{located}:{target}", wrapper)
            return None
        helper = functions.get(name)
        if helper is not None and helper is not node and depth < _DEPTH:
            found = _search(helper, path, functions, imports, depth + 1)
            if found is not None:
                return found
    return None


def _imports(tree: ast.Module) -> dict[str, str]:
    """Imported name -> the module it comes from (`from text import encode` -> {"encode": "text"})."""
    out: dict[str, str] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
            for alias in stmt.names:
                out[alias.asname or alias.name] = stmt.module
    return out


def _module_file(path: str, module: str | None) -> str | None:
    if not module:
        return None
    relative = Path(*module.split("."))
    directory = Path(path).parent
    for root in (directory, *directory.parents):
        for candidate in (root / relative.with_suffix(".py"), root / relative / "__init__.py"):
            if candidate.is_file():
                return str(candidate)
    return None
