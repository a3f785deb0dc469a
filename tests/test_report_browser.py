"""The HTML report in a real headless Chromium, at a desktop (1400 px) and a phone (390 px) width.

The page is rendered from the recorded findings and probe results in fixtures/reports/ and measured by
the browser's own layout: nothing wider than the viewport, the summary's Verdict, Best measured and
Advice cells on screen at 390 px, and every chart title inside its chart. Screenshots of both widths
are written to docs/ when TFPAR_UPDATE_SCREENSHOTS=1 (the README shows them).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tfpar_doctor.model import Finding
from tfpar_doctor.probe import results
from tfpar_doctor.render.html import render_html
from tfpar_doctor.report import build_report

from .conftest import ROOT

sync_api = pytest.importorskip("playwright.sync_api",
                               reason="playwright is not installed (pip install -e '.[dev]')")
REPORTS = ROOT / "fixtures" / "reports"


def _chromium() -> str | None:
    """The system Chromium (Debian's package): Playwright's own browser download is not reachable in CI."""
    names = ("chromium", "chromium-browser", "google-chrome")
    return next((path for name in names if (path := shutil.which(name))), None)


pytestmark = pytest.mark.skipif(
    _chromium() is None, reason="no Chromium installed (apt-get install chromium) to render the report")

# Measured in the page: the document's width, summary cells hidden or outside the viewport, chart titles
# whose box leaves their SVG.
_MEASURE = """() => {
  const width = window.innerWidth;
  const hidden = [];
  for (const td of document.querySelectorAll('table.summary td[data-label]')) {
    const label = td.dataset.label;
    if (!['Verdict', 'Best measured', 'Advice'].includes(label)) continue;
    const r = td.getBoundingClientRect();
    const style = getComputedStyle(td);
    if (style.display === 'none' || style.visibility === 'hidden' || r.width === 0 || r.left < 0
        || r.right > width + 0.5) hidden.push(label + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  const clipped = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const box = svg.getBoundingClientRect();
    const title = svg.querySelector('text.chart-title');
    const t = title.getBoundingClientRect();
    if (t.left < box.left - 0.5 || t.right > box.right + 0.5 || t.top < box.top - 0.5)
      clipped.push(svg.dataset.chart);
  }
  const wide = [];
  for (const el of document.querySelectorAll('h1, h2, h3, h4, .card, section, table.summary')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 0.5) wide.push(el.tagName + ' ' + (el.id || el.className));
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, hidden, clipped, wide,
          cells: document.querySelectorAll('table.summary td[data-label]').length,
          charts: document.querySelectorAll('svg.chart').length,
          sites: document.querySelectorAll('section.site').length};
}"""


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    os.chdir(ROOT)  # the recorded paths are relative to the repository
    findings = [Finding.from_dict(d) for d in json.loads((REPORTS / "findings.json").read_text())]
    run = results.load(REPORTS / "probe-results.json")
    report = build_report(findings, [run], ["fixtures/reports/podcast_pipeline"])
    page = tmp_path_factory.mktemp("report") / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    return page


@pytest.mark.parametrize("width", [1400, 390])
def test_report_fits_the_viewport_in_chromium(page_file: Path, width: int) -> None:
    executable = _chromium()
    assert executable is not None
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(page_file.as_uri())
            measured: dict[str, Any] = page.evaluate(_MEASURE)
            if os.environ.get("TFPAR_UPDATE_SCREENSHOTS") == "1":
                page.screenshot(path=str(ROOT / "docs" / f"report-{width}.png"), full_page=False)
        finally:
            browser.close()
    assert measured["width"] == width
    # The browser built the whole report: both charts of the four measured sites, five cells a summary row.
    assert (measured["charts"], measured["sites"], measured["cells"]) == (8, 4, 20)
    assert measured["scrollWidth"] <= width, measured
    assert measured["wide"] == [], measured
    assert measured["hidden"] == [], measured
    assert measured["clipped"] == [], measured
