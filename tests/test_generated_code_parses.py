"""Every piece of code the tool hands over parses: the report's code blocks, the TensorFlow forms of each
rewritten call, and every file a fix (`check --fix --unsafe-fixes`) would write.

Run over every fixture tree and over the real-code corpus (bench/realworld/files: real files of public
repositories). Static only: `check` and the advisor, never the probe.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from tfpar_doctor.fix import plan_fixes
from tfpar_doctor.model import Finding
from tfpar_doctor.report import make_report
from tfpar_doctor.report_model import Report

from .conftest import FIXTURES, ROOT

REALWORLD = ROOT / "bench" / "realworld" / "files"
TREES = [
    *sorted(p for p in (FIXTURES / "projects").iterdir() if p.is_dir()),
    FIXTURES / "probe",
    FIXTURES / "rules",
    FIXTURES / "reports" / "podcast_pipeline",
]
# The subject is the code handed over, not extraction: each file's facts are extracted once per run
# (tests/facts_once.py).
pytestmark = pytest.mark.usefixtures("facts_once")


@pytest.fixture(autouse=True)
def _in_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _parse_error(code: str) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            ast.parse(code)
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}"
    return None


def generated_code(report: Report) -> Iterator[tuple[str, str, str]]:
    """(where, what, code) for each advice block and each rewritten call of the report."""
    for section in report.sections:
        where = f"{section.location.path}:{section.location.line}"
        for advice in section.advice:
            if advice.code:
                yield where, advice.kind, advice.code
            for replacement in advice.replacements:
                yield where, f"{advice.kind} replacement at line {replacement.line}", replacement.tensorflow


def unparsable_blocks(report: Report) -> list[str]:
    out = []
    for where, what, code in generated_code(report):
        error = _parse_error(code)
        if error is not None:
            out.append(f"{where} {what}: {error}\n{code}")
    return out


def unparsable_fixes(findings: list[Finding]) -> list[str]:
    out = []
    for plan in plan_fixes(findings, unsafe=True):
        out += [f"{plan.path}: {f.code} at line {f.location.line}: {why}" for f, why in plan.skipped
                if why == "the result would not parse"]
        if plan.changed and _parse_error(plan.fixed) is not None:
            out.append(f"{plan.path}: the fixed file does not parse")
    return out


def findings_of(report: Report) -> list[Finding]:
    return [f for section in report.sections for f in section.findings]


@pytest.mark.parametrize("tree", TREES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_block_of_a_fixture_report_parses(tree: Path) -> None:
    report = make_report([tree.relative_to(ROOT)], [])
    blocks = list(generated_code(report))
    assert blocks or tree.name in ("tf1_estimator",), "the tree gave no advice code at all"
    assert unparsable_blocks(report) == []
    assert unparsable_fixes(findings_of(report)) == []
    # a template name the user never wrote (`main()` closed every pool block once)
    assert [w for w, _, code in blocks if _calls_undefined_main(code)] == []


def _calls_undefined_main(code: str) -> bool:
    tree = ast.parse(code)
    defined = any(isinstance(n, ast.FunctionDef) and n.name == "main" for n in ast.walk(tree))
    called = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "main"
                 for n in ast.walk(tree))
    return called and not defined


def test_every_block_of_the_recorded_probe_report_parses() -> None:
    report = make_report([Path("fixtures/reports/podcast_pipeline")],
                         [FIXTURES / "reports" / "probe-results.json"])
    assert any(a.measured for s in report.sections for a in s.advice)
    assert unparsable_blocks(report) == []


def test_every_block_of_the_real_code_corpus_parses() -> None:
    if not REALWORLD.is_dir():
        pytest.skip("bench/realworld/files is missing: python bench/realworld/rebuild.py recreates it")
    report = make_report([REALWORLD.relative_to(ROOT)], [])
    blocks = list(generated_code(report))
    assert len(blocks) > 50
    failures = unparsable_blocks(report) + unparsable_fixes(findings_of(report))
    summary = f"{len(failures)} of {len(blocks)} blocks do not parse:\n\n"
    assert failures == [], summary + "\n\n".join(failures)
