"""The byte-level prefilter: what it lets through, what it skips, and that skipping loses no finding."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

import pytest

import tfpar_doctor.check.loading as check_module
from tests.conftest import FIXTURES, TREES, Row, findings_in
from tfpar_doctor.analysis.facts import ModuleFacts
from tfpar_doctor.analysis.prefilter import (
    ALL_SITE_METHODS,
    Prefilter,
    SiteNeeds,
    _site_call,
    failing_to_compile,
    imported_names,
    module_file_resolver,
    scan,
    site_methods_for,
    without_code_sites,
)
from tfpar_doctor.check import CheckSettings, run_check
from tfpar_doctor.rules import ALL_RULES, RULES_BY_CODE

DEFAULT_RULES = tuple(r for r in ALL_RULES if r.enabled_by_default)
DEFAULT_SITES = _site_call(site_methods_for(DEFAULT_RULES))
ALL_SITES = _site_call(ALL_SITE_METHODS)

# The subject is which files are parsed, not what parsing gives: each file's facts are extracted once per run
# (tests/facts_once.py); a test counting the files parsed counts load_facts calls, which the memo keeps.
pytestmark = pytest.mark.usefixtures("facts_once")


@pytest.mark.parametrize(
    "source",
    [
        b"ds = ds.map(fn)",
        b"ds = (ds\n    .map (fn))",
        b"ds = ds.\\\n    interleave(fn)",
        b"ds.cache()",
        b"ds = (ds.  # comment\n    map(fn))",
        b"g = tf.data.Dataset.from_generator(gen, output_signature=sig)",
        b"from tensorflow.data.experimental.service import distribute as d",
        b"ds = ds.apply(distribute(processing_mode='parallel_epochs', service=addr))",
    ],
)
def test_site_tokens_are_seen(source: bytes) -> None:
    assert scan(source, DEFAULT_SITES).has_site


@pytest.mark.parametrize(
    "source",
    [
        # tf.distribute, not the service
        b"import tensorflow as tf\nstrategy = tf.distribute.MirroredStrategy()",
        b"result = map(fn, items)",  # Python's map: no receiver
        b"mapping = ds.mapper",
        b"ds = ds.batch(32)",  # only TFP4xx reports at a batch: not selected by default
    ],
)
def test_non_sites_are_not(source: bytes) -> None:
    assert not scan(source, DEFAULT_SITES).has_site


def test_advice_rules_widen_the_tokens_to_every_dataset_method() -> None:
    assert scan(b"ds = ds.batch(32)", ALL_SITES).has_site
    assert site_methods_for([RULES_BY_CODE["TFP401"]]) == ALL_SITE_METHODS
    undeclared = dataclasses.replace(RULES_BY_CODE["TFP401"], code="TFP999", needs=SiteNeeds())
    assert site_methods_for([undeclared]) == ALL_SITE_METHODS  # declares nothing: never narrowed
    assert "cache" in site_methods_for([RULES_BY_CODE["TFP005"]])


def test_keywords_and_evidence() -> None:
    found = scan(b"out = pool.map(f, xs, num_parallel_calls=4)", DEFAULT_SITES)
    assert found.has_keyword and not found.has_evidence
    assert not scan(b"ds.map(f, n == num_parallel_calls)", DEFAULT_SITES).has_keyword
    assert scan(b"import tensorflow as tf", DEFAULT_SITES).has_evidence
    assert not scan(b"with tarfile.open(p) as tf:\n    tf.extractall()", DEFAULT_SITES).has_evidence


def test_imported_names() -> None:
    source = b"""import os, numpy as np
import a.b.c
from . import sibling
from ..pkg.mod import (
    first,
    second as s,
)
from data import *
    from lazy import thing  # inside a function
