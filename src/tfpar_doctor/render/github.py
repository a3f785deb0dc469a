"""`github` output: GitHub Actions workflow commands, shown as annotations on the pull request diff."""

from __future__ import annotations

from collections.abc import Sequence

from tfpar_doctor.model import Finding, Severity

# GitHub has three annotation levels; advice (info) is a notice.
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding]) -> str:
    out: list[str] = []
    for f in findings:
        loc = f.location
        properties = ",".join((
            f"file={_escape_property(loc.path)}",
            f"line={loc.line}",
            f"col={loc.column}",
            f"endLine={loc.end_line}",
            f"endColumn={loc.end_column}",
            f"title={_escape_property(f'{f.code} ({f.name})')}",
        ))
        message = f"{f.code} {f.message}" + (f"\n{f.advice}" if f.advice else "")
        out.append(f"::{_LEVEL[f.severity]} {properties}::{_escape_data(message)}\n")
    return "".join(out)
