"""Edits `check` writes into the user's files: fixes (`--fix`, `--diff`) and noqa comments (`--add-noqa`).

A fix is the edits of `Finding.fix`, and nothing else. Each carries an applicability: `--fix` applies the
safe ones, `--unsafe-fixes` the unsafe ones too (today TFP105 offers one, unsafe: adding
`num_parallel_calls` to a stateful map reorders random draws and runs Python state concurrently). A file
is rewritten only when its original parses, the edits do not overlap, and the result parses; it is
written to a temporary file next to it and renamed over it, so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import io
import os
import tempfile
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tfpar_doctor.analysis.facts import Suppression
from tfpar_doctor.model import Applicability, Edit, Finding


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
        (
            (_offset(starts, e.line, e.column), _offset(starts, e.end_line, e.end_column), e.replacement)
            for e in edits
        ),
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


def applies(f: Finding, unsafe: bool) -> bool:
    """Whether this run applies the finding's fix: safe ones always, unsafe ones with `--unsafe-fixes`."""
    return f.fix is not None and (unsafe or f.fix.applicability is Applicability.SAFE)


def withheld(findings: Iterable[Finding], unsafe: bool) -> int:
    """How many unsafe fixes this run leaves unapplied (the summary tells the user)."""
    return 0 if unsafe else sum(1 for f in findings if f.fix and f.fix.applicability is Applicability.UNSAFE)


def _read_text(path: str, sources: dict[str, str] | None) -> str:
    """The file's text as it is on disk (newlines untouched); OSError or UnicodeDecodeError otherwise."""
    text = (sources or {}).get(path)
    if text is None:
        with open(path, encoding="utf-8", newline="") as handle:
            text = handle.read()
    return text


def _by_path(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(f.location.path, []).append(f)
    return by_path


def plan_fixes(
    findings: Iterable[Finding], sources: dict[str, str] | None = None, unsafe: bool = False
) -> list[FileFix]:
    """The fixed text of each file with findings whose fixes this run applies (nothing is written here)."""
    by_path = _by_path(f for f in findings if applies(f, unsafe))
    plans: list[FileFix] = []
    for path in sorted(by_path):
        try:
            text = _read_text(path, sources)
        except (OSError, UnicodeDecodeError) as exc:
            why = f"cannot read the file: {exc}"
            plans.append(FileFix(path, "", "", skipped=[(f, why) for f in by_path[path]]))
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
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# --add-noqa ---------------------------------------------------------------------------------------------


def _lines_without_room(text: str) -> set[int]:
    """Lines a comment cannot end: inside a string or expression spanning lines (a comment there would be
    text, or end the statement), and lines continued by a backslash. Best effort on text that does not
    tokenize: the result is verified afterwards anyway."""
    closed: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
                closed.update(range(token.start[0], token.end[0]))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    for number, line in enumerate(text.splitlines(), start=1):
        if line.endswith("\\"):
            closed.add(number)
    return closed


def _noqa_comment(codes: list[str], reason: str) -> str:
    # ` -- reason`: a dash ends the code list in the noqa grammar, so no word of the reason is read as a code.
    return f"# noqa: {', '.join(codes)}" + (f" -- {reason}" if reason else "")


def _with_noqa(line: str, existing: Suppression | None, codes: list[str], reason: str) -> str:
    """The line with a noqa comment covering `codes`: merged into its noqa comment, or appended."""
    body = line.rstrip("\r\n")
    ending = line[len(body):]
    if existing is None:
        return f"{body}  {_noqa_comment(codes, reason)}{ending}"
    merged = list(dict.fromkeys((*existing.codes, *codes)))
    start, end = existing.location.column - 1, existing.location.end_column
    rest = body[end:]
    return f"{body[:start]}{_noqa_comment(merged, reason if not rest.strip() else '')}{rest}{ending}"


def plan_noqa(
    findings: Iterable[Finding], reason: str = "", sources: dict[str, str] | None = None
) -> list[FileFix]:
    """Each file with findings, with `# noqa: CODES` on every reported line (nothing is written here).

    Codes already in a line's noqa comment are kept and the new ones added to it; a bare `# noqa`
    already covers every code. A line that cannot end in a comment is skipped with the reason."""
    from tfpar_doctor.analysis.suppress import scan_suppressions

    plans: list[FileFix] = []
    for path, found in sorted(_by_path(findings).items()):
        try:
            text = _read_text(path, sources)
        except (OSError, UnicodeDecodeError) as exc:
            plans.append(FileFix(path, "", "", skipped=[(f, f"cannot read the file: {exc}") for f in found]))
            continue
        plan = FileFix(path, text, text)
        lines = text.splitlines(keepends=True)
        existing = {s.line: s for s in scan_suppressions(text.encode("utf-8", "surrogateescape"), path).lines}
        closed = _lines_without_room(text)
        by_line: dict[int, list[Finding]] = {}
        for f in found:
            by_line.setdefault(f.location.line, []).append(f)
        for number, on_line in sorted(by_line.items()):
            have = existing.get(number)
            if have is not None and not have.codes:
                continue  # a noqa comment without codes already covers every code
            if not 1 <= number <= len(lines) or number in closed:
                plan.skipped.extend((f, "the line cannot end in a comment") for f in on_line)
                continue
            codes = [c for c in dict.fromkeys(f.code for f in on_line) if have is None or c not in have.codes]
            if codes:
                lines[number - 1] = _with_noqa(lines[number - 1], have, codes, reason)
            plan.applied.extend(on_line)
        plan.fixed = "".join(lines)
        if plan.changed and _parses(text) and not _parses(plan.fixed):
            plan.skipped = [(f, "the result would not parse") for f in plan.applied]
            plan.applied, plan.fixed = [], text
        plans.append(plan)
    return plans
