"""The report pipeline: findings + probe results -> sections per call site with advice -> a renderer.

A call site is one dataset transformation call in the user's code (`ds.map(...)` at a file and line).
Findings belong to the site they name as `call_site` (or their own location); probe results to the site
the probe intercepted. Both are joined on the resolved file path and line.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tfpar_doctor import __version__
from tfpar_doctor.advice.advisor import SiteInput, advise
from tfpar_doctor.advice.edits import mapped_function, read_lines, statement_at
from tfpar_doctor.advice.source import split_function_id
from tfpar_doctor.model import Finding, Location, ProbeRun, SiteResult
from tfpar_doctor.render.report_formats import (
    BY_NAME,
    DEFAULT_FORMAT,
    FORMATS,
    REPORT_FORMATS,
    format_names,
)
from tfpar_doctor.report_model import ProbeInfo, Report, SiteSection, Snippet

if TYPE_CHECKING:
    from tfpar_doctor.check import CheckSettings

_CONTEXT_LINES = 2
_MAX_FUNCTION_LINES = 30


def _key(path: str, line: int) -> tuple[str, int]:
    return os.path.realpath(path), line


def _display(path: str) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


def build_report(findings: Sequence[Finding], runs: Sequence[ProbeRun], paths: Sequence[str] = ()) -> Report:
    groups: dict[tuple[str, int], list[Finding]] = {}
    where: dict[tuple[str, int], Location] = {}
    for found in findings:
        site = found.call_site or found.location
        key = _key(site.path, site.line)
        groups.setdefault(key, []).append(found)
        where.setdefault(key, site)
    measured: dict[tuple[str, int], tuple[SiteResult, int]] = {}
    roots = [os.path.realpath(p) for p in paths]
    outside: list[str] = []
    for index, run in enumerate(runs):
        for result in run.sites:
            key = _key(result.site.path, result.site.line)
            if roots and not _under(key[0], roots):
                outside.append(f"{_display(result.site.path)}:{result.site.line}")
                continue
            measured.setdefault(key, (result, index))
            if key not in where:
                column = result.site.column or 1
                line = result.site.line
                where[key] = Location(_display(result.site.path), line, column, line, column)
    sections: list[SiteSection] = []
    for key in sorted(where, key=lambda k: (where[k].path, k[1])):
        location = where[key]
        site_findings = sorted(groups.get(key, []), key=Finding.sort_key)
        probe, index_of = measured.get(key) or (None, None)
        cores = runs[index_of].cores if index_of is not None else None
        method = probe.site.method if probe is not None else _method_at(location)
        section = SiteSection(
            id=_anchor(location),
            location=location,
            title=_title(location, method, probe),
            method=method,
            snippets=_snippets(location, site_findings),
            findings=site_findings,
            probe=probe,
            probe_index=index_of,
        )
        section.advice = advise(SiteInput(location, site_findings, probe, cores))
        sections.append(section)
    probes = [
        ProbeInfo(
            target=run.target,
            machine=run.machine,
            cores=run.cores,
            tensorflow_version=run.tensorflow_version,
            python_version=run.python_version,
            calibration_ok=run.calibration.get("ok") if run.calibration else None,
            calibration_speedup=run.calibration.get("speedup") if run.calibration else None,
            warnings=list(run.warnings),
        )
        for run in runs
    ]
    return Report(__version__, [str(p) for p in paths], probes, sections, outside)


def _under(path: str, roots: Sequence[str]) -> bool:
    """Whether a resolved file is one of the checked paths or inside one of them."""
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _anchor(location: Location) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in location.path).strip("-")
    return f"site-{slug}-{location.line}"


def _method_at(location: Location) -> str | None:
    lines = read_lines(location.path)
    if not lines or not 0 < location.line <= len(lines):
        return None
    rest = lines[location.line - 1][location.column - 1:]
    name = ""
    for char in rest:
        if not (char.isalnum() or char == "_"):
            break
        name += char
    return name or None


def _title(location: Location, method: str | None, result: SiteResult | None) -> str:
    short = f"{Path(location.path).name}:{location.line}"
    if method is None:
        return short
    function = result.site.function if result is not None else mapped_function(location, method)
    return f"{short} .{method}({function})" if function else f"{short} .{method}()"


def _snippets(location: Location, findings: Sequence[Finding]) -> list[Snippet]:
    out: list[Snippet] = []
    statement = statement_at(location)
    lines = read_lines(location.path)
    if lines:
        first = (statement.line if statement else location.line) - _CONTEXT_LINES
        end = statement.line + statement.before.count("\n") if statement else location.line
        last = end + _CONTEXT_LINES
        first, last = max(first, 1), min(last, len(lines))
        here = {f.location.line for f in findings if f.location.path == location.path}
        marked = [m for m in sorted({location.line} | here) if first <= m <= last]
        out.append(Snippet(location.path, first, lines[first - 1:last], marked, "the call site"))
    function_ids = list(dict.fromkeys(f.function for f in findings if f.function))
    for function_id in function_ids[:2]:
        snippet = _function_snippet(function_id, findings)
        if snippet is not None:
            out.append(snippet)
    return out


def _function_snippet(function_id: str, findings: Sequence[Finding]) -> Snippet | None:
    from tfpar_doctor.advice.source import load_function

    source = load_function(function_id)
    if source is None:
        return None
    lines = source.lines[source.line - 1:min(source.end_line, source.line - 1 + _MAX_FUNCTION_LINES)]
    marked = {f.location.line for f in findings if f.location.path == source.path}
    for found in findings:
        marked.update(r.location.line for r in found.related if r.location.path == source.path)
    end = source.line + len(lines) - 1
    _, name = split_function_id(function_id)
    return Snippet(source.path, source.line, lines, sorted(m for m in marked if source.line <= m <= end),
                   f"`{name}`, the function this site runs")


# ------------------------------------------------------------------------------------------ running

# Rule prefixes the report adds to the project's selection.
ADVICE_RULES = ("TFP4",)


class ReportError(Exception):
    """A report that cannot be made: the message says what to fix."""


def format_for(output: Path | None, requested: str | None) -> str:
    if requested is not None:
        chosen = BY_NAME.get(requested.lower())
        if chosen is None:
            raise ReportError(f"--format {requested!r}: use {format_names()}")
        return chosen.name
    if output is None:
        return DEFAULT_FORMAT
    try:
        return FORMATS[output.suffix.lower()]
    except KeyError:
        suffixes = ", ".join(f.suffixes[0] for f in REPORT_FORMATS)
        raise ReportError(f"{output}: cannot tell the format from the suffix {output.suffix or '(none)'!r}; "
                          f"use {suffixes}, or pass --format") from None


def make_report(paths: Sequence[Path], probe_files: Sequence[Path], *, no_cache: bool = False,
                cache_dir: Path | None = None) -> Report:
    """Check `paths`, load the probe results and join them; raises ReportError for bad input.

    The check reads and writes the facts cache `check` keeps (a report after a check parses nothing again)
    unless `no_cache`; `cache_dir` moves it, as `check --cache-dir` does."""
    from tfpar_doctor.check import run_check
    from tfpar_doctor.probe import results

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ReportError(f"no such file or directory: {', '.join(missing)}")
    runs = []
    for file in probe_files:
        try:
            runs.append(results.load(file))
        except results.ResultsError as exc:
            raise ReportError(str(exc)) from None
    found = run_check(list(paths), _settings(paths, no_cache, cache_dir)).findings if paths else []
    return build_report(found, runs, [str(p) for p in paths])


def _settings(paths: Sequence[Path], no_cache: bool, cache_dir: Path | None) -> CheckSettings:
    """The project's own configuration (pyproject.toml), plus the advice rules (TFP4xx, off in `check`):
    a report is where advice belongs."""
    from tfpar_doctor.config import ConfigError, cli_layer, resolve_settings
    from tfpar_doctor.settings import cache_dir_for

    try:
        settings = resolve_settings(cli_layer(None, list(ADVICE_RULES), None, None, None, None), list(paths))
    except ConfigError as exc:
        raise ReportError(str(exc)) from None
    settings.cache_dir = None if no_cache else cache_dir_for(settings.project_root, cache_dir)
    return settings


def render(report: Report, fmt: str) -> str:
    return BY_NAME[fmt].render(report)
