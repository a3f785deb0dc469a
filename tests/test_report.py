"""`tfpar-doctor report`: every format rendered from recorded findings and probe results.

The inputs are recorded in fixtures/reports/: `findings.json` (check's JSON output for the
podcast_pipeline project next to it) and `probe-results.json` (a real probe run of its `make_dataset`),
so these tests do not depend on the analyzer or on TensorFlow.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfpar_doctor.cli import app
from tfpar_doctor.model import Finding, LevelResult, ProbeRun
from tfpar_doctor.probe import results
from tfpar_doctor.render.html import render_html
from tfpar_doctor.render.markdown import render_markdown
from tfpar_doctor.render.report_json import render_report_json
from tfpar_doctor.render.svg_chart import nice_max, scaling_chart
from tfpar_doctor.report import REPORT_FORMATS, build_report, format_for, make_report, render
from tfpar_doctor.report_model import Report

from .conftest import ROOT

REPORTS = ROOT / "fixtures" / "reports"
VOID = {"meta", "br", "img", "input", "link", "hr", "rect", "circle", "line", "polyline", "path", "col",
        "wbr"}


@pytest.fixture(autouse=True)
def _in_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the recorded paths are relative to the repository


@pytest.fixture
def report() -> Report:
    findings = [Finding.from_dict(d) for d in json.loads((REPORTS / "findings.json").read_text())]
    run = results.load(REPORTS / "probe-results.json")
    return build_report(findings, [run], ["fixtures/reports/podcast_pipeline"])


class Tree(HTMLParser):
    """Checks nesting while parsing and keeps what the tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.sections: list[dict[str, str]] = []
        self.svgs: list[dict[str, str]] = []
        self.svg_text: list[list[str]] = []
        self.advice: list[tuple[str, str]] = []  # (section's data-site, advice's data-site)
        self.external: list[str] = []
        self.current_section: str | None = None
        self.current_svg: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("src", "href"):
            if key in a and re.match(r"(https?:)?//", a[key]):
                self.external.append(a[key])
        if tag == "section" and "site" in a.get("class", ""):
            self.sections.append(a)
            self.current_section = a["data-site"]
        if tag == "svg":
            self.svgs.append(a)
            self.current_svg = []
            self.svg_text.append(self.current_svg)
        if tag == "div" and "data-advice-kind" in a:
            self.advice.append((self.current_section or "", a["data-site"]))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}> "
                               f"at line {self.getpos()[0]}")
            return
        self.stack.pop()
        if tag == "svg":
            self.current_svg = None
        if tag == "section":
            self.current_section = None

    def handle_data(self, data: str) -> None:
        if self.current_svg is not None and data.strip():
            self.current_svg.append(data.strip())


def parse(html: str) -> Tree:
    tree = Tree()
    tree.feed(html)
    tree.close()
    return tree


def test_html_is_well_formed_self_contained_and_has_one_section_per_site(report: Report) -> None:
    html = render_html(report)
    tree = parse(html)
    assert tree.errors == []
    assert tree.stack == []
    assert tree.external == []  # nothing loaded from the network
    assert "<script src" not in html and "@import" not in html
    assert [s["id"] for s in tree.sections] == [s.id for s in report.sections]
    assert len(report.sections) == 4
    assert "pipeline.py:41 .map(_tokens)" in html


def test_every_measured_site_has_labelled_charts(report: Report) -> None:
    tree = parse(render_html(report))
    measured = [s for s in report.sections if s.probe is not None]
    expected = sum(bool(s.probe.pipeline) + bool(s.probe.isolated) for s in measured if s.probe)
    assert expected == 8
    assert len(tree.svgs) == expected
    unit = {s.probe.unit for s in measured if s.probe}.pop()
    for attrs, texts in zip(tree.svgs, tree.svg_text, strict=True):
        assert attrs["role"] == "img" and attrs["aria-labelledby"]
        joined = " ".join(texts)
        for label in (f"{unit} / s", "CPU cores used", "num_parallel_calls (level)", f"measured {unit}/s",
                      "ideal (levels ≤ 2)", "2 cores"):
            assert label in joined, (attrs["data-chart"], label)
        assert "whole pipeline" in joined or "stage alone" in joined
    # every measured level appears in its chart, AUTOTUNE with the value it chose
    for section in measured:
        assert section.probe is not None
        for levels in (section.probe.pipeline, section.probe.isolated):
            where = section.title.split(" ")[0]
            charts = [" ".join(t) for t in tree.svg_text if where in " ".join(t)]
            for level in levels:
                chose = level.level == "autotune" and level.autotuned_value
                shown = f"autotune (→{level.autotuned_value})" if chose else level.level
                assert any(shown in chart for chart in charts), (section.title, shown)


