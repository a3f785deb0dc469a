"""`full` and `concise` output: the ruff/flake8 look, with the source line, a caret and the advice."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tfpar_doctor.model import Applicability, Finding


def concise(findings: Sequence[Finding]) -> str:
    return "".join(
        f"{f.location.path}:{f.location.line}:{f.location.column}: {f.code} {f.message}\n" for f in findings
    )


def full(
    findings: Sequence[Finding], read_lines: Callable[[str], list[str] | None], unsafe_fixes: bool = False
) -> str:
    """Each finding with its source line and caret, related locations, and what to do."""
    out: list[str] = []
    for f in findings:
        loc = f.location
        out.append(f"{loc.path}:{loc.line}:{loc.column}: {f.code} [{f.name}] {f.message}")
        lines = read_lines(loc.path)
        if lines is not None and 0 < loc.line <= len(lines):
            text = lines[loc.line - 1].rstrip("\n").expandtabs(4)
            gutter = f"{loc.line:>5} | "
            out.append(f"{gutter}{text}")
            one_line = loc.end_line == loc.line
            width = max(1, (loc.end_column - loc.column + 1) if one_line else len(text) - loc.column + 1)
            out.append(" " * (len(gutter) - 2) + "| " + " " * (loc.column - 1) + "^" * max(1, min(width, 80)))
        for related in f.related[:4]:
            rl = related.location
            out.append(f"      = note: {rl.path}:{rl.line}:{rl.column}: {related.message}")
        if f.classification is not None:
            out.append(f"      = body: {f.classification.kind.value}")
        if f.advice:
            out.append(f"      = help: {f.advice}")
        if f.fix is not None:
            out.append(f"      = {fix_note(f, unsafe_fixes)}")
        out.append("")
    return "\n".join(out) + ("\n" if out else "")


def fix_note(f: Finding, unsafe_fixes: bool) -> str:
    """`fix available (safe|unsafe): what it does (how to apply it)`."""
    assert f.fix is not None
    how = "--fix" if f.fix.applicability is Applicability.SAFE or unsafe_fixes else "--fix --unsafe-fixes"
    return f"fix available ({f.fix.applicability.value}): {f.fix.description} (run with {how})"


def summary_line(count: int, fixable: int, unsafe: int = 0) -> str:
    """`Found N findings (F fixable with --fix; U more with --unsafe-fixes).`: U counts the unsafe fixes
    this run does not apply."""
    if count == 0:
        return "All checks passed!\n"
    noun = "finding" if count == 1 else "findings"
    notes = [f"{fixable} fixable with --fix"] if fixable else []
    if unsafe:
        more = "more with --unsafe-fixes" if fixable else "fixable with --fix --unsafe-fixes"
        notes.append(f"{unsafe} {more}")
    fix = f" ({'; '.join(notes)})" if notes else ""
    return f"Found {count} {noun}{fix}.\n"


def statistics(findings: Sequence[Finding], as_json: bool = False) -> str:
    """Counts per rule, most frequent first (ruff's `--statistics`)."""
    import json
    from collections import Counter

    counts = Counter((f.code, f.name) for f in findings)
    # `fixable`: by `--fix` alone (safe); `unsafe_fixable`: only with `--unsafe-fixes`.
    fixable = Counter(f.code for f in findings if f.fix and f.fix.applicability is Applicability.SAFE)
    unsafe = Counter(f.code for f in findings if f.fix and f.fix.applicability is Applicability.UNSAFE)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    if as_json:
        return json.dumps([
            {"code": code, "name": name, "count": count, "fixable": fixable[code],
             "unsafe_fixable": unsafe[code]}
            for (code, name), count in rows
        ], indent=2) + "\n"
    width = max((len(str(count)) for count in counts.values()), default=1)
    # ruff's marks: [*] fixable with --fix, [-] fixable with --unsafe-fixes.
    marks = {code: "[*] " if fixable[code] else "[-] " if unsafe[code] else "" for code, _ in counts}
    return "".join(f"{count:>{width}}\t{code}\t{marks[code]}{name}\n" for (code, name), count in rows)
