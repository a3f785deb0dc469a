"""`# noqa` comments, file-level suppression, and TFP901 for suppressions that suppress nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tfpar_doctor.analysis.suppress import scan_suppressions
from tfpar_doctor.check import CheckSettings, run_check
from tfpar_doctor.config import Layer
from tfpar_doctor.rules import ALL_RULES
from tfpar_doctor.selection import PerFileIgnores, select_rules

# TFP001 fires on line 6 (the sleep); the template's {noqa} lands on that line.
TEMPLATE = '''{header}import time
import tensorflow as tf


def slow(x):
    time.sleep(0.1){noqa}
    return x


ds = tf.data.Dataset.range(10).map(slow)
'''


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, noqa: str = "", header: str = "",
        settings: CheckSettings | None = None) -> list[tuple[str, int]]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pipe.py").write_text(TEMPLATE.format(noqa=noqa, header=header), encoding="utf-8")
    result = run_check([Path("pipe.py")], settings or CheckSettings())
    return [(f.code, f.location.line) for f in result.findings]


def test_unsuppressed_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(tmp_path, monkeypatch) == [("TFP001", 6)]


@pytest.mark.parametrize(
    "noqa", ["  # noqa: TFP001", "  # noqa", "  # NOQA:TFP001,TFP401", "  # noqa: F401 TFP001"]
)
def test_line_suppression(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, noqa: str) -> None:
    assert run(tmp_path, monkeypatch, noqa) == []


def test_other_code_does_not_suppress_and_is_reported_unused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # TFP101 is selected by default and suppresses nothing on that line: TFP901 at the comment.
    assert sorted(run(tmp_path, monkeypatch, "  # noqa: TFP101")) == [("TFP001", 6), ("TFP901", 6)]


def test_foreign_codes_and_bare_noqa_are_never_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = run(tmp_path, monkeypatch, header="import os  # noqa: F401\nx = 1  # noqa\n")
    assert found == [("TFP001", 8)]


def test_unknown_tfp_code_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = run(tmp_path, monkeypatch, "  # noqa: TFP001, TFP999")
    assert found == [("TFP901", 6)]


def test_codes_of_unselected_rules_are_not_judged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # TFP401 did not run (off by default), so whether it would have fired is unknown.
    assert run(tmp_path, monkeypatch, "  # noqa: TFP001, TFP401") == []


def test_unused_suppression_can_itself_be_silenced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(tmp_path, monkeypatch, "  # noqa: TFP001, TFP102, TFP901") == []


def test_tfp901_can_be_deselected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = CheckSettings(rules=select_rules([Layer(ignore=("TFP901",))]))
    assert run(tmp_path, monkeypatch, "  # noqa: TFP001, TFP102", settings=settings) == []


@pytest.mark.parametrize("header", ["# tfpar-doctor: noqa\n", "# tfpar-doctor: noqa: TFP001\n"])
def test_file_level_suppression(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: str) -> None:
    assert run(tmp_path, monkeypatch, header=header) == []


def test_unused_file_level_code_points_at_the_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = run(tmp_path, monkeypatch, header="# tfpar-doctor: noqa: TFP001, TFP005\n")
    assert found == [("TFP901", 1)]


def test_noqa_inside_a_string_is_not_a_suppression(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = run(tmp_path, monkeypatch, '; _ = "# noqa: TFP001"')
    assert found == [("TFP001", 6)]


def test_per_file_ignores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = CheckSettings(per_file_ignores=PerFileIgnores.build(tmp_path, [("pipe.py", ("TFP0",))]))
    assert run(tmp_path, monkeypatch, settings=settings) == []
    settings = CheckSettings(per_file_ignores=PerFileIgnores.build(tmp_path, [("other/*.py", ("TFP0",))]))
    assert run(tmp_path, monkeypatch, settings=settings) == [("TFP001", 6)]


def test_scanner_positions_and_codes() -> None:
    source = b'x = "# noqa"  # noqa: TFP102,F401 because\ny = 1  # noqa\n# tfpar-doctor: noqa: TFP4\n'
    scan = scan_suppressions(source, "m.py")
    assert [(s.line, s.codes, s.location.column) for s in scan.lines] == [
        (1, ("TFP102", "F401"), 15),
        (2, (), 8),
    ]
    assert scan.file == ("TFP4",) and scan.file_location is not None and scan.file_location.line == 3


def test_scanner_survives_broken_source() -> None:
    scan = scan_suppressions(b'x = 1  # noqa: TFP101\ndef f(:\n  """unterminated\n', "m.py")
    assert [s.line for s in scan.lines] == [1]
    assert scan_suppressions(b"\xff\xfe\x00garbage", "m.py").lines == []


def test_tfp901_is_documented_and_enabled() -> None:
    rule = next(r for r in ALL_RULES if r.code == "TFP901")
    assert rule.enabled_by_default


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_scanner_never_raises_on_arbitrary_bytes(source: bytes) -> None:
    scan = scan_suppressions(source, "m.py")
    assert all(s.line >= 1 for s in scan.lines)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["x = 1", "# noqa: TFP101", "s = '# noqa'", "def f():", "    pass",
                                 "# tfpar-doctor: noqa: TFP4", "y = (1,  # noqa", "     2)"]), max_size=12))
def test_every_comment_line_is_found_and_no_string_is(lines: list[str]) -> None:
    scan = scan_suppressions("\n".join(lines).encode(), "m.py")
    expected = [
        n for n, line in enumerate(lines, 1) if line.lstrip().startswith("# noqa") or line.endswith("# noqa")
    ]
    if scan.lines or expected:
        # A fragment that does not tokenize stops the scan early, never with a wrong line.
        assert [s.line for s in scan.lines] == expected[: len(scan.lines)]
