"""`--fix` / `--diff` / `--unsafe-fixes`: only Finding.fix edits, safe ones unless asked, idempotent,
re-parsed, atomic, never on a broken file."""

from __future__ import annotations

import ast
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfpar_doctor.cli import app
from tfpar_doctor.fix import apply_edits, plan_fixes, withheld, write_atomically
from tfpar_doctor.model import Applicability, Edit, Finding, Fix, Location, Severity

SOURCE = '''import tensorflow as tf


def augment(image):
    return tf.image.random_flip_left_right(image)


ds = tf.data.Dataset.from_tensor_slices([[1.0]]).map(augment)
ds2 = ds.map(
    augment,
)
ds3 = ds.map(augment)  # a comment that must survive
ds4 = ds.map(augment, num_parallel_calls=1)
'''
AUTOTUNE = ", num_parallel_calls=tf.data.AUTOTUNE"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "pipe.py"
    path.write_text(SOURCE, encoding="utf-8")
    return path


def invoke(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["check", *args], input=stdin)


def test_adding_parallelism_to_a_stateful_map_is_an_unsafe_fix_everywhere(project: Path) -> None:
    import json

    findings = json.loads(invoke("pipe.py", "--output-format", "json").stdout)
    fixes = [f["fix"] for f in findings if f["fix"] is not None]
    assert len(fixes) == 3 and {fix["applicability"] for fix in fixes} == {"unsafe"}
    sarif = json.loads(invoke("pipe.py", "--output-format", "sarif").stdout)["runs"][0]["results"]
    assert [r["fixes"][0]["properties"]["applicability"] for r in sarif if "fixes" in r] == ["unsafe"] * 3
    full = invoke("pipe.py").stdout
    assert full.count("fix available (unsafe)") == 3 and "(run with --fix --unsafe-fixes)" in full
    assert "Found 4 findings (3 fixable with --fix --unsafe-fixes)." in full


def test_plain_fix_applies_no_unsafe_fix_and_says_so(project: Path) -> None:
    result = invoke("pipe.py", "--fix", "--output-format", "concise")
    assert result.exit_code == 1
    assert project.read_text(encoding="utf-8") == SOURCE
    assert "Fixed 0 findings. 3 unsafe fixes not applied (use --unsafe-fixes)." in result.stderr
    diff = invoke("pipe.py", "--diff")
    assert diff.stdout == "" and "Would fix 0 findings. 3 unsafe fixes not applied" in diff.stderr


def test_diff_shows_the_edits_and_changes_nothing(project: Path) -> None:
    result = invoke("pipe.py", "--diff", "--unsafe-fixes")
    assert result.exit_code == 1
    assert project.read_text(encoding="utf-8") == SOURCE
    added = [line for line in result.stdout.splitlines()
             if line.startswith("+") and not line.startswith("+++")]
    assert len(added) == 3 and all("num_parallel_calls=tf.data.AUTOTUNE" in line for line in added)
    assert "Would fix 3 findings." in result.stderr


def test_safe_fixes_apply_without_unsafe_ones(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("x = foo(1)\ny = foo(2)\n", encoding="utf-8")
    safe = _finding(str(path), Edit(1, 10, 1, 10, ", 2"), Applicability.SAFE)
    unsafe = _finding(str(path), Edit(2, 10, 2, 10, ", 3"))
    (plan,) = plan_fixes([safe, unsafe])
    assert plan.fixed == "x = foo(1, 2)\ny = foo(2)\n" and plan.applied == [safe]
    assert withheld([safe, unsafe], unsafe=False) == 1 and withheld([safe, unsafe], unsafe=True) == 0
    (both,) = plan_fixes([safe, unsafe], unsafe=True)
    assert both.fixed == "x = foo(1, 2)\ny = foo(2, 3)\n"


def test_fix_touches_only_the_edited_calls_and_is_idempotent(project: Path) -> None:
    result = invoke("pipe.py", "--fix", "--unsafe-fixes", "--output-format", "concise")
    # The one finding left is num_parallel_calls=1 (line 13): it has no fix, it is advice.
    assert result.exit_code == 1
    assert [line.split(":")[1] for line in result.stdout.splitlines() if "TFP105" in line] == ["13"]
    assert "Fixed 3 findings." in result.stderr
    fixed = project.read_text(encoding="utf-8")
    ast.parse(fixed)
    before, after = SOURCE.splitlines(), fixed.splitlines()
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 3
    for old, new in changed:
        # The only difference is the inserted keyword; comments and layout stay.
        assert new.replace(AUTOTUNE, "", 1) == old
    # num_parallel_calls=1 is a finding without a fix: advice, not an edit.
    assert "ds4 = ds.map(augment, num_parallel_calls=1)" in fixed
    assert invoke("pipe.py", "--fix", "--unsafe-fixes").exit_code == 1
    assert project.read_text(encoding="utf-8") == fixed
    assert invoke("pipe.py", "--diff", "--unsafe-fixes").stdout == ""
    assert not [p for p in project.parent.iterdir() if p.name.endswith(".tfpar-fix")]


def test_fix_keeps_permissions(project: Path) -> None:
    project.chmod(0o640)
    assert invoke("pipe.py", "--fix", "--unsafe-fixes").exit_code == 1
    assert AUTOTUNE in project.read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(project).st_mode) == 0o640


def _finding(path: str, edit: Edit, applicability: Applicability = Applicability.UNSAFE) -> Finding:
    return Finding("TFP105", "sequential-stateful-map", "m", Location(path, edit.line, 1, edit.line, 1),
                   Severity.WARNING, fix=Fix("add", (edit,), applicability))


