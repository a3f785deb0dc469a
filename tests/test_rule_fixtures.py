"""Every fixture file's findings are exactly the `# expect:` comments in it (code and line)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, expected_findings
from tfpar_doctor.check import CheckSettings, run_check
from tfpar_doctor.model import Finding
from tfpar_doctor.rules import ALL_RULES, RULES_BY_CODE

RULE_FILES = sorted((FIXTURES / "rules").rglob("*.py"))
PROJECTS = (
    sorted(p for p in (FIXTURES / "projects").iterdir() if p.is_dir())
    if (FIXTURES / "projects").is_dir()
    else []
)
ALL = CheckSettings(rules=ALL_RULES)
DEFAULT = CheckSettings()

# The subject is each rule's findings: each file's facts are extracted once per run (tests/facts_once.py).
pytestmark = pytest.mark.usefixtures("facts_once")


def _settings_for(path: Path) -> CheckSettings:
    """Advice rules (TFP4xx) are off by default; their folder is annotated for `--select TFP4`."""
    return ALL if "TFP4xx" in path.parts else DEFAULT


def _findings(paths: list[Path], base: Path, settings: CheckSettings = DEFAULT) -> set[tuple[str, str, int]]:
    cwd = os.getcwd()
    os.chdir(base)
    try:
        result = run_check([p.relative_to(base) for p in paths], settings)
    finally:
        os.chdir(cwd)
    for found in result.findings:
        _assert_keeps_its_declarations(found)
    return {(f.location.path, f.code, f.location.line) for f in result.findings}


def _assert_keeps_its_declarations(found: Finding) -> None:
    """A finding asks only for advice its rule declares, and a rule that says its findings name the
    per-element Python body names one (the advisor and the pool rewrite read both from the rule)."""
    rule = RULES_BY_CODE[found.code]
    declared = {kind.value for kind in rule.advice}
    assert set(found.advice_kinds) <= declared, (found.code, found.advice_kinds, declared)
    if rule.python_body is not None:
        assert found.function, found


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_rule_fixture(path: Path) -> None:
    expected = {(code, line) for code, line in expected_findings(path)}
    got = {(code, line) for _, code, line in _findings([path], path.parent, _settings_for(path))}
    if "TFP4xx" in path.parts:
        # The advice-rule folder is annotated for the TFP4xx codes only.
        got = {(code, line) for code, line in got if code.startswith("TFP4")}
    assert got == expected, f"missing {sorted(expected - got)}, unexpected {sorted(got - expected)}"


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_project_fixture(project: Path) -> None:
    expected = {
        (str(path.relative_to(project)), code, line)
        for path in sorted(project.rglob("*.py"))
        for code, line in expected_findings(path)
    }
    got = _findings([project], project)
    got = {(path.removeprefix("./"), code, line) for path, code, line in got}
    assert got == expected, f"missing {sorted(expected - got)}, unexpected {sorted(got - expected)}"
