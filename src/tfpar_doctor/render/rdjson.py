"""`rdjson` output: reviewdog's Diagnostic Format, for `reviewdog -f=rdjson` to comment on pull requests.

https://github.com/reviewdog/reviewdog/tree/master/proto/rdf. reviewdog counts columns in UTF-8 bytes and
its ranges end exclusively; ours count characters and end inclusively, so positions are converted with the
line's text. Only safe fixes become suggestions: reviewdog offers a suggestion as a one-click change.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from tfpar_doctor.model import Applicability, Finding, Location, Severity
from tfpar_doctor.render.source_lines import SourceLines

_SEVERITY = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}


def _byte_column(lines: SourceLines, path: str, line: int, column: int) -> int:
    """The 1-based UTF-8 byte column of a 1-based character column."""
    text = lines.line(path, line)
    return len(text[: column - 1].encode("utf-8", errors="surrogateescape")) + 1


def _position(lines: SourceLines, path: str, line: int, column: int) -> dict[str, int]:
    return {"line": line, "column": _byte_column(lines, path, line, column)}


def _range(lines: SourceLines, loc: Location) -> dict[str, Any]:
    return {
        "start": _position(lines, loc.path, loc.line, loc.column),
        "end": _position(lines, loc.path, loc.end_line, loc.end_column + 1),
    }


def _diagnostic(f: Finding, lines: SourceLines) -> dict[str, Any]:
    diagnostic: dict[str, Any] = {
        "message": f.message + (f"\n{f.advice}" if f.advice else ""),
        "location": {"path": f.location.path, "range": _range(lines, f.location)},
        "severity": _SEVERITY[f.severity],
        "code": {"value": f.code},
    }
    if f.fix is not None and f.fix.applicability is Applicability.SAFE:
        diagnostic["suggestions"] = [
            {
                "range": {
                    "start": _position(lines, f.location.path, e.line, e.column),
                    "end": _position(lines, f.location.path, e.end_line, e.end_column),
                },
                "text": e.replacement,
            }
            for e in f.fix.edits
        ]
    return diagnostic


def render_rdjson(findings: Sequence[Finding], lines: SourceLines) -> str:
    log = {
        "source": {"name": "tfpar-doctor"},
        "severity": "WARNING",
        "diagnostics": [_diagnostic(f, lines) for f in findings],
    }
    return json.dumps(log, indent=2) + "\n"
