"""`check` over a fixed sample of real files from CPython's standard library and TensorFlow's sources.

The sample (tests/corpus/, provenance and licences in tests/corpus/NOTICE) was picked for awkward
syntax rather than for tf.data content:

* decorators: dataclasses.py, contextlib.py, test_decorators.py (PEP 614 arbitrary decorator
  expressions), TensorFlow's tf_export.py, deprecation.py and dispatch.py;
* match statements: test_patma.py, dataclasses.py; walrus: test_named_expressions.py;
  f-strings: test_fstring.py; `except*`: test_except_star.py; `*args: *Ts`: test_pep646_syntax.py;
  positional-only parameters: test_positional_only_arg.py; async: contextlib.py, asyncio/taskgroups.py;
  the whole grammar: test_grammar.py, lib2to3's py3_test_grammar.py;
* annotations: typinganndata/ann_module*.py; huge literal tables: encodings/cp1252.py,
  html/entities.py, TensorFlow's graph_pb2.py (serialized descriptor) and __init__.py (generated imports);
* generated code: gen_manip_ops.py; autograph's code templates and control flow operators;
* tf.data itself: map_op.py, from_generator_op.py, interleave_op.py, structured_function.py,
  data_service_ops.py, readers.py;
* bad input that is someone's real test data: Python 2 files (with a BOM, with CRLF line endings,
  with a coding cookie), unknown and contradictory coding cookies, non-UTF-8 bytes without a
  cookie, a non-ASCII character in an identifier, and valid files in latin-1 (with CRLF) and koi8-r.

bench/check_corpus.py runs the same check over the complete trees.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfpar_doctor.check import CheckSettings, check_files
from tfpar_doctor.cli import app

CORPUS = Path(__file__).parent / "corpus"

# Both tests check the same files, with and without the prefilter: each file's facts are extracted once per
# run (tests/facts_once.py), by whichever test meets it first; what the analysis makes of them is checked in
# both.
pytestmark = pytest.mark.usefixtures("facts_once")

# Files that must come out as TFP900 (and only these): the expected part of the message, and why.
EXPECTED_UNPARSABLE: dict[str, tuple[str, str]] = {
    "cpython/Lib__lib2to3__tests__data__py2_test_grammar.py": ("cannot parse", "Python 2 grammar"),
    "cpython/Lib__lib2to3__tests__data__bom.py": ("cannot parse", "Python 2 print statement, after a BOM"),
    "cpython/Lib__lib2to3__tests__data__crlf.py": ("cannot parse", "Python 2 print statement, CRLF"),
    "cpython/Lib__lib2to3__tests__data__different_encoding.py": ("cannot parse", "Python 2 `print u'...'`"),
    "cpython/Lib__lib2to3__tests__data__false_encoding.py": ("cannot parse", "Python 2 print statement"),
    "cpython/Lib__test__tokenizedata__bad_coding.py": ("cannot decode", "unknown coding cookie `uft-8`"),
    "cpython/Lib__test__tokenizedata__bad_coding2.py": ("cannot decode", "a BOM with a `utf8` cookie"),
    "cpython/Lib__test__tokenizedata__badsyntax_pep3120.py": ("cannot decode", "latin-1 bytes, no cookie"),
    "cpython/Lib__test__tokenizedata__badsyntax_3131.py": ("cannot parse", "`€` in an identifier"),
    # Valid Python 3.11 that libcst's parser rejects: a parenthesized annotated assignment target,
    # `(x): int = 1`. A known limitation of the parser; the finding says the file was not analysed.
    "cpython/Lib__test__test_grammar.py": ("cannot parse", "libcst: `(no_such_global): int`"),
    "cpython/Lib__test__typinganndata__ann_module.py": ("cannot parse", "libcst: `(pars): bool = True`"),
}


def test_corpus_is_a_real_sample() -> None:
    files = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.py"))
    assert len(files) >= 40
    assert {f.split("/")[0] for f in files} == {"cpython", "tensorflow"}
    assert set(EXPECTED_UNPARSABLE) <= set(files)
    # Copied test modules must never be collected (or imported) by pytest.
    assert not [f for f in files if Path(f).name.startswith("test_") or f.endswith("_test.py")]
    assert "Apache License" in (CORPUS / "NOTICE").read_text(encoding="utf-8")


def test_check_command_over_the_corpus_exits_0_or_1_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command as users run it (prefilter on: files without a tf.data token are not parsed). In this
    process: an exception the command let through would fail the test here (catch_exceptions=False), as a
    traceback would in a terminal. `python -m tfpar_doctor check` itself is run by test_jobs.py,
    test_robustness.py and test_property.py."""
    # A copy outside the repository, so that this project's own excludes do not apply to it.
    sample = tmp_path / "corpus"
    shutil.copytree(CORPUS, sample)
    monkeypatch.chdir(sample)
    done = CliRunner().invoke(app, ["check", "--output-format", "json-lines", "."], catch_exceptions=False)
    assert "Traceback" not in done.stderr
    assert "internal error" not in done.stderr
    assert done.exit_code in (0, 1), done.stderr
    findings = [json.loads(line) for line in done.stdout.splitlines()]
    unparsable = {f["location"]["path"] for f in findings if f["code"] == "TFP900"}
    assert unparsable <= set(EXPECTED_UNPARSABLE)
    assert done.exit_code == (1 if findings else 0)
    # The checker only reads: the sample is byte for byte what it was.
    for original in CORPUS.rglob("*.py"):
        assert (sample / original.relative_to(CORPUS)).read_bytes() == original.read_bytes()


def test_every_corpus_file_is_parsed_and_analysed_without_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The prefilter off, so that every file goes through libcst, the extractor and all rules."""
    sample = tmp_path / "corpus"
    shutil.copytree(CORPUS, sample)
    monkeypatch.chdir(sample)
    settings = CheckSettings()
    settings.prefilter = False
    result = check_files(sorted(Path(".").rglob("*.py")), settings)
    assert result.internal_errors == []
    assert len(result.files) == len(list(CORPUS.rglob("*.py")))
    unparsable = {f.location.path: f.message for f in result.findings if f.code == "TFP900"}
    assert sorted(unparsable) == sorted(EXPECTED_UNPARSABLE)
    for path, message in unparsable.items():
        assert message.startswith(EXPECTED_UNPARSABLE[path][0]), (path, message)
