"""The one registry of `check` output formats: a name, what it is for, and its emitter.

The command line offers exactly these names and looks the chosen one up here; adding a format means
adding one renderer module and one row below. Every emitter receives the same `CheckOutput`, and imports
its renderer only when chosen, so `check` never loads the XML or SARIF code it does not print.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tfpar_doctor.render.source_lines import SourceLines

if TYPE_CHECKING:  # the command line imports this module at start-up for the names of the formats
    from tfpar_doctor.model import Finding


@dataclass(frozen=True)
class CheckOutput:
    """What every format renders: the findings of one run and how to quote their files."""

    findings: Sequence[Finding]
    files: Sequence[str] = ()  # every checked file, as reported (JUnit lists the clean ones too)
    lines: SourceLines = field(default_factory=SourceLines)
    unsafe_fixes: bool = False  # --unsafe-fixes: unsafe fixes count as fixable

    def fix_counts(self) -> tuple[int, int]:
        """(fixable by `--fix` in this run, unsafe fixes it leaves for `--unsafe-fixes`)."""
        from tfpar_doctor.model import Applicability

        safe = sum(1 for f in self.findings if f.fix and f.fix.applicability is Applicability.SAFE)
        unsafe = sum(1 for f in self.findings if f.fix and f.fix.applicability is Applicability.UNSAFE)
        return (safe + unsafe, 0) if self.unsafe_fixes else (safe, unsafe)


@dataclass(frozen=True)
class OutputFormat:
    name: str
    description: str
    emit: Callable[[CheckOutput], str]
    # `--statistics` prints JSON for machine-read formats, a table otherwise.
    json_statistics: bool = False


def _full(out: CheckOutput) -> str:
    from tfpar_doctor.render import terminal

    return terminal.full(out.findings, out.lines, out.unsafe_fixes) + terminal.summary_line(
        len(out.findings), *out.fix_counts()
    )


def _concise(out: CheckOutput) -> str:
    from tfpar_doctor.render import terminal

    return terminal.concise(out.findings) + terminal.summary_line(len(out.findings), 0)


def _grouped(out: CheckOutput) -> str:
    from tfpar_doctor.render import grouped, terminal

    return grouped.render_grouped(out.findings) + terminal.summary_line(len(out.findings), *out.fix_counts())


def _json(out: CheckOutput) -> str:
    from tfpar_doctor.render import json_output

    return json_output.render_json(out.findings)


def _json_lines(out: CheckOutput) -> str:
    from tfpar_doctor.render import json_output

    return json_output.render_json_lines(out.findings)


def _github(out: CheckOutput) -> str:
    from tfpar_doctor.render import github

    return github.render_github(out.findings)


def _azure(out: CheckOutput) -> str:
    from tfpar_doctor.render import azure

    return azure.render_azure(out.findings)


def _sarif(out: CheckOutput) -> str:
    from tfpar_doctor.render import sarif

    return sarif.render_sarif(out.findings)


def _junit(out: CheckOutput) -> str:
    from tfpar_doctor.render import junit

    return junit.render_junit(out.findings, out.files)


def _gitlab(out: CheckOutput) -> str:
    from tfpar_doctor.render import gitlab

    return gitlab.render_gitlab(out.findings, out.lines)


def _pylint(out: CheckOutput) -> str:
    from tfpar_doctor.render import pylint

    return pylint.render_pylint(out.findings)


def _rdjson(out: CheckOutput) -> str:
    from tfpar_doctor.render import rdjson

    return rdjson.render_rdjson(out.findings, out.lines)


FORMATS: dict[str, OutputFormat] = {
    fmt.name: fmt
    for fmt in (
        OutputFormat("full", "each finding with its source line, a caret, notes and advice", _full),
        OutputFormat("concise", "one line per finding: path:line:column: CODE message", _concise),
        OutputFormat("grouped", "findings grouped under their file", _grouped),
        OutputFormat("json", "a JSON array of findings (stable schema)", _json, json_statistics=True),
        OutputFormat("json-lines", "one JSON object per finding and line", _json_lines, json_statistics=True),
        OutputFormat("github", "GitHub Actions annotations", _github),
        OutputFormat("azure", "Azure Pipelines logging commands", _azure),
        OutputFormat("sarif", "SARIF 2.1.0 (GitHub code scanning)", _sarif),
        OutputFormat("junit", "JUnit XML test results", _junit),
        OutputFormat("gitlab", "GitLab Code Quality report (JSON)", _gitlab),
        OutputFormat("pylint", "pylint's parseable one-line format", _pylint),
        OutputFormat("rdjson", "reviewdog diagnostic format (JSON)", _rdjson),
    )
}
DEFAULT_FORMAT = "full"


def render(name: str, out: CheckOutput, statistics: bool = False) -> str:
    """The text of `out` in the format named `name` (a key of FORMATS), or its per-rule statistics."""
    fmt = FORMATS[name]
    if statistics:
        from tfpar_doctor.render import terminal

        return terminal.statistics(out.findings, as_json=fmt.json_statistics)
    return fmt.emit(out)
