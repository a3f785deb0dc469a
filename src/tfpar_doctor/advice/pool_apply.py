"""The process-pool rewrite applied to a copy of the user's pipeline: what the tests run and the bench times
(the advice itself only shows the edits, never applies them to the user's files)."""

from __future__ import annotations

import ast
from pathlib import Path

from tfpar_doctor.advice.multiprocess import PoolRewrite, pool_rewrite
from tfpar_doctor.check.run import run_check
from tfpar_doctor.rules import python_body_of


def rewrites_for(pipeline: Path, map_keywords: dict[str, str] | None = None) -> list[PoolRewrite]:
    """One rewrite per Python body the linter finds behind py_function/numpy_function in `pipeline`;
    `map_keywords` in place of the map keywords the advice hands over (the bench measures both)."""
    seen: dict[str, PoolRewrite] = {}
    for finding in run_check([pipeline]).findings:
        body = python_body_of(finding.code)
        if body is not None and body.is_callback and finding.function and finding.function not in seen:
            rewrite = pool_rewrite(finding, None, None, map_keywords)
            if rewrite is not None:
                seen[finding.function] = rewrite
    return list(seen.values())


def apply_rewrites(rewrites: list[PoolRewrite], pipeline: Path) -> None:
    """Write each pool module next to `pipeline` (a copy) and put every edited statement in place."""
    text = pipeline.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text)
    spans = {s.lineno: s.end_lineno or s.lineno for s in ast.walk(tree) if isinstance(s, ast.stmt)}
    # Bottom-up, so that the line numbers of the edits still to apply stay right.
    for line, after in sorted({(e.line, e.after) for r in rewrites for e in r.edits}, reverse=True):
        first = lines[line - 1]
        indent = first[: len(first) - len(first.lstrip())]
        lines[line - 1: spans[line]] = [indent + part for part in after.splitlines()]
    imports = [s.end_lineno or s.lineno for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
    after_imports = max(imports, default=0)
    lines[after_imports:after_imports] = [r.import_line for r in rewrites]
    pipeline.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for rewrite in rewrites:
        (pipeline.parent / f"{rewrite.module}.py").write_text(rewrite.module_text, encoding="utf-8")
