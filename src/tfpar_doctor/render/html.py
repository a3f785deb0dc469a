"""The report as one self-contained HTML file: inline CSS, inline SVG charts, no network access.

A few lines of inline JavaScript add "copy" buttons to the code blocks; without JavaScript the blocks are
still plain selectable text.
"""

from __future__ import annotations

from html import escape

from tfpar_doctor.advice.model import Advice
from tfpar_doctor.model import Finding, LevelResult, SiteResult
from tfpar_doctor.render.svg_chart import Chart, level_label, scaling_chart
from tfpar_doctor.report_model import Report, SiteSection, Snippet, in_unit, outside_note, rate_note

_CSS = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --soft: #f6f8fa;
  --error: #cf222e; --warning: #9a6700; --info: #0969da; --good: #1a7f37; }
* { box-sizing: border-box; }
body { font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg);
  background: var(--bg); margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 0 0 8px; }
h3 { font-size: 16px; margin: 18px 0 6px; } h4 { font-size: 14px; margin: 14px 0 4px; color: var(--muted); }
h1, h2, h3, h4, td, li, p { overflow-wrap: anywhere; }
.scroll { overflow-x: auto; max-width: 100%; }
@media (max-width: 640px) {
  main { padding: 16px 12px 48px; } section.site { padding: 12px; }
  table.summary thead { display: none; }
  table.summary tr { display: block; border-bottom: 1px solid var(--line); padding: 6px 0; }
  table.summary td { display: block; border: 0; padding: 2px 4px; }
  table.summary td::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
}
a { color: var(--info); } .muted { color: var(--muted); }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 130px; }
.card b { display: block; font-size: 24px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; } td.num { text-align: right;
  font-variant-numeric: tabular-nums; }
section.site { border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px; margin: 26px 0; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600;
  border: 1px solid currentColor; margin-right: 4px; white-space: nowrap; }
.sev-error { color: var(--error); } .sev-warning { color: var(--warning); } .sev-info { color: var(--info); }
.v-scales { color: var(--good); } .v-gil-bound, .v-threadpool-capped { color: var(--error); }
.v-partial { color: var(--warning); }
  .v-inconclusive, .v-not-bottleneck, .v-trace-time-only { color: var(--muted); }
.snippet { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; overflow-x: auto;
  margin: 4px 0 10px; padding: 6px 0; }
.snippet .ln { display: inline-block; width: 3.5em; padding-right: 10px; text-align: right;
  color: var(--muted);
  user-select: none; }
