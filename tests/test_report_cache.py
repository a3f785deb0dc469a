"""`report` reads and fills the same facts cache as `check`: a report after a check parses nothing again (on
a real 22-site repository: 8-10 s without the cache, 1.9 s with it, against 0.75 s for the warm check)."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from tfpar_doctor.cli import app
from tfpar_doctor.report import make_report, render
from tfpar_doctor.settings import CACHE_DIR_ENV, CACHE_DIR_NAME

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "podcast_pipeline"


def test_report_uses_the_facts_cache(tmp_path: Path, monkeypatch) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    monkeypatch.chdir(project)
    first = render(make_report([project], []), "md")
    entries = [p for p in (project / ".tfpar_doctor_cache").rglob("*") if p.is_file()]
    assert len(entries) >= len(list(project.rglob("*.py")))  # every checked file's facts were kept
    stamps = {p: p.stat().st_mtime_ns for p in entries}
    second = render(make_report([project], []), "md")
    assert second == first
    assert all(p.stat().st_mtime_ns == stamps[p] for p in entries if "manifest" not in p.name)


def _project(tmp_path: Path, monkeypatch) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    monkeypatch.chdir(project)
    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)
    return project


def test_report_no_cache_neither_reads_nor_writes_it(tmp_path: Path, monkeypatch) -> None:
    project = _project(tmp_path, monkeypatch)
    uncached = render(make_report([project], [], no_cache=True), "md")
    assert not (project / CACHE_DIR_NAME).exists()
    assert uncached == render(make_report([project], []), "md")  # the cache changes nothing in the report


def test_report_cache_dir_moves_the_cache(tmp_path: Path, monkeypatch) -> None:
    project = _project(tmp_path, monkeypatch)
    elsewhere = tmp_path / "elsewhere"
    make_report([project], [], cache_dir=elsewhere)
    assert not (project / CACHE_DIR_NAME).exists()
    assert any(p.is_file() for p in elsewhere.rglob("*"))


def test_report_cache_options_on_the_command_line(tmp_path: Path, monkeypatch) -> None:
    project = _project(tmp_path, monkeypatch)
    elsewhere = tmp_path / "elsewhere"
    runner = CliRunner()
    done = runner.invoke(app, ["report", str(project), "--no-cache", "--format", "json"])
    assert done.exit_code == 0, done.output
    assert not (project / CACHE_DIR_NAME).exists()
    done = runner.invoke(app, ["report", str(project), "--cache-dir", str(elsewhere), "--format", "json"])
    assert done.exit_code == 0, done.output
    assert not (project / CACHE_DIR_NAME).exists()
    assert any(p.is_file() for p in elsewhere.rglob("*"))