def test_file_with_a_syntax_error_is_never_fixed(tmp_path: Path) -> None:
    path = tmp_path / "broken.py"
    text = "x = foo(1\n"
    path.write_text(text, encoding="utf-8")
    plans = plan_fixes([_finding(str(path), Edit(1, 10, 1, 10, ", 2"))], unsafe=True)
    assert not plans[0].changed and plans[0].skipped[0][1] == "the file does not parse"


def test_an_edit_that_would_break_the_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "ok.py"
    path.write_text("x = foo(1)\n", encoding="utf-8")
    bad = _finding(str(path), Edit(1, 9, 1, 9, ",,"))
    good = _finding(str(path), Edit(1, 10, 1, 10, ", 2"))
    plan = plan_fixes([bad, good], unsafe=True)[0]
    assert plan.fixed == "x = foo(1, 2)\n"
    assert [why for _, why in plan.skipped] == ["the result would not parse"]


def test_overlapping_edits_keep_the_first() -> None:
    text = "x = foo(1)\n"
    first = _finding("m.py", Edit(1, 10, 1, 10, ", 2"))
    second = _finding("m.py", Edit(1, 10, 1, 10, ", 3"))
    plan = plan_fixes([first, second], {"m.py": text}, unsafe=True)[0]
    assert plan.fixed == "x = foo(1, 2)\n" and len(plan.skipped) == 1


def test_apply_edits_is_positional_and_keeps_crlf() -> None:
    text = "a = f(1)\r\nb = f(2)\r\n"
    out = apply_edits(text, [Edit(2, 8, 2, 8, ", k=1"), Edit(1, 5, 1, 6, "g")])
    assert out == "a = g(1)\r\nb = f(2, k=1)\r\n"


def test_write_atomically_replaces_in_one_step(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("old\n", encoding="utf-8")
    write_atomically(str(path), "new\n")
    assert path.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["m.py"]


def test_fix_refuses_stdin(project: Path) -> None:
    result = CliRunner().invoke(app, ["check", "-", "--stdin-filename", "pipe.py", "--fix"], input=SOURCE)
    assert result.exit_code == 2


def test_edits_outside_the_file_are_skipped() -> None:
    text = "x = foo(1)\n"
    beyond = _finding("m.py", Edit(3, 1, 3, 1, "y"))
    wide = _finding("m.py", Edit(1, 40, 1, 40, "y"))
    plan = plan_fixes([beyond, wide], {"m.py": text}, unsafe=True)[0]
    assert not plan.changed
    assert [why for _, why in plan.skipped] == ["the file changed since it was checked"] * 2


NOQA_SOURCE = '''import random
import time

import tensorflow as tf


def slow(x):
    time.sleep(0.1)  # noqa: E501
    print("x")
    return x


def noisy(x):
    return x + random.random()


TEXT = """a string
that spans lines"""
ds = tf.data.Dataset.range(3).map(slow).map(noisy)
'''


def test_add_noqa_merges_writes_atomically_and_then_check_is_clean(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "pipe.py"
    path.write_text(NOQA_SOURCE, encoding="utf-8")
    before = invoke("pipe.py", "--output-format", "concise")
    assert before.exit_code == 1
    reported = {int(line.split(":")[1]) for line in before.stdout.splitlines() if line.startswith("pipe.py:")}
    assert {8, 14} <= reported  # (the print on line 9 too, depending on how TFP001 groups a function)
    result = invoke("pipe.py", "--add-noqa")
    assert result.exit_code == 0, result.output
    assert "Added noqa comments" in result.stderr
    text = path.read_text(encoding="utf-8")
    ast.parse(text)
    lines = text.splitlines()
    assert lines[7] == "    time.sleep(0.1)  # noqa: E501, TFP001"  # merged into the existing comment
    assert lines[13] == "    return x + random.random()  # noqa: TFP002"
    assert "that spans lines\"\"\"" in text  # nothing written inside the string
    assert invoke("pipe.py").exit_code == 0
    # Running it again changes nothing.
    assert invoke("pipe.py", "--add-noqa").exit_code == 0
    assert path.read_text(encoding="utf-8") == text
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tfpar-fix")]


def test_add_noqa_with_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "pipe.py"
    path.write_text(NOQA_SOURCE, encoding="utf-8")
    assert invoke("pipe.py", "--add-noqa=measured: fine for this dataset").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "    return x + random.random()  # noqa: TFP002 -- measured: fine for this dataset" in text
    # Merged into the existing noqa comment, with the reason after the codes.
    assert "    time.sleep(0.1)  # noqa: E501, TFP001 -- measured: fine for this dataset" in text
    assert invoke("pipe.py").exit_code == 0
    assert invoke("-", "--stdin-filename", "pipe.py", "--add-noqa", stdin=NOQA_SOURCE).exit_code == 2


def test_add_noqa_skips_a_line_that_cannot_take_a_comment(tmp_path: Path) -> None:
    from tfpar_doctor.fix import plan_noqa

    text = 'x = f(1, \\\n      2)\ny = """a\nb"""\n'
    findings = [Finding(code, "n", "m", Location("m.py", line, 1, line, 2), Severity.WARNING)
                for code, line in (("TFP001", 1), ("TFP002", 3), ("TFP005", 4))]
    (plan,) = plan_noqa(findings, sources={"m.py": text})
    assert [why for _, why in plan.skipped] == ["the line cannot end in a comment"] * 2
    assert plan.fixed == 'x = f(1, \\\n      2)\ny = """a\nb"""  # noqa: TFP005\n'
