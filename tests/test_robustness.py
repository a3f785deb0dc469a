"""`check` never falls over: every awkward file and every bad input gets a clear message and the right
exit code (0 clean, 1 findings, 2 usage/config/internal error), never a traceback or a hang.

Files that should be analysed carry a tf.data pipeline (`PIPELINE`), so that the prefilter passes them
and a real finding (TFP002 at line 6) shows that the file was parsed and its lines counted right.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfpar_doctor import check as check_module
from tfpar_doctor.check import MAX_FILE_BYTES, CheckSettings, check_files, run_check
from tfpar_doctor.cli import app, main
from tfpar_doctor.rules import ALL_RULES

PIPELINE = """import random
import tensorflow as tf


def augment(x):
    return x + random.random()


ds = tf.data.Dataset.range(8).map(augment)
"""
FINDING_LINE = 6  # `random.random()` inside the traced `augment`: TFP002
# Python 2 in a file that mentions a tf.data site, so the prefilter hands it to the parser.
PY2 = "import tensorflow as tf\nprint 'x'\nds = tf.data.Dataset.range(3).map(abs)\n"


def run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["check", *args], input=stdin)


def concise(*args: str) -> tuple[int, dict[str, list[str]], str]:
    """Exit code, {file name: ["CODE:line message", ...]} and stderr of a concise run."""
    result = run("--output-format", "concise", *args)
    by_file: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        location, sep, rest = line.partition(": ")
        if sep and location.count(":") == 2:
            path, lineno, _ = location.split(":")
            by_file.setdefault(Path(path).name, []).append(f"{rest.split()[0]}:{lineno} {rest}")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, by_file, result.stderr


def codes(entries: list[str]) -> list[str]:
    return [entry.split(":")[0] for entry in entries]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---------------------------------------------------------------------------- files that must parse


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bom.py", b"\xef\xbb\xbf" + PIPELINE.encode()),
        ("crlf.py", PIPELINE.replace("\n", "\r\n").encode()),
        ("cr_only.py", PIPELINE.replace("\n", "\r").encode()),
        # Form feeds between top-level statements (PEP 8 allows them); a line-breaking character for
        # str.splitlines, not for Python: the snippet must still show line 6.
        ("formfeed.py", PIPELINE.replace("\n\n\ndef", "\n\x0c\n\ndef").encode()),
        ("latin1_cookie.py", b"# -*- coding: latin-1 -*-\n" + PIPELINE.replace(
            "import random\n", "import random  # caf\xe9\n").encode("latin-1")),
        ("unicode_separators.py", PIPELINE.replace(
            "import random\n", "import random  # a\u2028b\x0bc\x1cd\x85e\n").encode()),
        # Newer grammar (PEP 695, Python 3.12) parses whatever Python runs the checker: libcst's own.
        ("pep695.py", (PIPELINE + "type Pair = tuple[int, int]\n\n\ndef first[T](x: list[T]) -> T:\n"
                       "    return x[0]\n").encode()),
    ],
)
def test_odd_but_valid_files_are_analysed(workdir: Path, name: str, data: bytes) -> None:
    file = workdir / name
    file.write_bytes(data)
    lines = 7 if name == "latin1_cookie.py" else FINDING_LINE
    exit_code, found, _ = concise(name)
    assert exit_code == 1
    assert codes(found[name]) == ["TFP002"]
    assert found[name][0].startswith(f"TFP002:{lines}")
    full = run(name)
    shown = [line for line in full.stdout.splitlines() if line.lstrip().startswith(f"{lines} |")]
    assert shown and "random.random()" in shown[0], full.stdout


def test_empty_and_comment_only_files_are_clean(workdir: Path) -> None:
    (workdir / "empty.py").write_bytes(b"")
    (workdir / "bom_only.py").write_bytes(b"\xef\xbb\xbf")
    (workdir / "comments.py").write_text("# tf.data.Dataset.map(\n", encoding="utf-8")
    (workdir / "stub.pyi").write_text("import tensorflow as tf\ndef f(ds: tf.data.Dataset) -> None: ...\n")
    assert concise(".")[:2] == (0, {})


def test_files_that_are_not_python_text_at_all_do_not_crash(workdir: Path) -> None:
    # No tf.data token is readable in these bytes, so the prefilter may skip them (no finding) or
    # the parser may reject them (TFP900); either way the run ends normally.
    (workdir / "utf16.py").write_bytes(PIPELINE.encode("utf-16"))
    (workdir / "random_bytes.py").write_bytes(bytes((i * 7919) % 256 for i in range(4096)))
    (workdir / "elf.py").write_bytes(Path(sys.executable).resolve().read_bytes()[:65536])
    exit_code, found, stderr = concise(".")
    assert exit_code in (0, 1) and "internal error" not in stderr
    assert all(codes(entries) == ["TFP900"] for entries in found.values()), found
    assert run(".").exit_code == exit_code  # the full format, with snippets of binary files


# ---------------------------------------------------------------------------- files that cannot be analysed


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "py2.py",
            ("import tensorflow as tf\nprint 'hi'\n" + PIPELINE).encode(),
            "cannot parse: Missing parentheses",
        ),
        # latin-1 byte without a coding cookie: on line 1-2 tokenize's detect_encoding raises
        # SyntaxError, later UnicodeDecodeError; both are "cannot decode".
        ("latin1_early.py", b"# caf\xe9\n" + PIPELINE.encode(), "cannot decode"),
        ("latin1_late.py", PIPELINE.encode() + b"# caf\xe9\n", "cannot decode"),
        ("unknown_cookie.py", b"# -*- coding: klingon -*-\n" + PIPELINE.encode(), "cannot decode"),
        ("bom_vs_cookie.py", b"\xef\xbb\xbf# coding: latin-1\n" + PIPELINE.encode(), "cannot decode"),
        ("nul.py", PIPELINE.encode() + b"x = 1\x00\n", "cannot parse"),
        ("binary.py", PIPELINE.encode() + bytes(range(256)) * 4, "cannot"),
    ],
)
def test_bad_files_become_tfp900_findings(workdir: Path, name: str, data: bytes, message: str) -> None:
    (workdir / name).write_bytes(data)
    exit_code, found, stderr = concise(name)
    assert exit_code == 1, stderr
    assert codes(found.get(name, [])) == ["TFP900"], found
    assert message in found[name][0]
    # The full format prints a source snippet of the bad file: it must not fail either.
    assert run(name).exit_code == 1


def test_a_file_too_large_to_analyse_is_a_finding_not_hours_of_parsing(workdir: Path) -> None:
    padding = "# " + "x" * 97 + "\n"
    body = PIPELINE + padding * (MAX_FILE_BYTES // len(padding) + 1)
    (workdir / "huge.py").write_text(body, encoding="utf-8")
    exit_code, found, _ = concise("huge.py")
    assert exit_code == 1
    assert codes(found["huge.py"]) == ["TFP900"]
    assert (
        f"file too large to analyse ({len(body.encode())} bytes > {MAX_FILE_BYTES} bytes)"
        in found["huge.py"][0]
    )
    # The same limit for source read from standard input.
    result = run("--output-format", "concise", "-", "--stdin-filename", "huge.py", stdin=body)
    assert result.exit_code == 1 and "file too large to analyse" in result.stdout


def test_deep_nesting_does_not_crash(workdir: Path) -> None:
    # 3000 chained additions nest 3000 levels deep in the syntax tree; parentheses nest 150 deep
    # (CPython itself refuses more than 200).
    chain = "x = " + " + ".join(["'a'"] * 3000) + "\n"
    parens = "y = " + "(" * 150 + "1" + ")" * 150 + "\n"
    (workdir / "deep.py").write_text(PIPELINE + chain + parens, encoding="utf-8")
    exit_code, found, stderr = concise("deep.py")
    assert exit_code == 1, stderr
    # Either analysed (the TFP002 is found) or honestly reported as too deep for the analyser.
    assert codes(found["deep.py"]) in (["TFP002"], ["TFP900"])
    assert "internal error" not in stderr


def test_nesting_that_overflowed_the_native_parser_is_a_finding_not_a_segfault(workdir: Path) -> None:
    # libcst's Rust parser recursed past the C stack on these (exit 139, the whole run lost). In a
    # subprocess, because a regression would kill the test process itself.
    pipeline = "import tensorflow as tf\nds = tf.data.Dataset.range(3).map(abs)\n"
    (workdir / "brackets.py").write_text(pipeline + "x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    (workdir / "or_chain.py").write_text(
        pipeline + "x = " + " or ".join(["a"] * 20000) + "\n", encoding="utf-8"
    )
    (workdir / "calls.py").write_text(pipeline + "x = f" + "()" * 20000 + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "tfpar_doctor", "check", "--output-format", "concise", "."],
                          cwd=workdir, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    lines = sorted(line for line in done.stdout.splitlines() if "TFP900" in line)
    assert [line.split(":")[0] for line in lines] == ["brackets.py", "calls.py", "or_chain.py"]
    assert "too many nested parentheses" in lines[0]
    assert all("nest" in line for line in lines)


# ---------------------------------------------------------------------------- unreadable things


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads files whatever their mode (CI runs as root)")
def test_unreadable_file(workdir: Path) -> None:
    locked = workdir / "locked.py"
    locked.write_text(PIPELINE, encoding="utf-8")
    locked.chmod(0)
    try:
        exit_code, found, _ = concise(".")
    finally:
        locked.chmod(0o644)
    assert exit_code == 1
    assert found["locked.py"][0].startswith("TFP900:1") and "cannot read the file" in found["locked.py"][0]


def test_dangling_symlink_and_symlink_loops(workdir: Path) -> None:
    (workdir / "good.py").write_text(PIPELINE, encoding="utf-8")
    (workdir / "dangling.py").symlink_to(workdir / "gone.py")
    (workdir / "loop_a.py").symlink_to(workdir / "loop_b.py")
    (workdir / "loop_b.py").symlink_to(workdir / "loop_a.py")
    (workdir / "pkg").mkdir()
    (workdir / "pkg" / "up").symlink_to(workdir, target_is_directory=True)  # a directory cycle
    exit_code, found, stderr = concise(".")
    assert exit_code == 1, stderr
    assert codes(found["good.py"]) == ["TFP002"]
    for name in ("dangling.py", "loop_a.py", "loop_b.py"):
        assert codes(found[name]) == ["TFP900"] and "cannot read the file" in found[name][0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_named_like_python_is_skipped_not_waited_on(workdir: Path) -> None:
    (workdir / "good.py").write_text(PIPELINE, encoding="utf-8")
    os.mkfifo(workdir / "pipe.py")
    # A subprocess with a timeout: a regression here would block forever opening the FIFO.
    done = subprocess.run([sys.executable, "-m", "tfpar_doctor", "check", "--no-cache", "."],
                          cwd=workdir, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    assert "good.py" in done.stdout and "pipe.py" not in done.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs file names that are arbitrary bytes")
def test_a_file_name_that_is_not_utf8(workdir: Path) -> None:
    # Python hands such a name over with surrogate escapes (PEP 383); a strict UTF-8 stdout (the test
    # runner's, and any en_US.UTF-8 terminal's) refused to print it.
    (workdir / os.fsdecode(b"caf\xe9.py")).write_text(PIPELINE, encoding="utf-8")
    for output_format in ("full", "concise", "json"):
        result = run("--output-format", output_format, ".")
        assert result.exit_code == 1, (output_format, result.stderr)
        # JSON escapes the lone surrogate (valid JSON); the text formats print the original bytes.
        assert (b"caf\\udce9.py" if output_format == "json" else b"caf\xe9.py") in result.stdout_bytes
    assert run("-o", "report.txt", ".").exit_code == 1
    assert b"caf\xe9.py:6:" in (workdir / "report.txt").read_bytes()


def test_a_directory_named_like_a_python_file(workdir: Path) -> None:
    (workdir / "weird.py").mkdir()
    (workdir / "weird.py" / "inner.py").write_text(PIPELINE, encoding="utf-8")
    exit_code, found, _ = concise("weird.py")
    assert exit_code == 1 and codes(found["inner.py"]) == ["TFP002"]


# ---------------------------------------------------------------------------- bad command lines


def test_path_that_does_not_exist_exits_2_naming_it(workdir: Path) -> None:
    (workdir / "good.py").write_text(PIPELINE, encoding="utf-8")
    result = run("good.py", "no/such/dir")
    assert result.exit_code == 2
    assert "no such file or directory: no/such/dir" in result.stderr
    assert result.stdout == ""


def test_empty_directory_exits_0_with_a_note(workdir: Path) -> None:
    (workdir / "empty").mkdir()
    result = run("empty")
    assert result.exit_code == 0
    assert "no Python files" in result.stderr


def test_broken_pyproject_exits_2_naming_the_file(workdir: Path) -> None:
    (workdir / "good.py").write_text(PIPELINE, encoding="utf-8")
    (workdir / "pyproject.toml").write_text('[tool.tfpar-doctor]\nselect = ["TFP1\n', encoding="utf-8")
    result = run("good.py")
    assert result.exit_code == 2
    assert "pyproject.toml" in result.stderr and "invalid TOML" in result.stderr
    assert result.stdout == ""


# ----------------------------------------------------------------------- one bad file, the rest still checked


def test_one_bad_file_never_stops_the_others(workdir: Path) -> None:
    (workdir / "a_good.py").write_text(PIPELINE, encoding="utf-8")
    (workdir / "b_py2.py").write_text(PY2, encoding="utf-8")
    (workdir / "c_binary.py").write_bytes(b"tf.data.Dataset.map(" + bytes(range(256)))
    (workdir / "d_dangling.py").symlink_to(workdir / "nowhere.py")
    (workdir / "e_good.py").write_text(PIPELINE, encoding="utf-8")
    exit_code, found, _ = concise(".")
    assert exit_code == 1
    assert {name: codes(entries) for name, entries in found.items()} == {
        "a_good.py": ["TFP002"], "b_py2.py": ["TFP900"], "c_binary.py": ["TFP900"],
        "d_dangling.py": ["TFP900"], "e_good.py": ["TFP002"],
    }


# ---------------------------------------------------------------------------- our own bugs are contained


def _serial() -> CheckSettings:
    """In-process settings whose monkeypatches reach the analysis (no worker processes, no cache)."""
    settings = CheckSettings()
    for name, value in (("jobs", 1), ("cache_dir", None)):
        if hasattr(settings, name):
            setattr(settings, name, value)
    return settings


def test_a_crash_while_extracting_one_file_is_contained(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "good.py").write_text(PIPELINE, encoding="utf-8")
    (workdir / "cursed.py").write_text(PIPELINE.replace("augment", "cursed_fn"), encoding="utf-8")
    from tfpar_doctor.analysis import extract as extract_module

    real_extract = extract_module.extract

    def extract(source: bytes, path: str, module: str, package: str):  # type: ignore[no-untyped-def]
        if "cursed" in path:
            raise KeyError("boom")
        return real_extract(source, path, module, package)

    monkeypatch.setattr(extract_module, "extract", extract)
    result = check_files([Path("good.py"), Path("cursed.py")], _serial())
    assert sorted((f.code, f.location.path) for f in result.findings) == [
        ("TFP002", "good.py"),
        ("TFP900", "cursed.py"),
    ]
    cursed = next(f for f in result.findings if f.location.path == "cursed.py")
    assert cursed.message.startswith("internal error while analysing this file: KeyError: 'boom'")
    assert len(result.internal_errors) == 1 and result.internal_errors[0].startswith("cursed.py: ")


def test_a_crashing_rule_does_not_hide_the_other_rules(workdir: Path) -> None:
    (workdir / "good.py").write_text(PIPELINE, encoding="utf-8")
    (workdir / "py2.py").write_text(PY2, encoding="utf-8")

    def explode(ctx):  # type: ignore[no-untyped-def]
        yield from ()
        raise ZeroDivisionError("rule bug")

    broken = next(r for r in ALL_RULES if r.code == "TFP101")
    settings = _serial()
    settings.rules = (*settings.rules, dataclasses.replace(broken, code="TFP999", check=explode))
    result = check_files([Path("good.py"), Path("py2.py")], settings)
    assert sorted(f.code for f in result.findings) == ["TFP002", "TFP900"]
    assert len(result.internal_errors) == 1
    assert result.internal_errors[0].startswith(
        "rule TFP999 failed: ZeroDivisionError: rule bug (test_robustness.py:"
    )


def test_cli_reports_internal_errors_with_exit_2_and_keeps_the_findings(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "good.py").write_text(PIPELINE, encoding="utf-8")
    real = check_module.run_check

    def run_check(paths, settings):  # type: ignore[no-untyped-def]
        result = real(paths, settings)
        result.internal_errors.append("rule TFP999 failed: ZeroDivisionError: rule bug (x.py:1)")
        return result

    monkeypatch.setattr(check_module, "run_check", run_check)
    result = run("--output-format", "concise", "good.py")
    assert result.exit_code == 2
    assert "good.py:6:" in result.stdout  # the findings that were found are still printed
    assert "tfpar-doctor: internal error: rule TFP999 failed: ZeroDivisionError" in result.stderr
    assert "please report" in result.stderr
    # --exit-zero silences findings, never errors.
    assert run("--exit-zero", "good.py").exit_code == 2


def test_an_unexpected_exception_is_a_message_and_exit_2_not_a_traceback(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "good.py").write_text(PIPELINE, encoding="utf-8")

    def run_check(paths, settings):  # type: ignore[no-untyped-def]
        raise RuntimeError("something we did not foresee")

    monkeypatch.setattr(check_module, "run_check", run_check)
    monkeypatch.setattr(sys, "argv", ["tfpar-doctor", "check", "--no-cache", "good.py"])
    monkeypatch.delenv("TFPAR_DOCTOR_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert (
        "tfpar-doctor: internal error: RuntimeError: something we did not foresee (test_robustness.py:" in err
    )
    assert "Traceback" not in err


def test_run_check_on_a_mixed_tree_in_process(workdir: Path) -> None:
    """The library entry point, as the pre-commit hook and bench/check_corpus.py use it."""
    (workdir / "pkg").mkdir()
    (workdir / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (workdir / "pkg" / "good.py").write_text(PIPELINE, encoding="utf-8")
    (workdir / "pkg" / "bad.py").write_bytes(PY2.encode() + b"\xff\xfe\n")
    result = run_check([Path(".")], _serial())
    assert result.internal_errors == []
    assert sorted(f.code for f in result.findings) == ["TFP002", "TFP900"]
