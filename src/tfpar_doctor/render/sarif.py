"""`sarif` output: SARIF 2.1.0 as GitHub code scanning reads it.

- every rule with its short description (summary), full description (What it does) and help (the whole
  rule documentation, text and Markdown), so the alert explains itself on GitHub;
- artifact URIs relative to the repository root (`%SRCROOT%`), so alerts land on the right file;
- regions with 1-based lines and columns (SARIF's end column is exclusive, ours inclusive);
- `partialFingerprints` from the rule, the file, the text of the reported line and its occurrence
  number, not the line number: an alert keeps its identity when code above it moves.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tfpar_doctor import __version__, rule_docs
from tfpar_doctor.model import Finding, Fix, Location, Severity
from tfpar_doctor.render.fingerprint import Fingerprints
from tfpar_doctor.rules import ALL_RULES
from tfpar_doctor.rules.base import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "tfparDoctorLineHash/v1"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def repository_root(start: Path | None = None) -> Path:
    """The enclosing git work tree (GitHub resolves URIs against it), else the working directory."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return here


def _uri(path: str, root: Path) -> str:
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        return resolved.as_uri()


def _region(loc: Location) -> dict[str, int]:
    return {"startLine": loc.line, "startColumn": loc.column, "endLine": loc.end_line,
            "endColumn": loc.end_column + 1}


def _physical(loc: Location, root: Path) -> dict[str, Any]:
    uri = _uri(loc.path, root)
    artifact: dict[str, Any] = {"uri": uri}
    if not uri.startswith("file:"):
        artifact["uriBaseId"] = "%SRCROOT%"
    return {"physicalLocation": {"artifactLocation": artifact, "region": _region(loc)}}


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc.what},
        "help": {"text": rule_docs.text(rule), "markdown": rule_docs.markdown(rule)},
        "defaultConfiguration": {"level": _LEVEL[rule.severity], "enabled": rule.enabled_by_default},
        "properties": {"tags": ["tf.data", rule.code[:4] + "xx"]},
    }
    if rule.doc.references:
        descriptor["helpUri"] = rule.doc.references[0]
    return descriptor


def _fix(path: str, fix: Fix, root: Path) -> dict[str, Any]:
    """A SARIF fix: the edits as replacements (end columns exclusive in both), and its applicability
    (`safe` or `unsafe`) in the properties, since SARIF has no word for it."""
    artifact: dict[str, Any] = {"uri": _uri(path, root)}
    if not artifact["uri"].startswith("file:"):
        artifact["uriBaseId"] = "%SRCROOT%"
    replacements = [
        {
            "deletedRegion": {"startLine": e.line, "startColumn": e.column, "endLine": e.end_line,
                              "endColumn": e.end_column},
            "insertedContent": {"text": e.replacement},
        }
        for e in fix.edits
    ]
    return {
        "description": {"text": fix.description},
        "artifactChanges": [{"artifactLocation": artifact, "replacements": replacements}],
        "properties": {"applicability": fix.applicability.value},
    }


def _line_text(path: str, line: int, cache: dict[str, list[str]]) -> str:
    if path not in cache:
        try:
            cache[path] = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            cache[path] = []
    lines = cache[path]
    return lines[line - 1] if 0 < line <= len(lines) else ""


def render_sarif(findings: Sequence[Finding], root: Path | None = None) -> str:
    root = (root or repository_root()).resolve()
    index = {rule.code: i for i, rule in enumerate(ALL_RULES)}
    lines: dict[str, list[str]] = {}
    fingerprints = Fingerprints()
    results: list[dict[str, Any]] = []
    for f in findings:
        text = _line_text(f.location.path, f.location.line, lines)
        fingerprint = fingerprints.next(f.code, _uri(f.location.path, root), text)
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": _LEVEL[f.severity],
            "message": {"text": f.message + (f" {f.advice}" if f.advice else "")},
            "locations": [_physical(f.location, root)],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if f.related:
            result["relatedLocations"] = [
                {"id": i, **_physical(r.location, root), "message": {"text": r.message}}
                for i, r in enumerate(f.related)
            ]
        if f.fix is not None:
            result["fixes"] = [_fix(f.location.path, f.fix, root)]
            result["properties"] = {"fix": f.fix.description, "fixApplicability": f.fix.applicability.value}
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "tfpar-doctor",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule_descriptor(rule) for rule in ALL_RULES],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2) + "\n"


