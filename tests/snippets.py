"""Checking a snippet: a module header (imports, helpers) with the call under test on its last line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfpar_doctor.check import CheckSettings, run_check
from tfpar_doctor.model import Finding


def last_line_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: str, body: str
) -> list[Finding]:
    """The findings `check` reports on the last line of `header + body` (the call under test), checked as
    `pipeline.py` from its own directory."""
    monkeypatch.chdir(tmp_path)
    source = header + body.strip("\n") + "\n"
    (tmp_path / "pipeline.py").write_text(source, encoding="utf-8")
    last = source.count("\n")
    return [f for f in run_check([Path("pipeline.py")], CheckSettings()).findings if f.location.line == last]
