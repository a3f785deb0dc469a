"""Findings in LSP terms. Our positions are 1-based lines and columns in characters, ends inclusive;
LSP's are 0-based, ends exclusive, columns in the client's units (UTF-16 by default), which the
document's position codec converts to."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.workspace import ServerTextPosition, ServerTextRange

from tfpar_doctor.model import Applicability, Edit, Finding, Location, Severity

if TYPE_CHECKING:
    from pygls.workspace import TextDocument

SOURCE = "tfpar-doctor"
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def lsp_range(
    doc: TextDocument | None, line: int, column: int, end_line: int, end_column: int
) -> types.Range:
    """An LSP range from 1-based positions with an exclusive end column."""
    start = (max(0, line - 1), max(0, column - 1))
    end = (max(0, end_line - 1), max(0, end_column - 1))
    if doc is not None:
        return doc.range_to_client_units(
            ServerTextRange(start=ServerTextPosition(*start), end=ServerTextPosition(*end))
        )
    return types.Range(start=types.Position(*start), end=types.Position(*end))


def location_range(doc: TextDocument | None, loc: Location) -> types.Range:
    return lsp_range(doc, loc.line, loc.column, loc.end_line, loc.end_column + 1)


def diagnostic(f: Finding, doc: TextDocument, uri_of: dict[str, str]) -> types.Diagnostic:
    """`uri_of`: the URI of each path a related location names (the document's own and others)."""
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(
                uri=uri_of.get(r.location.path) or Path(r.location.path).resolve().as_uri(),
                range=location_range(doc if uri_of.get(r.location.path) == doc.uri else None, r.location),
            ),
            message=r.message,
        )
        for r in f.related
    ]
    message = f.message + (f"\n{f.advice}" if f.advice else "")
    return types.Diagnostic(
        range=location_range(doc, f.location),
        message=message,
        severity=_SEVERITY[f.severity],
        code=f.code,
        source=SOURCE,
        related_information=related or None,
    )


def text_edits(doc: TextDocument, edits: tuple[Edit, ...] | list[Edit]) -> list[types.TextEdit]:
    return [
        types.TextEdit(
            range=lsp_range(doc, e.line, e.column, e.end_line, e.end_column), new_text=e.replacement
        )
        for e in edits
    ]


def offers_fix(f: Finding, unsafe: bool) -> bool:
    return f.fix is not None and (unsafe or f.fix.applicability is Applicability.SAFE)