.snippet .row { display: block; white-space: pre; padding: 0 10px 0 0; }
.snippet .hl { background: #fff8c5; }
ul.findings { padding-left: 18px; } ul.findings li { margin: 4px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 14px; margin: 8px 0; }
svg.chart { border: 1px solid var(--line); border-radius: 6px; background: #fff; max-width: 100%;
  height: auto; }
svg .grid { stroke: #eaeef2; } svg .axis { stroke: #8c959f; } svg .cores { stroke-dasharray: 1 3; }
svg text { font: 11px -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; fill: #424a53; }
svg .chart-title { font-size: 13px; font-weight: 600; fill: var(--fg); }
  svg .cpu-tick, svg .cpu-label { fill: #b35f00; }
svg .axis-label { font-size: 11.5px; }
.advice { border-left: 4px solid var(--info); padding: 2px 0 2px 14px; margin: 16px 0; }
.advice.tf-native, .advice.multiprocessing { border-color: var(--good); }
.advice.not-recommended { border-color: var(--warning); }
.codewrap { position: relative; }
.codewrap pre { background: #0d1117; color: #e6edf3; border-radius: 6px; padding: 12px 14px;
  overflow-x: auto; }
.copy { position: absolute; top: 6px; right: 6px; font-size: 12px; border: 1px solid #59636e;
  border-radius: 5px;
  background: #21262d; color: #e6edf3; padding: 2px 8px; cursor: pointer; }
.measured { font-weight: 600; color: var(--good); } .measured.no-gain { color: var(--warning); }
ul.reasons { margin: 4px 0; padding-left: 18px; color: var(--muted); }
.warning-box { border: 1px solid #d4a72c; background: #fff8c5; border-radius: 6px; padding: 8px 12px;
  margin: 10px 0; }
details summary { cursor: pointer; color: var(--muted); }
"""

# A measured speed-up below this is shown as no gain (noise on a shared machine is ~10%).
GAIN = 1.1

_SCRIPT = """
document.querySelectorAll('.codewrap').forEach(function (wrap) {
  var button = wrap.querySelector('.copy'); var code = wrap.querySelector('code');
  button.addEventListener('click', function () {
    navigator.clipboard.writeText(code.innerText).then(function () {
      button.textContent = 'copied'; setTimeout(function () { button.textContent = 'copy'; }, 1500); });
  });
});
"""


def render_html(report: Report) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>tfpar-doctor report</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        _header(report),
        _summary(report),
        *(_section(report, s) for s in report.sections),
        "</main>",
        f"<script>{_SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _header(report: Report) -> str:
    paths = ", ".join(f"<code>{escape(p)}</code>" for p in report.paths) or "<em>no paths</em>"
    out = ["<header>", "<h1>tfpar-doctor report</h1>",
           f'<p class="muted">tfpar-doctor {escape(report.version)} · checked {paths}</p>']
    for probe in report.probes:
        calibration = ""
        if probe.calibration_ok is not None:
            calibration = (" · calibration " + ("good" if probe.calibration_ok else "<b>poor</b>")
                           + (f" (reference {probe.calibration_speedup:.2f}x at 2 calls)"
                              if probe.calibration_speedup is not None else ""))
        out.append(f'<p class="muted">probe of <code>{escape(probe.target)}</code> on {probe.cores} cores '
                   f"({escape(probe.machine)}), TensorFlow {escape(probe.tensorflow_version)}, Python "
                   f"{escape(probe.python_version)}{calibration}</p>")
        if probe.warnings:
            items = "".join(f"<li>{escape(w)}</li>" for w in probe.warnings)
            out.append(f'<div class="warning-box"><b>The probe warned:</b><ul>{items}</ul></div>')
    outside = outside_note(report.outside)
    if outside:
        out.append(f'<div class="warning-box">{escape(outside[0].upper() + outside[1:])}.</div>')
    if not report.probes:
        out.append('<p class="muted">No probe results: the advice is from static analysis only. Measure with '
                   "<code>tfpar-doctor probe FILE.py:make_dataset -o results.json</code> and pass "
                   "<code>--probe results.json</code>.</p>")
    out.append("</header>")
    return "\n".join(out)


def _summary(report: Report) -> str:
    counts = report.counts()
    verdicts = report.verdicts()
    cards = [
        ("call sites", len(report.sections)),
        ("errors", counts["error"]),
        ("warnings", counts["warning"]),
        ("measured sites", sum(verdicts.values())),
        ("pieces of advice", sum(len(s.recommended) for s in report.sections)),
    ]
    out = ['<section id="summary">', "<h2>Summary</h2>", '<div class="cards">']
    out += [f'<div class="card"><b>{n}</b>{escape(label)}</div>' for label, n in cards]
    out.append("</div>")
    if not report.sections:
        out.append("<p>No call sites with findings or measurements: nothing to advise.</p></section>")
        return "\n".join(out)
    # Narrow screens stack each row (CSS above): every cell says which column it is.
    out.append('<table class="summary"><thead><tr><th>Call site</th><th>Findings</th><th>Verdict</th>'
               "<th>Best measured</th><th>Advice</th></tr></thead><tbody>")
    for section in report.sections:
        codes = " ".join(f'<span class="badge sev-{f.severity.value}">{escape(f.code)}</span>'
                         for f in section.findings) or '<span class="muted">none</span>'
        verdict = _verdict_badge(section.probe) if section.probe else '<span class="muted">not probed</span>'
        best = _best_measured(section)
        advice = ("<br>".join(escape(a.title) for a in section.recommended)
                  or '<span class="muted">none</span>')
        out.append(f'<tr><td data-label="Call site"><a href="#{section.id}">{escape(section.title)}</a></td>'
                   f'<td data-label="Findings">{codes}</td><td data-label="Verdict">{verdict}</td>'
                   f'<td data-label="Best measured">{best}</td><td data-label="Advice">{advice}</td></tr>')
    out.append("</tbody></table></section>")
    return "\n".join(out)


def _best_measured(section: SiteSection) -> str:
    items = []
    result = section.probe
    if result is not None and result.best_level and result.best_speedup:
        items.append(f"{result.best_speedup:.2f}x at {escape(result.best_level)}")
    for advice in section.recommended:  # a rewrite measured slower is no best
        if advice.measured_speedup is not None and advice.kind not in ("keep-parallelism",):
            items.append(f"{advice.measured_speedup:.2f}x with {escape(advice.kind)}")
    return "<br>".join(items) or '<span class="muted">–</span>'


def _verdict_badge(result: SiteResult) -> str:
    v = result.verdict.value
    return (f'<span class="badge v-{v}">{escape(v)}</span> '
            f'<span class="muted">confidence {result.confidence:.2f}</span>')


def _section(report: Report, section: SiteSection) -> str:
    out = [f'<section class="site" id="{section.id}" data-site="{escape(section.location.short())}">',
           f"<h2>{escape(section.title)}</h2>",
           f'<p class="muted"><code>{escape(section.location.short())}</code></p>']
    for snippet in section.snippets:
        out.append(_snippet(snippet))
    if section.findings:
        out.append("<h3>Findings</h3>")
        out.append('<ul class="findings">' + "".join(_finding(f) for f in section.findings) + "</ul>")
    if section.probe is not None:
        cores = report.probes[section.probe_index].cores if section.probe_index is not None else None
        out.append(_measured(section, section.probe, cores))
    if section.recommended:
        out.append("<h3>Advice</h3>")
        out += [_advice(section, a, i) for i, a in enumerate(section.recommended)]
    if section.not_recommended:
        out.append("<h3>Measured and not recommended</h3>")
        start = len(section.recommended)
        out += [_advice(section, a, start + i, "not-recommended")
                for i, a in enumerate(section.not_recommended)]
    out.append("</section>")
    return "\n".join(out)


def _snippet(snippet: Snippet) -> str:
    rows = []
    for offset, text in enumerate(snippet.lines):
        number = snippet.start_line + offset
        cls = "row hl" if number in snippet.highlight else "row"
        rows.append(f'<span class="{cls}"><span class="ln">{number}</span>{escape(text)}</span>')
    caption = f"{escape(snippet.caption)} · <code>{escape(snippet.path)}:{snippet.start_line}</code>"
    return f'<h4>{caption}</h4><pre class="snippet"><code>{"".join(rows)}</code></pre>'


def _finding(found: Finding) -> str:
    advice = f'<br><span class="muted">{escape(found.advice)}</span>' if found.advice else ""
    return (f'<li><span class="badge sev-{found.severity.value}">{escape(found.code)}</span>'
            f"<b>{escape(found.name)}</b> <code>{escape(found.location.short())}</code><br>"
            f"{escape(found.message)}{advice}</li>")


def _measured(section: SiteSection, result: SiteResult, cores: int | None) -> str:
    out = ["<h3>Measured</h3>", f"<p>Verdict: {_verdict_badge(result)}"]
    if result.best_level:
        speed = f" ({result.best_speedup:.2f}x level 1)" if result.best_speedup else ""
        out.append(f" · recommended level <b>{escape(result.best_level)}</b>{speed}")
    if result.multiprocessing_speedup is not None:
        out.append(f" · process pool {result.multiprocessing_speedup:.2f}x")
    out.append("</p>")
    note = rate_note(result.unit)
    if note:
        out.append(f'<p class="muted">{escape(note)}</p>')
    if result.reasons:
        items = "".join(f"<li>{escape(in_unit(r, result.unit))}</li>" for r in result.reasons)
        out.append(f'<ul class="reasons">{items}</ul>')
    charts = charts_for(section, result, cores)
    if charts:
        out.append('<div class="charts">' + "".join(c.svg for c in charts) + "</div>")
    out.append(_levels_table(result))
    if result.notes:
        out.append('<p class="muted">' + "<br>".join(escape(in_unit(n, result.unit)) for n in result.notes)
                   + "</p>")
    return "\n".join(out)


def charts_for(section: SiteSection, result: SiteResult, cores: int | None) -> list[Chart]:
    """The charts a site gets: the whole pipeline and the stage alone, when measured."""
    out = []
    for name, levels in (("whole pipeline", result.pipeline), ("stage alone", result.isolated)):
        chart_id = f"{section.id}-{name.replace(' ', '-')}"
        chart = scaling_chart(levels, cores, f"{section.title}: {name}", chart_id, result.unit)
        if chart is not None:
            out.append(chart)
    return out


def _levels_table(result: SiteResult) -> str:
    rows = []
    for name, levels in (("pipeline", result.pipeline), ("stage alone", result.isolated)):
        base = next((x for x in levels if x.level == "1"), None)
        for level in levels:
            rows.append(_level_row(name, level, base))
    if not rows:
        return ""
    return ("<details><summary>Measurements</summary><div class=\"scroll\"><table><thead><tr><th>series</th>"
            f"<th>level</th><th>{escape(result.unit)}/s</th><th>±</th><th>speedup</th><th>CPU cores</th>"
            "<th>GIL</th><th>other CPU</th></tr>"
            "</thead><tbody>" + "".join(rows) + "</tbody></table></div></details>")


def _level_row(name: str, level: LevelResult, base: LevelResult | None) -> str:
    speedup = (f"{level.elements_per_second / base.elements_per_second:.2f}x"
               if base and base.elements_per_second else "–")
    gil = f"{level.gil_contention:.2f}" if level.gil_contention is not None else "–"
    return (f"<tr><td>{escape(name)}</td><td>{escape(level_label(level))}</td>"
            f'<td class="num">{level.elements_per_second:,.1f}</td>'
            f'<td class="num">{level.spread * 100:.0f}%</td><td class="num">{speedup}</td>'
            f'<td class="num">{level.cpu_cores:.2f}</td><td class="num">{gil}</td>'
            f'<td class="num">{level.other_cpu_cores:.2f}</td></tr>')


def _advice(section: SiteSection, advice: Advice, index: int, extra_class: str = "") -> str:
    unit = section.probe.unit if section.probe is not None else "elements"
    classes = " ".join(c for c in ("advice", escape(advice.kind), extra_class) if c)
    out = [(f'<div class="{classes}" id="{section.id}-advice-{index}" '
           f'data-advice-kind="{escape(advice.kind)}" data-site="{escape(section.location.short())}">'),
           f"<h4>{escape(advice.title)}</h4>", f"<p>{escape(in_unit(advice.summary, unit))}</p>"]
    if advice.measured_speedup is not None:
        tone = "measured" if advice.measured_speedup >= GAIN else "measured no-gain"
        out.append(f'<p class="{tone}">Measured on the probed machine: {advice.measured_speedup:.2f}x — '
                   f"{escape(in_unit(advice.measured, unit))}</p>")
    if advice.code:
        out.append('<div class="codewrap"><button class="copy" type="button">copy</button>'
                   f'<pre><code class="language-python">{escape(advice.code)}</code></pre></div>')
    if advice.notes:
        notes = "".join(f"<li>{escape(in_unit(n, unit))}</li>" for n in advice.notes)
        out.append(f'<ul class="reasons">{notes}</ul>')
    out.append("</div>")
    return "\n".join(out)
