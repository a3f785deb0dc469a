"""The report as GitHub-flavoured Markdown: for pull-request comments and CI job summaries.

Tables for the overview and the measurements, collapsible <details> for reasons and code, so that a long
report stays readable in a PR thread. No charts (GitHub strips inline SVG): the numbers are in tables.
"""

from __future__ import annotations

from tfpar_doctor.advice.model import Advice
from tfpar_doctor.model import Finding, SiteResult
from tfpar_doctor.render.svg_chart import level_label
from tfpar_doctor.report_model import Report, SiteSection, Snippet, in_unit, outside_note, rate_note


def cell(text: str) -> str:
    """Text safe inside a table cell: no pipes or newlines."""
    return " ".join(text.replace("|", "\\|").split())


def fence(code: str, language: str = "python") -> str:
    ticks = "```"
    while ticks in code:
        ticks += "`"
    return f"{ticks}{language}\n{code}\n{ticks}"


# GitHub refuses pull-request comments longer than 65,536 characters; stay below with some margin.
COMMENT_LIMIT = 60_000


def render_markdown(report: Report, limit: int | None = COMMENT_LIMIT) -> str:
    """The report; beyond `limit` characters, code snippets and measurement tables are left out, then
    whole sites (the summary table still lists them all, and the HTML/JSON reports have everything)."""
    head = ["# tfpar-doctor report", "", *_header(report), *_summary(report)]
    full = [line for section in report.sections for line in _section(report, section, compact=False)]
    text = "\n".join(head + full).rstrip() + "\n"
    if limit is None or len(text) <= limit:
        return text
    out = list(head)
    used = len("\n".join(out))
    for index, section in enumerate(report.sections):
        lines = _section(report, section, compact=True)
        size = len("\n".join(lines)) + 1
        if used + size > limit - 300:
            left = len(report.sections) - index
            plural = "s" if left != 1 else ""
            note = (f"*{left} more call site{plural} left out to fit a pull-request comment: "
                    "see the HTML or JSON report (`tfpar-doctor report -o report.html`).*")
            out += ["", note]
            break
        out += lines
        used += size
    out.insert(len(head),
               "*Code snippets and measurement tables are left out to fit a pull-request comment.*\n")
    return "\n".join(out).rstrip() + "\n"


def _header(report: Report) -> list[str]:
    counts = report.counts()
    paths = ", ".join(f"`{p}`" for p in report.paths) or "no paths"
    out = [(f"tfpar-doctor {report.version} checked {paths}: **{len(report.sections)} call sites**, "
           f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes."), ""]
    for probe in report.probes:
        calibration = ""
        if probe.calibration_ok is not None:
            calibration = "; calibration " + ("good" if probe.calibration_ok else "**poor**")
        out.append(f"Measured by `tfpar-doctor probe {probe.target}` on {probe.cores} cores "
                   f"({probe.machine}), TensorFlow {probe.tensorflow_version}{calibration}.")
        for warning in probe.warnings:
            out.append(f"> **Warning:** {warning}")
        out.append("")
    outside = outside_note(report.outside)
    if outside:
        out += [f"> **Note:** {outside}.", ""]
    return out


def _summary(report: Report) -> list[str]:
    if not report.sections:
        return ["No call sites with findings or measurements: nothing to advise.", ""]
    out = ["| Call site | Findings | Verdict | Advice |", "|---|---|---|---|"]
    for section in report.sections:
        codes = ", ".join(f.code for f in section.findings) or "–"
        verdict = section.probe.verdict.value if section.probe else "not probed"
        advice = "; ".join(a.title for a in section.recommended) or "–"
        out.append(f"| [{cell(section.title)}](#{section.id}) | {codes} | {verdict} | {cell(advice)} |")
    return [*out, ""]


def _section(report: Report, section: SiteSection, compact: bool) -> list[str]:
    out = [f'<a id="{section.id}"></a>', f"## {section.title}", "", f"`{section.location.short()}`", ""]
    for snippet in () if compact else section.snippets:
        out += _snippet(snippet)
    if section.findings:
        out += ["**Findings**", ""]
        out += [_finding(f) for f in section.findings]
        out.append("")
    if section.probe is not None:
        cores = report.probes[section.probe_index].cores if section.probe_index is not None else None
        out += _measured(section.probe, cores, compact)
    unit = section.probe.unit if section.probe is not None else "elements"
    for heading, advice_list in (("Advice", section.recommended),
                                 ("Measured and not recommended", section.not_recommended)):
        if advice_list:
            out += [f"**{heading}**", ""]
            for advice in advice_list:
                out += _advice(advice, unit)
    return out


def _snippet(snippet: Snippet) -> list[str]:
    width = len(str(snippet.start_line + len(snippet.lines)))
    rows = []
    for i, text in enumerate(snippet.lines):
        number = snippet.start_line + i
        rows.append(f"{'>' if number in snippet.highlight else ' '}{number:>{width}} {text}")
    body = "\n".join(rows)
    return [f"{snippet.caption} (`{snippet.path}:{snippet.start_line}`):", "", fence(body, ""), ""]


def _finding(found: Finding) -> str:
    advice = f" {found.advice}" if found.advice else ""
    return (f"- **{found.code}** {found.name} ({found.severity.value}, `{found.location.short()}`): "
            f"{found.message}.{advice}")


def _measured(result: SiteResult, cores: int | None, compact: bool) -> list[str]:
    line = f"**Measured**: verdict **{result.verdict.value}** (confidence {result.confidence:.2f})"
    if result.best_level:
        line += f", recommended level `{result.best_level}`"
        if result.best_speedup:
            line += f" ({result.best_speedup:.2f}x level 1)"
    if result.multiprocessing_speedup is not None:
        line += f", process pool {result.multiprocessing_speedup:.2f}x"
    out = [line + (f" on {cores} cores." if cores else "."), ""]
    note = rate_note(result.unit)
    if note:
        out += [note, ""]
    if compact:
        return out
    out += [f"| series | level | {result.unit}/s | speedup | CPU cores | GIL |", "|---|---|--:|--:|--:|--:|"]
    for name, levels in (("pipeline", result.pipeline), ("stage alone", result.isolated)):
        base = next((x for x in levels if x.level == "1"), None)
        for level in levels:
            speedup = (f"{level.elements_per_second / base.elements_per_second:.2f}x"
                       if base and base.elements_per_second else "–")
            gil = f"{level.gil_contention:.2f}" if level.gil_contention is not None else "–"
            out.append(f"| {name} | {cell(level_label(level))} | {level.elements_per_second:,.1f} | "
                       f"{speedup} | {level.cpu_cores:.2f} | {gil} |")
    out.append("")
    if result.reasons:
        out += ["<details><summary>Why this verdict</summary>", ""]
        out += [f"- {in_unit(r, result.unit)}" for r in result.reasons]
        out += ["", "</details>", ""]
    return out


def _advice(advice: Advice, unit: str) -> list[str]:
    measured = f" (measured {advice.measured_speedup:.2f}x)" if advice.measured_speedup is not None else ""
    out = [f"- **{advice.title}**{measured}: {in_unit(advice.summary, unit)}"]
    if advice.measured:
        out.append(f"  Measured on the probed machine: {in_unit(advice.measured, unit)}.")
    if advice.code or advice.notes:
        out += ["", "  <details><summary>Code to write</summary>", ""]
        if advice.code:
            out += ["  " + line if line else "" for line in fence(advice.code).splitlines()]
        if advice.notes:
            out.append("")
            out += [f"  - {in_unit(note, unit)}" for note in advice.notes]
        out += ["", "  </details>"]
    out.append("")
    return out
