"""Meta-tests over the rule registry: every rule documents itself fully, and its examples are honest.

The Example of each rule must trigger the rule and its Use instead must not, checked by running the
checker on the snippets (with a standard import header, since many examples are fragments).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfpar_doctor import rule_docs
from tfpar_doctor.check import CheckSettings, run_check
from tfpar_doctor.cli import app
from tfpar_doctor.rules import ALL_RULES
from tfpar_doctor.rules.base import Rule

# Fragments use `tf`, `np`, `requests` and an existing dataset `ds` without defining them.
HEADER = (
    "import numpy as np\n"
    "import requests\n"
    "import tensorflow as tf\n\n"
    "ds = tf.data.Dataset.from_tensor_slices(['a.jpg', 'b.jpg'])\n\n"
)


def _codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, snippet: str) -> set[str]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(HEADER + snippet + "\n", encoding="utf-8")
    return {f.code for f in run_check([Path(name)], CheckSettings(rules=ALL_RULES)).findings}


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_every_section_is_written(rule: Rule) -> None:
    assert re.fullmatch(r"TFP\d{3}", rule.code)
    assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", rule.name)
    assert rule.summary.strip() and not rule.summary.endswith(".")
    for attribute, heading, _ in rule_docs.SECTIONS:
        assert getattr(rule.doc, attribute).strip(), f"{rule.code} has no `{heading}` section"
    assert rule.doc.references and all(ref.startswith("https://") for ref in rule.doc.references)
    assert rule.doc.example.strip() != rule.doc.use_instead.strip()


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in ALL_RULES}) == len(ALL_RULES)
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_example_triggers_and_use_instead_does_not(
    rule: Rule, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert rule.code in _codes(tmp_path, monkeypatch, "example.py", rule.doc.example), (
        f"{rule.code}'s Example does not trigger it")
    assert rule.code not in _codes(tmp_path, monkeypatch, "use_instead.py", rule.doc.use_instead), (
        f"{rule.code}'s Use instead still triggers it")


def test_markdown_has_every_heading() -> None:
    for rule in ALL_RULES:
        text = rule_docs.markdown(rule)
        for _, heading, _ in rule_docs.SECTIONS:
            assert f"## {heading}\n" in text
        assert "## References\n" in text


def test_rule_command_text_json_and_all() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["rule", "TFP101"])
    assert result.exit_code == 0
    for heading in ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety", "References"):
        assert heading in result.output
    result = runner.invoke(app, ["rule", "--all", "--output-format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [d["code"] for d in data] == [r.code for r in ALL_RULES]
    assert {"what", "why", "example", "use_instead", "fix_safety", "references"} <= set(data[0])
    single = json.loads(runner.invoke(app, ["rule", "python-in-map", "--output-format", "json"]).output)
    assert single["code"] == "TFP101"


@pytest.mark.parametrize("args", [["rule"], ["rule", "TFP999"], ["rule", "TFP101", "--all"]])
def test_rule_command_usage_errors(args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