def test_chart_ideal_stops_at_the_cores_and_counts_batches() -> None:
    """Private pools, unbounded levels and levels above the cores have no linear ideal to draw."""
    levels = [LevelResult("1", 1, 10.0, 0.01, 0.1, None, 0.0, 3),
              LevelResult("2", 2, 19.0, 0.01, 0.2, None, 0.0, 3),
              LevelResult("4", 4, 20.0, 0.01, 0.2, None, 0.0, 3),
              LevelResult("private:16", 16, 21.0, 0.01, 0.2, None, 0.0, 3),
              LevelResult("unbounded", None, 21.0, 0.01, 0.2, None, 0.0, 3)]
    title = "a title long enough to need two lines in a chart four hundred pixels wide"
    chart = scaling_chart(levels, 2, title, "c", unit="batches")
    assert chart is not None
    ideal = re.search(r'<polyline points="([^"]+)"[^>]*class="series-ideal"', chart.svg)
    assert ideal is not None and len(ideal.group(1).split()) == 2
    assert "ideal (levels ≤ 2)" in chart.svg and "measured batches/s" in chart.svg and "el/s" not in chart.svg
    assert chart.svg.count("<tspan") == 2  # the title wraps instead of running off the chart


def test_chart_points_match_the_measurements() -> None:
    levels = [LevelResult("1", 1, 80.0, 0.01, 0.1, None, 0.0, 3),
              LevelResult("2", 2, 150.0, 0.01, 0.2, None, 0.0, 3),
              LevelResult("autotune", None, 155.0, 0.01, 0.2, None, 0.0, 3, autotuned_value=2)]
    chart = scaling_chart(levels, 2, "t", "c")
    assert chart is not None
    assert chart.svg.count("<circle") == 3 and chart.svg.count("<rect") == 3
    assert "150 elements/s" in chart.svg and "autotune (→2)" in chart.svg
    # The ideal line has a point per numeric level up to the cores: 80, 160.
    ideal = re.search(r'<polyline points="([^"]+)"[^>]*class="series-ideal"', chart.svg)
    assert ideal is not None and len(ideal.group(1).split()) == 2
    assert scaling_chart([], 2, "t", "c") is None
    assert [nice_max(v) for v in (0.7, 3, 12, 160, 0)] == [1.0, 5.0, 20.0, 200.0, 1.0]


def test_every_piece_of_advice_is_tied_to_its_call_site(report: Report) -> None:
    tree = parse(render_html(report))
    assert tree.advice, "no advice rendered"
    assert all(section == site for section, site in tree.advice)
    for section in report.sections:
        for advice in section.advice:
            assert advice.site == section.location
    kinds = {s.title: [a.kind for a in s.advice] for s in report.sections}
    # waits: the pool first
    assert kinds["pipeline.py:39 .map(_load)"] == ["thread-pool", "tf-native", "nondeterministic"]
    assert kinds["pipeline.py:41 .map(_tokens)"] == ["tf-native", "multiprocessing"]
    assert kinds["pipeline.py:42 .map(_augment)"] == ["move-cache"]


def test_advice_carries_the_probe_measurements(report: Report) -> None:
    by_title = {s.title: s for s in report.sections}
    tokens = by_title["pipeline.py:41 .map(_tokens)"]
    pool = next(a for a in tokens.advice if a.kind == "multiprocessing")
    assert tokens.probe is not None
    # the function alone in a pool is not the rewritten pipeline: its number is shown as an estimate
    assert pool.measured_speedup is None
    assert f"{tokens.probe.multiprocessing_speedup:.2f}x" in pool.measured and "estimate" in pool.measured
    assert "from text import encode_transcript" in pool.code
    load = by_title["pipeline.py:39 .map(_load)"]
    threads = next(a for a in load.advice if a.kind == "thread-pool")
    assert load.probe is not None
    larger = [lv.level for lv in load.probe.pipeline
              if lv.level.startswith("private:") or lv.level == "unbounded"]
    if larger:  # the probe measured a larger pool (threadpool-capped): the advice quotes it
        assert threads.measured_speedup is not None and larger[0] in threads.measured


