"""`pylint` output: pylint's parseable format, `path:line: [CODE(name)] message`, read by editors and CI
plugins (Jenkins warnings-ng, SonarQube) that understand pylint."""

from __future__ import annotations

from collections.abc import Sequence

from tfpar_doctor.model import Finding


def render_pylint(findings: Sequence[Finding]) -> str:
    return "".join(
        f"{f.location.path}:{f.location.line}: [{f.code}({f.name})] {f.message}\n" for f in findings
    )
