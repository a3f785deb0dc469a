"""The probe corpora stay as labelled: a label is keyed by line, so an edit that shifts a labelled file (an
import-sorting autofix did, once) silently compares a label with the neighbouring site."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "bench" / "probe_corpus"
FIXTURES = ROOT / "fixtures" / "probe"
SITE_CALL = re.compile(r"\.(map|filter|flat_map|interleave)\(|from_generator\(")


def _corpus_labels() -> list[tuple[Path, int]]:
    labels = json.loads((CORPUS / "labels.json").read_text())
    return [(CORPUS / name, int(line)) for name, lines in labels.items() for line in lines]


def _fixture_labels() -> list[tuple[Path, int]]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from probe_accuracy import EXPECTED
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return [(FIXTURES / name, line) for name, lines in EXPECTED.items() for line in lines]


@pytest.mark.parametrize(("path", "line"), _corpus_labels() + _fixture_labels(),
                         ids=lambda v: v.name if isinstance(v, Path) else str(v))
def test_every_label_is_on_a_call_site(path: Path, line: int) -> None:
    text = path.read_text().splitlines()[line - 1]
    assert SITE_CALL.search(text), f"{path.name}:{line} is labelled but holds no call site: {text!r}"


def test_the_corpora_are_labelled() -> None:
    assert len(_corpus_labels()) >= 38 and len(_fixture_labels()) >= 10


def test_the_blind_corpus_is_frozen() -> None:
    """bench/probe_corpus was written and labelled blind: its pipelines are data, never edited (not even by a
    formatter). frozen.sha256 pins them; a deliberate relabelling updates both together."""
    # sha256sum lines: "<digest>  <name>"
    pinned: dict[str, str] = {}
    for line in (CORPUS / "frozen.sha256").read_text().splitlines():
        digest, name = line.split()
        pinned[name] = digest
    on_disk = sorted(p.name for p in CORPUS.glob("*.py") if re.match(r"p\d\d_|_helpers_", p.name))
    assert sorted(pinned) == on_disk
    changed = [name for name, digest in pinned.items()
               if hashlib.sha256((CORPUS / name).read_bytes()).hexdigest() != digest]
    assert not changed, f"blind corpus files changed: {changed}"