"""
    assert imported_names(source) == (
        "os", "numpy", "a.b.c", ".", ".sibling", "..pkg.mod", "..pkg.mod.first", "..pkg.mod.second",
        "data", "lazy", "lazy.thing",
    )


def _candidates(root: Path, files: dict[str, str]) -> dict[str, bool]:
    paths = []
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    prefilter = Prefilter(module_file_resolver(root), lambda p: p.read_bytes() if p.is_file() else None,
                          site_methods_for(DEFAULT_RULES))
    decided = prefilter.candidates(paths, {p: p.read_bytes() for p in paths})
    return {name: ok for name, ok in zip(files, decided, strict=True)}


def test_tf_connection_through_imports(tmp_path: Path) -> None:
    decided = _candidates(tmp_path, {
        # A map on a dataset built elsewhere: no TensorFlow name here, but an import chain to one.
        "train.py": "from pipeline import build\nds = build().map(parse)\n",
        "pipeline.py": "from source import make\ndef build():\n    return make()\n",
        "source.py": "import tensorflow as tf\ndef make():\n    return tf.data.TFRecordDataset(['a'])\n",
        # Handed a dataset by a module that uses TensorFlow: one import step backwards.
        "helpers.py": "def augment(d):\n    return d.map(lambda x: x)\n",
        "main.py": "import tensorflow as tf\nfrom helpers import augment\n"
                   "augment(tf.data.Dataset.range(3))\n",
        # `.map(` with nothing of TensorFlow anywhere along its imports.
        "workers.py": "import concurrent.futures as cf\nresults = cf.ThreadPoolExecutor().map(str, [1])\n",
        # No site at all, although it uses TensorFlow.
        "model.py": "import tensorflow as tf\nmodel = tf.keras.Sequential()\n",
        # A tf.data-only keyword decides by itself.
        "loader.py": "def f(d, fn):\n    return d.map(fn, num_parallel_calls=4)\n",
    })
    assert decided == {
        "train.py": True, "pipeline.py": False, "source.py": False, "helpers.py": True, "main.py": False,
        "workers.py": False, "model.py": False, "loader.py": True,
    }


def test_unreadable_files_are_candidates(tmp_path: Path) -> None:
    missing = tmp_path / "gone.py"
    prefilter = Prefilter(module_file_resolver(tmp_path), lambda p: None)
    assert prefilter.candidates([missing], {missing: None}) == [True]


def test_compile_check_reports_parse_errors_only() -> None:
    sources = (b"x = 1\n", b'print "py2"\n', b"return 1\n", b"\xff\xfe\x00bad", b"nonlocal x\n")
    # `return` and `nonlocal` outside a function parse (libcst accepts them): not TFP900 material.
    assert failing_to_compile(*sources) == (1, 3)


# ---------------------------------------------------------------- no finding lost
def _findings(base: Path, rules: tuple, prefilter: bool) -> list[Row]:
    return findings_in(base, CheckSettings(rules=rules, prefilter=prefilter, jobs=1))


@pytest.mark.parametrize("rules", [DEFAULT_RULES, ALL_RULES], ids=["default-rules", "all-rules"])
@pytest.mark.parametrize("tree", TREES, ids=lambda p: p.name)
def test_prefilter_loses_no_finding(
    tree: Path, rules: tuple, baseline_findings: Callable[[Path], list[Row]]
) -> None:
    """With every rule, the run with the prefilter is the session's baseline (one job, no cache)."""
    filtered = baseline_findings(tree) if rules is ALL_RULES else _findings(tree, rules, prefilter=True)
    assert filtered == _findings(tree, rules, prefilter=False)


def test_skipped_files_are_not_parsed_but_their_findings_are_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """speech_commands/data/augment.py has no site of its own: it is skipped, then loaded on demand when
    train.py's map resolves into it, and its TFP002 is still reported under the path the user gave."""
    parsed: list[str] = []
    original = check_module.load_facts

    def counting(path: Path, source: bytes | None = None) -> ModuleFacts:
        parsed.append(Path(path).as_posix())
        return original(path, source)

    monkeypatch.setattr(check_module, "load_facts", counting)
    findings = _findings(FIXTURES / "projects" / "speech_commands", DEFAULT_RULES, prefilter=True)
    assert ("TFP002", os.path.join("data", "augment.py")) in {(f[0], f[1]) for f in findings}
    # The files with sites first (in the pool's order), then what the index followed imports into;
    # the top-level __init__.py is never needed.
    assert parsed[:3] == ["distributed.py", "evaluate.py", "train.py"]
    assert "data/augment.py" in parsed[3:]
    assert "__init__.py" not in parsed


def test_skipped_file_with_syntax_error_is_still_tfp900(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "legacy.py").write_text('print "no tf.data here"\n', encoding="utf-8")
    (tmp_path / "fine.py").write_text("x = [1, 2]\n", encoding="utf-8")
    result = run_check([Path(".")], CheckSettings(jobs=1))
    found = [(f.code, f.location.path, f.location.line) for f in result.findings]
    assert found == [("TFP900", "legacy.py", 1)]


TEXT_ONLY = b'''"""Dataset ops. Example: `ds.interleave(fn, cycle_length=4, num_parallel_calls=2)`."""
import tensorflow as tf


def register_dataset(service, dataset):  # defines a free site name, does not call it
    # ds.map(fn) in a comment
    return tf.constant("ds.map(fn, num_parallel_calls=4)")
'''


@pytest.mark.parametrize(
    ("source", "text_only"),
    [
        (TEXT_ONLY, True),
        (b"import tensorflow as tf\nds = ds.map(fn)\n", False),
        (b"pool_map = ds.map\n", False),
        (b"from tensorflow.data.experimental.service import distribute as d\n", False),
        (b"g = tf.data.Dataset.from_generator(gen)\n", False),
        (b"ds = ds.map(fn\n", False),  # does not parse: the full parse reports it
    ],
)
def test_site_tokens_only_in_text_are_told_apart_from_code(source: bytes, text_only: bool) -> None:
    methods = site_methods_for(DEFAULT_RULES)
    assert (without_code_sites(methods, source) == (0,)) is text_only


def test_a_file_with_sites_only_in_docstrings_is_not_parsed_but_still_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gen_ops.py").write_bytes(TEXT_ONLY)
    (tmp_path / "broken_ops.py").write_bytes(TEXT_ONLY + b"\ndef broken(:\n")
    (tmp_path / "pipe.py").write_text(
        "import random\nimport tensorflow as tf\n"
        "ds = tf.data.Dataset.range(3).map(lambda x: x + random.random())\n",
        encoding="utf-8",
    )
    parsed: list[str] = []
    real = check_module.load_facts

    def recording(path: Path, source: bytes | None = None) -> ModuleFacts:
        parsed.append(path.name)
        return real(path, source)

    monkeypatch.setattr(check_module, "load_facts", recording)
    result = run_check([Path(".")], CheckSettings(jobs=1))
    assert sorted(parsed) == ["broken_ops.py", "pipe.py"]
    assert sorted((f.code, f.location.path) for f in result.findings) == [
        ("TFP002", "pipe.py"),
        ("TFP900", "broken_ops.py"),
    ]
