"""Property tests: `check` never raises on valid Python, and its output is deterministic.

Programs come from hypothesmith: `from_grammar()` (tests/programs.py; any string the Python grammar
derives: odd spacing, comments, continuation lines, every statement form) and `from_node()` (libcst trees
printed back to source: nested functions, classes, comprehensions, lambdas). Each program is followed by a
tf.data pipeline that maps every function it defines, so that the rules, not only the parser, see it.

Example counts are modest so that the file runs in well under a minute; a failure prints the
program to reproduce it (`@reproduce_failure`).
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import hypothesmith
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tfpar_doctor.check import CheckSettings, check_files
from tfpar_doctor.render.json_output import render_json

from .conftest import examples
from .programs import GRAMMAR_PROGRAMS

SETTINGS = settings(
    deadline=None,  # parsing time depends on the machine's load; correctness is what is tested
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def with_pipeline(program: str) -> str:
    """The program at top level and again as the body of a mapped function, then a pipeline that maps
    that function (traced, and through tf.py_function) and every top-level function the program defines."""
    try:
        functions = (ast.FunctionDef, ast.AsyncFunctionDef)
        names = [n.name for n in ast.parse(program).body if isinstance(n, functions)]
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        names = []  # libcst accepts a few programs CPython rejects; they are still checked
    maps = "".join(f"ds = ds.map({name}, num_parallel_calls=4)\n" for name in names)
    # Indenting may change a multi-line string's text or make a program invalid: either is fine here.
    body = textwrap.indent(program, "    ")
    return (
        f"{program}\n\nimport tensorflow as tf\n\n\ndef _wrapped(x):\n{body}\n    return x\n\n\n"
        "ds = tf.data.Dataset.range(8).map(_wrapped)\n"
        "ds = ds.map(lambda x: tf.py_function(_wrapped, [x], tf.int64), num_parallel_calls=4)\n"
        f"{maps}ds = ds.cache()\n"
    )


def check_source(source: str) -> tuple[str, list[str]]:
    """Findings as JSON text, and internal errors, of checking `source` as one in-memory file."""
    path = Path(tempfile.gettempdir()) / "tfpar_property" / "generated.py"
    settings_ = CheckSettings()
    settings_.prefilter = False  # parse every program, whatever tokens it contains
    settings_.jobs = 1
    settings_.sources[path] = source.encode("utf-8", errors="surrogatepass")
    result = check_files([path], settings_)
    return render_json(result.findings), result.internal_errors


def assert_checks_cleanly_and_deterministically(program: str) -> None:
    source = with_pipeline(program)
    first, errors = check_source(source)
    assert errors == [], errors
    second, _ = check_source(source)
    assert first == second
    lines = len(re.split(r"\r\n|\r|\n", source))  # as Python counts them: a lone \r ends a line too
    for finding in json.loads(first):
        # Every finding points into the checked text (1-based lines).
        assert 1 <= finding["location"]["line"] <= lines, finding


@settings(SETTINGS, max_examples=examples(80))
@given(GRAMMAR_PROGRAMS)
def test_check_never_raises_on_programs_from_the_grammar(program: str) -> None:
    assert_checks_cleanly_and_deterministically(program)


@settings(SETTINGS, max_examples=examples(25))
@given(hypothesmith.from_node())
def test_check_never_raises_on_programs_from_libcst_nodes(program: str) -> None:
    assert_checks_cleanly_and_deterministically(program)


@settings(SETTINGS, max_examples=examples(60))
@given(st.text(max_size=300))
def test_check_never_raises_on_arbitrary_text(text: str) -> None:
    # Mostly not Python at all: the answer is a TFP900 or nothing, never an exception.
    findings, errors = check_source(with_pipeline(text))
    assert errors == []
    json.loads(findings)


@settings(SETTINGS, max_examples=2)
@given(st.lists(GRAMMAR_PROGRAMS, min_size=8, max_size=8))
def test_output_does_not_depend_on_hash_seed_or_process(programs: list[str]) -> None:
    """Sets and dicts of strings iterate in a different order per process (PYTHONHASHSEED): the
    findings and their order must not."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for number, program in enumerate(programs):
            module = root / f"m{number}.py"
            module.write_text(with_pipeline(program), encoding="utf-8", errors="surrogatepass")
        outputs = []
        for seed in ("1", "2"):
            done = subprocess.run(
                [sys.executable, "-m", "tfpar_doctor", "check", "--no-cache", "--output-format", "json", "."],
                cwd=root, capture_output=True, text=True, timeout=300, check=False,
                env={**os.environ, "PYTHONHASHSEED": seed},
            )
            assert done.returncode in (0, 1), done.stderr
            outputs.append(done.stdout)
        assert outputs[0] == outputs[1]
