"""The report as JSON for machines: the same content as the HTML and Markdown reports.

Top-level keys: `tool`, `version`, `paths`, `summary` (sites, findings, by_severity, verdicts, advice),
`probes` (what each probe run measured on) and `sites`: per call site its `id`, `location`, `title`,
`method`, `snippets`, `findings` (as `check --output-format json`), `probe` (the probe's SiteResult, as in
the results file, or null), `probe_index`, `advice` (kind, title, site, summary, code, finding_codes,
measured_speedup, measured, replacements, notes) and `not_recommended` (the same fields: a rewrite that
`probe --verify-rewrite` measured no faster on the probed machine, kept apart from the advice and counted
nowhere in `summary.advice`). Every advice's `site` equals its section's `location`.
"""

from __future__ import annotations

import json

from tfpar_doctor.report_model import Report


def render_report_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, allow_nan=False) + "\n"
