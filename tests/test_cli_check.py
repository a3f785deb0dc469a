"""`tfpar-doctor check` as users drive it: exit codes, config errors, discovery, excludes and stdin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfpar_doctor.cli import app

BAD = '''import time
import tensorflow as tf


def slow(x):
    time.sleep(0.1)
    return x


ds = tf.data.Dataset.range(10).map(slow)
'''
ADVICE_ONLY = '''import tensorflow as tf


def make(paths):
    return tf.data.Dataset.from_tensor_slices(paths).batch(8)
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.py").write_text(BAD, encoding="utf-8")
    (tmp_path / "advice.py").write_text(ADVICE_ONLY, encoding="utf-8")
    (tmp_path / "clean.py").write_text("x = 1\n", encoding="utf-8")
    return tmp_path


def check(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["check", *args], input=stdin)


def reported(result) -> list[str]:  # type: ignore[no-untyped-def]
    """`path:CODE` of each finding in concise output (`path:line:col: CODE message`)."""
    out = []
    for line in result.stdout.splitlines():
        location, sep, rest = line.partition(": ")
        if sep and location.count(":") == 2:
            out.append(f"{location.split(':')[0]}:{rest.split()[0]}")
    return out


def test_exit_codes(project: Path) -> None:
    assert check("clean.py").exit_code == 0
    assert check("bad.py").exit_code == 1
    assert check("bad.py", "--exit-zero").exit_code == 0
    assert check("missing.py").exit_code == 2
    assert check("bad.py", "--select", "NOPE").exit_code == 2


def test_advice_rules_need_selecting(project: Path) -> None:
    assert check("advice.py").exit_code == 0
    result = check("advice.py", "--select", "TFP4", "--output-format", "concise")
    assert result.exit_code == 1 and reported(result) == ["advice.py:TFP401"]
    assert check("advice.py", "--select", "ALL").exit_code == 1


def test_config_from_pyproject_and_command_line_wins(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.tfpar-doctor]\nextend-select = ["TFP401"]\nignore = ["TFP001"]\n',
                                            encoding="utf-8")
    result = check(".", "--output-format", "concise")
    assert reported(result) == ["advice.py:TFP401"]
    result = check(".", "--output-format", "concise", "--extend-select", "TFP001", "--ignore", "TFP4")
    assert reported(result) == ["bad.py:TFP001"]


def test_per_file_ignores_in_config(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.tfpar-doctor.per-file-ignores]\n"bad.py" = ["TFP0"]\n',
                                            encoding="utf-8")
    assert check(".").exit_code == 0


@pytest.mark.parametrize(("body", "key"), [
    ('select = ["TFP7"]', "select"),
    ("loop-threshold = -3", "loop-threshold"),
    ("unknown-key = 1", "unknown-key"),
])
def test_bad_config_exits_2_naming_key_and_file(project: Path, body: str, key: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.tfpar-doctor]\n{body}\n", encoding="utf-8")
    result = check(".")
    assert result.exit_code == 2
    assert key in result.stderr and "pyproject.toml" in result.stderr
    assert "Traceback" not in result.output


def test_explicit_config_file(project: Path) -> None:
    (project / "strict.toml").write_text('select = ["TFP4"]\n', encoding="utf-8")
    result = check(".", "--config", "strict.toml", "--output-format", "concise")
    assert reported(result) == ["advice.py:TFP401"]
    assert check(".", "--config", "nope.toml").exit_code == 2


def test_loop_threshold_option_reaches_the_rule(project: Path) -> None:
    (project / "loop.py").write_text(
        "import tensorflow as tf\n\n\ndef f(x):\n    for i in range(40):\n        x = x + tf.roll(x, 1, 0)\n"
        "    return x\n\n\nds = tf.data.Dataset.range(3).map(f)\n", encoding="utf-8")
    assert "loop.py:TFP004" in reported(check("loop.py", "--output-format", "concise"))
    (project / "pyproject.toml").write_text("[tool.tfpar-doctor]\nloop-threshold = 64\n", encoding="utf-8")
    assert check("loop.py").exit_code == 0


def test_gitignore_and_excludes(project: Path) -> None:
    (project / "gen").mkdir()
    (project / "gen" / "bad_generated.py").write_text(BAD, encoding="utf-8")
    (project / "build").mkdir()
    (project / "build" / "bad_build.py").write_text(BAD, encoding="utf-8")
    (project / ".gitignore").write_text("build/\n", encoding="utf-8")
    (project / ".git").mkdir()
    result = check(".", "--output-format", "concise")
    assert reported(result) == ["bad.py:TFP001", "gen/bad_generated.py:TFP001"]
    result = check(".", "--output-format", "concise", "--extend-exclude", "gen/")
    assert reported(result) == ["bad.py:TFP001"]
    result = check(".", "--output-format", "concise", "--no-respect-gitignore")
    assert "build/bad_build.py:TFP001" in reported(result)


def test_force_exclude_applies_to_explicit_files(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.tfpar-doctor]\nextend-exclude = ["bad.py"]\n',
                                            encoding="utf-8")
    assert check("bad.py").exit_code == 1  # named explicitly: checked, as ruff does
    assert check("bad.py", "--force-exclude").exit_code == 0  # what pre-commit runs
    assert check(".").exit_code == 0


def test_explicitly_named_excluded_directory_is_checked(project: Path) -> None:
    (project / "bad.py").unlink()
    (project / "fixtures").mkdir()
    (project / "fixtures" / "case.py").write_text(BAD, encoding="utf-8")
    (project / "pyproject.toml").write_text('[tool.tfpar-doctor]\nextend-exclude = ["fixtures"]\n',
                                            encoding="utf-8")
    assert check(".").exit_code == 0
    assert check("fixtures").exit_code == 1


def test_stdin_with_filename(project: Path) -> None:
    result = check("-", "--stdin-filename", "pkg/from_editor.py", "--output-format", "concise", stdin=BAD)
    assert result.exit_code == 1
    assert reported(result) == ["pkg/from_editor.py:TFP001"]
    full = check("-", "--stdin-filename", "x.py", stdin=BAD)
    assert "time.sleep(0.1)" in full.stdout  # the snippet comes from stdin, not from disk
    assert check("-", "bad.py", stdin=BAD).exit_code == 2
    alone = check("--stdin-filename", "y.py", "--output-format", "concise", stdin=BAD)
    assert reported(alone) == ["y.py:TFP001"]


def test_stdin_respects_force_exclude(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.tfpar-doctor]\nextend-exclude = ["skip_*.py"]\n',
                                            encoding="utf-8")
    assert check("-", "--stdin-filename", "skip_me.py", "--force-exclude", stdin=BAD).exit_code == 0
    assert check("-", "--stdin-filename", "skip_me.py", stdin=BAD).exit_code == 1


def test_check_never_imports_tensorflow(project: Path) -> None:
    code = (
        "import sys\n"
        "from tfpar_doctor.cli import app\n"
        "try:\n"
        "    app(['check', '.', '--select', 'ALL', '--output-format', 'sarif', '-o', 'out.sarif'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('tensorflow', 'psutil', 'gilknocker', 'matplotlib', 'numpy', 'pygls',\n"
        "                     'lsprotocol')\n"
        "         if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project,
                          timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_nested_gitignore_can_re_include(project: Path) -> None:
    (project / ".git").mkdir()
    (project / ".gitignore").write_text("*_gen.py\n", encoding="utf-8")
    sub = project / "sub"
    sub.mkdir()
    (sub / ".gitignore").write_text("!keep_gen.py\n", encoding="utf-8")
    for name in ("keep_gen.py", "drop_gen.py", "top_gen.py"):
        (sub if name != "top_gen.py" else project).joinpath(name).write_text(BAD, encoding="utf-8")
    result = check(".", "--output-format", "concise")
    assert reported(result) == ["bad.py:TFP001", "sub/keep_gen.py:TFP001"]


def test_watch_rechecks_on_change_and_ends_on_ctrl_c(project: Path) -> None:
    import os
    import signal
    import time

    def wait_for(stream, text: str) -> str:  # type: ignore[no-untyped-def]
        seen = ""
        deadline = time.monotonic() + 120
        while text not in seen:
            assert time.monotonic() < deadline, f"no {text!r} in {seen!r}"
            line = stream.readline()
            assert line, f"the watch ended early: {seen!r}"
            seen += line
        return seen

    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    watch = subprocess.Popen(
        [sys.executable, "-m", "tfpar_doctor", "check", "--watch", "--output-format", "concise", "bad.py"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        # a test run started in the background of a non-interactive shell inherits SIGINT ignored, and so
        # would the watch: give it the default disposition a terminal gives
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        first = wait_for(watch.stdout, "Watching for file changes")
        assert "bad.py:6:5: TFP001" in first and "Found 1 finding." in first
        (project / "bad.py").write_text(BAD.replace("time.sleep(0.1)", "pass"), encoding="utf-8")
        second = wait_for(watch.stdout, "Watching for file changes")
        assert "All checks passed!" in second and "TFP001" not in second
        watch.send_signal(signal.SIGINT)
        assert watch.wait(timeout=60) == 0
    finally:
        if watch.poll() is None:
            watch.kill()
            watch.wait()
