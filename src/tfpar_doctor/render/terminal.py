"""`full` and `concise` output: the ruff/flake8 look, with the source line, a caret and the advice."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tfpar_doctor.model import Finding


def concise(findings: Sequence[Finding]) -> str:
    return "".join(
        f"{f.location.path}:{f.location.line}:{f.location.column}: {f.code} {f.message}\n" for f in findings
    )


def full(findings: Sequence[Finding], read_lines: Callable[[str], list[str] | None]) -> str:
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
            width = max(1, (loc.end_column - loc.column + 1) if loc.end_line == loc.line else len(text) - loc.column + 1)
            out.append(" " * (len(gutter) - 2) + "| " + " " * (loc.column - 1) + "^" * max(1, min(width, 80)))
        for related in f.related[:4]:
            rl = related.location
            out.append(f"      = note: {rl.path}:{rl.line}:{rl.column}: {related.message}")
        if f.classification is not None:
            out.append(f"      = body: {f.classification.kind.value}")
        if f.advice:
            out.append(f"      = help: {f.advice}")
        if f.fix is not None:
            out.append(f"      = fix available: {f.fix.description} (run with --fix)")
        out.append("")
    return "\n".join(out) + ("\n" if out else "")


def summary_line(count: int, fixable: int) -> str:
    if count == 0:
        return "All checks passed!\n"
    noun = "finding" if count == 1 else "findings"
    fix = f" ({fixable} fixable with --fix)" if fixable else ""
    return f"Found {count} {noun}{fix}.\n"


def statistics(findings: Sequence[Finding], as_json: bool = False) -> str:
    """Counts per rule, most frequent first (ruff's `--statistics`)."""
    import json
    from collections import Counter

    counts = Counter((f.code, f.name) for f in findings)
    fixable = Counter(f.code for f in findings if f.fix is not None)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    if as_json:
        return json.dumps([
            {"code": code, "name": name, "count": count, "fixable": fixable[code]} for (code, name), count in rows
        ], indent=2) + "\n"
    width = max((len(str(count)) for count in counts.values()), default=1)
    return "".join(
        f"{count:>{width}}\t{code}\t{'[*] ' if fixable[code] else ''}{name}\n" for (code, name), count in rows
    )
