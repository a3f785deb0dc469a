"""`azure` output: Azure Pipelines logging commands, shown as errors and warnings of the pipeline run.

https://learn.microsoft.com/azure/devops/pipelines/scripts/logging-commands (task.logissue). Azure has two
issue types; advice (info) is a warning. Values are escaped as the agent unescapes them.
"""

from __future__ import annotations

from collections.abc import Sequence

from tfpar_doctor.model import Finding, Severity

_TYPE = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "warning"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%AZP25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(";", "%3B").replace("]", "%5D")


def render_azure(findings: Sequence[Finding]) -> str:
    out: list[str] = []
    for f in findings:
        loc = f.location
        properties = "".join(
            f"{key}={_escape_property(value)};"
            for key, value in (
                ("type", _TYPE[f.severity]),
                ("sourcepath", loc.path),
                ("linenumber", str(loc.line)),
                ("columnnumber", str(loc.column)),
                ("code", f.code),
            )
        )
        message = f"{f.code} {f.message}" + (f"\n{f.advice}" if f.advice else "")
        out.append(f"##vso[task.logissue {properties}]{_escape_data(message)}\n")
    return "".join(out)