def test_markdown_has_the_same_sites_tables_and_collapsible_code(report: Report) -> None:
    md = render_markdown(report)
    assert md.count("<details>") == md.count("</details>") > 0
    assert md.count("```") % 2 == 0
    for section in report.sections:
        assert f"## {section.title}" in md
        assert f'<a id="{section.id}"></a>' in md
        for advice in section.advice:
            assert advice.title in md
    assert "| Call site | Findings | Verdict | Advice |" in md
    assert "| series | level | elements/s | speedup | CPU cores | GIL |" in md
    assert "**Warning:**" in md  # the probe's busy-machine warning travels with the numbers


def test_json_round_trips_and_ties_advice_to_sites(report: Report) -> None:
    data = json.loads(render_report_json(report))
    assert data["summary"]["sites"] == 4 and data["summary"]["findings"] == 7
    recorded = Counter(site.verdict.value for site in results.load(REPORTS / "probe-results.json").sites)
    assert data["summary"]["verdicts"] == dict(recorded)
    for site in data["sites"]:
        for advice in site["advice"]:
            assert advice["site"] == site["location"]
        if site["probe"] is not None:
            results.from_dict({**json.loads(results.dumps(results.load(REPORTS / "probe-results.json"))),
                               "sites": [site["probe"]]})
    assert data["probes"][0]["cores"] == 2


def test_report_without_a_probe_says_how_to_measure(report: Report) -> None:
    static = build_report(report.findings, [], ["fixtures/reports/podcast_pipeline"])
    html = render_html(static)
    assert "No probe results" in html and "<svg" not in html
    assert parse(html).errors == []
    empty = build_report([], [], [])
    assert "nothing to advise" in render_markdown(empty)
    assert parse(render_html(empty)).errors == []


runner = CliRunner()


