from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
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
