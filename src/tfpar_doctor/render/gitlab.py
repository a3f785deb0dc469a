"""`gitlab` output: a GitLab Code Quality report (JSON), shown in merge request widgets and diffs.

https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format. Paths are relative to the
repository root (GitLab resolves them against the checkout); each issue has a fingerprint that does not
change when code above it moves (render/fingerprint.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tfpar_doctor.model import Finding, Severity
from tfpar_doctor.render.fingerprint import Fingerprints
from tfpar_doctor.render.source_lines import SourceLines

# GitLab's severities: info, minor, major, critical, blocker.
_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def repository_path(path: str, root: Path) -> str:
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()


def render_gitlab(findings: Sequence[Finding], lines: SourceLines, root: Path | None = None) -> str:
    from tfpar_doctor.render.sarif import repository_root

    root = (root or repository_root()).resolve()
    fingerprints = Fingerprints()
    issues: list[dict[str, Any]] = []
    for f in findings:
        loc = f.location
        path = repository_path(loc.path, root)
        issues.append({
            "type": "issue",
            "check_name": f"{f.code} {f.name}",
            "description": f"{f.code} {f.message}",
            "content": {"body": f.advice} if f.advice else None,
            "categories": ["Performance"],
            "severity": _SEVERITY[f.severity],
            "fingerprint": fingerprints.next(f.code, path, lines.line(loc.path, loc.line)),
            "location": {
                "path": path,
                "positions": {
                    "begin": {"line": loc.line, "column": loc.column},
                    "end": {"line": loc.end_line, "column": loc.end_column},
                },
            },
        })
    for issue in issues:
        if issue["content"] is None:
            del issue["content"]
    return json.dumps(issues, indent=2) + "\n"
