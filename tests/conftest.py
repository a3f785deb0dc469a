from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tfpar_doctor.check import CheckSettings, run_check
from tfpar_doctor.rules import ALL_RULES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# The fixture trees the check-path tests run `check .` in: every per-rule fixture, then each project.
TREES = [FIXTURES / "rules", *sorted(p for p in (FIXTURES / "projects").iterdir() if p.is_dir())]
EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")
# The default run draws a quarter of each property test's examples, enough to catch a crash on the
# common shapes in a few seconds; TFPAR_LONG_PROPERTIES=1 draws all of them (the long run, before a release).
LONG_PROPERTIES = os.environ.get("TFPAR_LONG_PROPERTIES") == "1"


def examples(full: int) -> int:
    """How many examples a property test draws: `full` in the long run, a quarter (at least 5) by default."""
    return full if LONG_PROPERTIES else max(5, full // 4)


def expected_findings(path: Path) -> set[tuple[str, int]]:
    """(code, line) pairs from `# expect: TFP101, TFP102` comments."""
    found: set[tuple[str, int]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        match = EXPECT.search(line)
        if match:
            for code in match.group(1).replace(" ", "").split(","):
                if code:
                    found.add((code, number))
    return found


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


# A finding as the check-path tests compare them: code, path, line, column, message.
Row = tuple[str, str, int, int, str]


def findings_in(base: Path, settings: CheckSettings) -> list[Row]:
    """The findings of `check .` run in `base` with `settings`, in their reported order."""
    cwd = os.getcwd()
    os.chdir(base)
    try:
        result = run_check([Path(".")], settings)
    finally:
        os.chdir(cwd)
    return [(f.code, f.location.path, f.location.line, f.location.column, f.message) for f in result.findings]


@pytest.fixture(scope="session")
def baseline_findings() -> Callable[[Path], list[Row]]:
    """The reference run of a fixture tree: every rule, one job, the prefilter on, no cache.

    test_jobs (other job counts), test_cache (cold and warm cache) and test_prefilter (prefilter off) each
    compare their variant with exactly this run; it is computed once per tree for the whole session instead
    of once in each of them (the rules tree alone takes seconds)."""
    computed: dict[Path, list[Row]] = {}

    def baseline(tree: Path) -> list[Row]:
        if tree not in computed:
            computed[tree] = findings_in(tree, CheckSettings(rules=ALL_RULES, jobs=1))
        return computed[tree]

    return baseline
