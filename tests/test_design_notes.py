"""The repository speaks in its own words: no file of it names the team's design notes, which are not in
the repository. A reader of the code, the benchmarks or the fixtures finds the facts they rely on in
`docs/` (how-check-decides.md, how-probe-measures.md, ...) or in the rules' own documentation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The notes by name and by folder. test_report.py checks the rendered reports against the same names.
DESIGN_NOTES: tuple[str, ...] = (
    "TFDATA_FACTS", "REAL_WORLD_PATTERNS", "RULES.md", "ARCHITECTURE", "STYLE.md", "CLI.md",
    "shared/design/", "shared/knowledge/", "shared/seed/",
)
# Their short names in prose ("RULES says", "from RULES + FACTS"); `ALL_RULES` and `RULES_BY_CODE` are
# code, and `\b` does not split an identifier at `_`.
_SHORT_NAMES = re.compile(r"\bRULES\b|\bFACTS\b")

_CHECKED = ("src", "tests", "bench", "docs", "fixtures", "README.md")
# Third-party code the real-code corpus extracts (gitignored; not ours to edit), and this file, which has
# to name what it forbids.
_SKIPPED = (ROOT / "bench" / "realworld" / "files", Path(__file__).resolve())


def _text_files() -> Iterator[Path]:
    for name in _CHECKED:
        top = ROOT / name
        paths = [top] if top.is_file() else sorted(top.rglob("*"))
        for path in paths:
            relative = path.relative_to(ROOT)
            if not path.is_file() or any(p.startswith(".") or p == "__pycache__" for p in relative.parts):
                continue
            if any(path == skipped or skipped in path.parents for skipped in _SKIPPED):
                continue
            yield path


def _citations(text: str) -> list[str]:
    found = [name for name in DESIGN_NOTES if name in text]
    return found + _SHORT_NAMES.findall(text)


def test_no_file_cites_the_design_notes() -> None:
    cited: dict[str, list[str]] = {}
    for path in _text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images, pickles
        names = _citations(text)
        if names:
            cited[str(path.relative_to(ROOT))] = sorted(set(names))
    assert cited == {}, "cite docs/ or state the fact instead of naming the design notes"


def test_the_guard_sees_each_form() -> None:
    """Each way the notes were cited before they were replaced is caught, and code that only looks alike is
    not: the test above can fail, and fails only on citations."""
    for cited in ("inputs were `shared/knowledge/TFDATA_FACTS.md`",
                  "(RULES.md: \"Where it cannot decide\")",
                  "Styles follow REAL_WORLD_PATTERNS:",
                  "from RULES + FACTS):",
                  "RULES' receiver list"):
        assert _citations(cited), cited
    for clean in ("from tfpar_doctor.rules import ALL_RULES, RULES_BY_CODE",
                  "the rule catalogue (docs/how-check-decides.md, reading 2)"):
        assert _citations(clean) == [], clean
    assert (ROOT / "bench" / "accuracy" / "LABELING.md") in set(_text_files())
