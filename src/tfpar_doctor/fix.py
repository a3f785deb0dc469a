"""`--fix` and `--diff`: apply the edits of `Finding.fix`, and nothing else.

Only rules that know a rewrite is certainly safe attach a `Fix` (today TFP105: adding
`num_parallel_calls=tf.data.AUTOTUNE` to a stateful traced map). A file is rewritten only when its
original parses, the edits do not overlap, and the result parses; it is written to a temporary file
next to it and renamed over it, so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import ast
import difflib
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tfpar_doctor.model import Edit, Finding


@dataclass
class FileFix:
    path: str
    original: str
    fixed: str
    applied: list[Finding] = field(default_factory=list)
    skipped: list[tuple[Finding, str]] = field(default_factory=list)  # (finding, why not applied)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def diff(self) -> str:
        return "".join(difflib.unified_diff(
            self.original.splitlines(keepends=True), self.fixed.splitlines(keepends=True),
            fromfile=f"a/{self.path}", tofile=f"b/{self.path}",
        ))


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _offset(line_starts: Sequence[int], line: int, column: int) -> int:
    return line_starts[line - 1] + column - 1


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits (positions 1-based, in characters, end exclusive)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    spans = sorted(
        ((_offset(starts, e.line, e.column), _offset(starts, e.end_line, e.end_column), e.replacement) for e in edits),
        reverse=True,
    )
    for start, end, replacement in spans:
        text = text[:start] + replacement + text[end:]
    return text


def _in_bounds(text: str, edit: Edit) -> bool:
    lines = text.splitlines(keepends=True) or [""]
    for line, column in ((edit.line, edit.column), (edit.end_line, edit.end_column)):
        if not 1 <= line <= len(lines) or not 1 <= column <= len(lines[line - 1].rstrip("\r\n")) + 1:
            return False
    return (edit.line, edit.column) <= (edit.end_line, edit.end_column)


def _overlaps(taken: list[tuple[int, int, int, int]], edit: Edit) -> bool:
    a = (edit.line, edit.column)
    b = (edit.end_line, edit.end_column)
    for line, column, end_line, end_column in taken:
        lo, hi = (line, column), (end_line, end_column)
        # Two insertions at one point, or any intersection of spans, conflict.
        if a <= hi and lo <= b:
            return True
    return False


def plan_fixes(findings: Iterable[Finding], sources: dict[str, str] | None = None) -> list[FileFix]:
    """The fixed text of each file that has fixable findings (nothing is written here)."""
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        if f.fix is not None:
            by_path.setdefault(f.location.path, []).append(f)
    plans: list[FileFix] = []
    for path in sorted(by_path):
        text = (sources or {}).get(path)
        if text is None:
            try:
                with open(path, encoding="utf-8", newline="") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError) as exc:
                plans.append(FileFix(path, "", "", skipped=[(f, f"cannot read the file: {exc}") for f in by_path[path]]))
                continue
        plan = FileFix(path, text, text)
        if not _parses(text):
            plan.skipped = [(f, "the file does not parse") for f in by_path[path]]
            plans.append(plan)
            continue
        taken: list[tuple[int, int, int, int]] = []
        edits: list[Edit] = []
        for f in sorted(by_path[path], key=Finding.sort_key):
            assert f.fix is not None
            if any(_overlaps(taken, e) for e in f.fix.edits):
                plan.skipped.append((f, "its edit overlaps another fix"))
                continue
            if not all(_in_bounds(text, e) for e in f.fix.edits):
                plan.skipped.append((f, "the file changed since it was checked"))
                continue
            candidate = apply_edits(text, [*edits, *f.fix.edits])
            if not _parses(candidate):
                plan.skipped.append((f, "the result would not parse"))
                continue
            edits.extend(f.fix.edits)
            taken.extend((e.line, e.column, e.end_line, e.end_column) for e in f.fix.edits)
            plan.applied.append(f)
        plan.fixed = apply_edits(text, edits)
        plans.append(plan)
    return plans


def write_atomically(path: str, text: str) -> None:
    """Replace the file's content in one rename, keeping its permission bits."""
    target = Path(path)
    mode = target.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tfpar-fix", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