@pytest.mark.parametrize("suffix", ["html", "md", "json"])
def test_cli_writes_each_format(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"report.{suffix}"
    result = runner.invoke(app, ["report", "fixtures/reports/podcast_pipeline", "--probe",
                                 "fixtures/reports/probe-results.json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "pipeline.py:41" in text
    if suffix == "json":
        json.loads(text)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fixtures/reports/podcast_pipeline", "-o", "report.pdf"], "cannot tell the format"),
        (["no/such/dir", "-o", "r.html"], "no such file or directory"),
        (["fixtures/reports/podcast_pipeline", "--probe", "missing.json"], "no such file"),
        (["fixtures/reports/podcast_pipeline", "--probe", "fixtures/reports/findings.json"],
         "expected an object"),
        (["fixtures/reports/podcast_pipeline", "--format", "pdf"], "use html, markdown or json"),
    ],
)
def test_cli_bad_input_is_a_clear_error(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_markdown_fits_a_pull_request_comment(report: Report) -> None:
    full = render_markdown(report, limit=None)
    compact = render_markdown(report, limit=len(full) - 1)
    assert len(compact) < len(full)
    assert "left out to fit a pull-request comment" in compact
    assert compact.count("<details>") == compact.count("</details>")
    tiny = render_markdown(report, limit=4_000)
    assert len(tiny) <= 4_000
    assert "more call site" in tiny
    for section in report.sections:  # the summary table still lists every site
        assert f"[{section.title}]" in tiny


def test_report_never_imports_tensorflow() -> None:
    code = ("import sys; from typer.testing import CliRunner; from tfpar_doctor.cli import app; "
            "r = CliRunner().invoke(app, ['report', 'fixtures/reports/podcast_pipeline', '--probe', "
            "'fixtures/reports/probe-results.json']); assert r.exit_code == 0, r.output; "
            "print(sorted(m for m in ('tensorflow', 'psutil', 'gilknocker', 'matplotlib') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT,
                         check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_probe_results_from_another_machine_still_render(report: Report) -> None:
    """Sites whose files are not here (a results file copied from a training host) get sections without
    code, and nothing is guessed about their Python."""
    run = results.load(REPORTS / "probe-results.json")
    for index, site in enumerate(run.sites):
        site.site.path = f"/elsewhere/project/pipeline_{index}.py"
    moved = build_report(report.findings, [run], [])
    assert len(moved.sections) == 8  # 4 sites with findings here, 4 measured elsewhere
    elsewhere = [s for s in moved.sections if s.location.path.startswith("/elsewhere")]
    assert len(elsewhere) == 4
    assert all(s.snippets == [] and s.probe is not None for s in elsewhere)
    tree = parse(render_html(moved))
    assert tree.errors == [] and len(tree.svgs) == 8
    json.loads(render_report_json(moved))
    assert "pipeline_0.py" in render_markdown(moved)


def test_probe_results_outside_the_checked_paths_are_reported_not_merged(report: Report) -> None:
    """A results file for another tree (or a file that moved) says so instead of joining the checked sites."""
    run = results.load(REPORTS / "probe-results.json")
    other = build_report(report.findings, [run], ["fixtures/projects"])
    assert all(s.probe is None for s in other.sections)
    assert len(other.outside) == 4 and other.outside[0].endswith("pipeline.py:39")
    message = ("probe results for 4 sites in files outside the checked paths: "
               "fixtures/reports/podcast_pipeline/")
    assert message in render_markdown(other)
    assert json.loads(render_report_json(other))["probe_sites_outside_paths"] == other.outside
    assert "Probe results for 4 sites in files outside the checked paths" in render_html(other)
    # inside the checked paths nothing is left out
    assert report.outside == [] and json.loads(render_report_json(report))["probe_sites_outside_paths"] == []


def test_no_design_file_names_in_the_report(report: Report) -> None:
    """The report speaks in the project's own words (docs/), never names the team's design notes."""
    from tests.test_design_notes import DESIGN_NOTES as names
    # text_classifier's generator gets the process-pool advice, which quotes a measurement
    generator = make_report([Path("fixtures/projects/text_classifier/data.py")], [])
    assert any(a.kind == "multiprocessing" for s in generator.sections for a in s.advice)
    for rendered in (render_html(report), render_markdown(report, limit=None), render_report_json(report),
                     render_html(generator), render_markdown(generator, limit=None)):
        assert [n for n in names if n in rendered] == []


def test_one_table_names_every_format(report: Report) -> None:
    """Suffix, --format name and renderer come from REPORT_FORMATS: each -o suffix renders its own format."""
    assert {f.name for f in REPORT_FORMATS} == {"html", "markdown", "json"}
    for fmt in REPORT_FORMATS:
        for suffix in fmt.suffixes:
            assert format_for(Path(f"report{suffix}"), None) == fmt.name
        assert format_for(None, fmt.name.upper()) == fmt.name
    assert format_for(None, "md") == "markdown" and format_for(None, None) == "markdown"
    assert render(report, "html").startswith("<!DOCTYPE html>")
    assert json.loads(render(report, "json"))["tool"] == "tfpar-doctor"
    assert render(report, "markdown").startswith("# tfpar-doctor report")


def test_report_help_names_every_format_from_the_table() -> None:
    """The command line's help for `report` is built from REPORT_FORMATS: a new row shows up in it."""
    import typer.core
    import typer.main

    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    command = group.commands["report"]
    helps = {opt: param.help or "" for param in command.params if isinstance(param, typer.core.TyperOption)
             for opt in param.opts}
    for fmt in REPORT_FORMATS:
        assert fmt.name in helps["--format"] and fmt.name in (command.help or "").lower()
        assert f"report{fmt.suffixes[0]}" in helps["--output"]
    assert {"--no-cache", "--cache-dir"} <= set(helps)


def test_throughput_is_in_the_sites_unit(report: Report) -> None:
    """After .batch() the probe counts batches: every rate says batches/s, and once per site what it means."""
    run = results.load(REPORTS / "probe-results.json")
    for site in run.sites:
        site.unit = "batches"
    batched = build_report(report.findings, [run], ["fixtures/reports/podcast_pipeline"])
    measured = sum(s.probe is not None for s in batched.sections)
    for rendered in (render_html(batched), render_markdown(batched, limit=None)):
        assert "el/s" not in rendered and "elements/s" not in rendered
        assert "batches/s" in rendered
        assert rendered.count("Throughput is in batches/s") == measured == 4
    for rendered in (render_html(report), render_markdown(report, limit=None)):
        assert "el/s" not in rendered and "batches/s" not in rendered and "elements/s" in rendered


# ---- a rewrite the probe measured slower is never listed as advice ----------------------------------------


def _pool_report(tmp_path: Path, speedup_rates: tuple[float, float]) -> Report:
    from tests.test_advice import gil_finding

    run = _pool_run(tmp_path, speedup_rates)
    pipeline = run.sites[0].site.path
    return build_report([gil_finding(pipeline, str(tmp_path / "tokens.py"))], [run], [str(tmp_path)])


def _pool_run(tmp_path: Path, speedup_rates: tuple[float, float]) -> ProbeRun:
    """A probe run over tmp_path's gil-bound pipeline whose rewritten pipeline ran at `speedup_rates`
    (rewritten, as written) elements/s."""
    from tests.test_advice import PIPELINE, TOKENS, probe_result, write
    from tfpar_doctor.model import Verdict

    pipeline = write(tmp_path, "pipeline.py", PIPELINE)
    write(tmp_path, "tokens.py", TOKENS)
    new, old = speedup_rates
    record = {"kind": "multiprocessing", "elements_per_second": new, "original_elements_per_second": old,
              "speedup": new / old, "error": None, "repeats": 3, "speedup_low": new / old * 0.97,
              "speedup_high": new / old * 1.03, "other_cpu_cores": 0.02, "unreliable": None}
    result = probe_result(pipeline, Verdict.GIL_BOUND, multiprocessing_speedup=1.87, rewrite=record,
                          multiprocessing={"workers": 2, "serial_seconds_per_element": 0.0185,
                                           "pool_seconds_per_element": 0.0099})
    return ProbeRun(target=f"{pipeline}:make", tensorflow_version="2.21.0", python_version="3.12.0", cores=2,
                    machine="Linux", calibration={}, sites=[result])


def test_the_cli_counts_only_the_advice_the_report_recommends(tmp_path: Path) -> None:
    results.dump(_pool_run(tmp_path, (789.0, 913.0)), tmp_path / "probe.json")
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["report", str(tmp_path), "--probe", str(tmp_path / "probe.json"),
                                 "--no-cache", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    (site,) = [s for s in data["sites"] if s["not_recommended"]]
    assert [a["kind"] for a in site["not_recommended"]] == ["multiprocessing"]
    shown = data["summary"]["advice"]
    assert f"{len(data['sites'])} call sites, {shown} pieces of advice" in result.output


def test_a_rewrite_measured_slower_is_shown_apart_never_as_advice(tmp_path: Path) -> None:
    built = _pool_report(tmp_path, (789.0, 913.0))
    (section,) = built.sections
    assert [a.kind for a in section.not_recommended] == ["multiprocessing"]
    assert "multiprocessing" not in [a.kind for a in section.recommended]
    title = section.not_recommended[0].title

    html = render_html(built)
    summary_table = html.split('<table class="summary">', 1)[1].split("</table>", 1)[0]
    assert title not in summary_table and "with multiprocessing" not in summary_table
    assert "0.86x" not in summary_table  # no "Best measured" for a loser
    assert "<h3>Measured and not recommended</h3>" in html
    assert "advice multiprocessing not-recommended" in html

    markdown = render_markdown(built)
    table = markdown.split("| Call site |", 1)[1].split("\n\n", 1)[0]
    assert title not in table
    assert "**Measured and not recommended**" in markdown
    assert ("Measured on the probed machine: not recommended, slower here: the rewritten pipeline ran 789 "
            "elements/s against 913 elements/s as written (0.86x" in markdown)
    assert "Measured on the probed machine: measured" not in markdown

    data = json.loads(render_report_json(built))
    (site,) = data["sites"]
    assert "multiprocessing" not in [a["kind"] for a in site["advice"]]
    assert [a["kind"] for a in site["not_recommended"]] == ["multiprocessing"]
    assert site["not_recommended"][0]["code"] == ""
    assert data["summary"]["advice"] == len(site["advice"])


def test_a_rewrite_measured_faster_is_advice_with_its_number(tmp_path: Path) -> None:
    built = _pool_report(tmp_path, (1700.0, 913.0))
    (section,) = built.sections
    assert section.not_recommended == [] and "multiprocessing" in [a.kind for a in section.recommended]
    html = render_html(built)
    summary_table = html.split('<table class="summary">', 1)[1].split("</table>", 1)[0]
    assert "1.86x with multiprocessing" in summary_table
    assert "Measured on the probed machine: the rewritten pipeline ran 1700" in render_markdown(built)


def test_a_rewrite_measured_without_a_number_to_trust_says_so_not_run_it_again(tmp_path: Path) -> None:
    import dataclasses

    from tests.test_advice import gil_finding

    run = _pool_run(tmp_path, (1700.0, 913.0))
    (site,) = run.sites
    busy = dict(site.rewrite or {}, unreliable="other processes used 1.4 of 2 cores")
    run = dataclasses.replace(run, sites=[dataclasses.replace(site, rewrite=busy)])
    built = build_report([gil_finding(site.site.path, str(tmp_path / "tokens.py"))], [run], [str(tmp_path)])
    (section,) = built.sections
    (pool,) = [a for a in section.recommended if a.kind == "multiprocessing"]
    assert "without a number to trust" in pool.summary and "on a quiet machine" in pool.summary
    assert "run `tfpar-doctor probe --verify-rewrite" not in pool.summary
