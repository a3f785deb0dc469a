"""The facts cache: same findings with and without it, rebuilt when damaged or stale, removable."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tfpar_doctor.check.loading as check_module
from tests.conftest import FIXTURES, TREES, Row
from tfpar_doctor.cache import CACHE_DIR_NAME, CACHEDIR_TAG, FactsCache
from tfpar_doctor.check import CheckSettings, run_check
from tfpar_doctor.cli import app
from tfpar_doctor.rules import ALL_RULES


def _findings(settings: CheckSettings) -> list[tuple[str, str, int, int, str]]:
    result = run_check([Path(".")], settings)
    return [(f.code, f.location.path, f.location.line, f.location.column, f.message) for f in result.findings]


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def make(tree: Path) -> Path:
        target = tmp_path / tree.name
        shutil.copytree(tree, target)
        monkeypatch.chdir(target)
        return target

    return make


# `facts_once`: the cold run extracts through the run's memo (tests/facts_once.py). What is tested is what the
# cache keeps and gives back, compared with the baseline, whose extractions are real.
@pytest.mark.usefixtures("facts_once")
@pytest.mark.parametrize("tree", TREES, ids=lambda p: p.name)
def test_findings_identical_without_cache_cold_and_warm(
    tree: Path, copy, monkeypatch: pytest.MonkeyPatch, baseline_findings: Callable[[Path], list[Row]]
) -> None:
    """Without a cache is the session's baseline (every rule, one job, prefilter on, no cache) of the tree
    itself; the cold and warm runs check a copy, whose cache directory is thrown away with it."""
    uncached = baseline_findings(tree)
    root = copy(tree)
    cache_dir = root / CACHE_DIR_NAME
    cold = _findings(CheckSettings(rules=ALL_RULES, jobs=1, cache_dir=cache_dir))
    assert (cache_dir / "CACHEDIR.TAG").read_text(encoding="ascii") == CACHEDIR_TAG

    def no_parsing(path: Path, source: bytes | None = None):
        raise AssertionError(f"{path} parsed although its facts are cached")

    monkeypatch.setattr(check_module, "load_facts", no_parsing)
    warm = _findings(CheckSettings(rules=ALL_RULES, jobs=1, cache_dir=cache_dir))
    assert uncached == cold == warm


def test_a_changed_file_is_analysed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = CheckSettings(jobs=1, cache_dir=tmp_path / CACHE_DIR_NAME)
    source = tmp_path / "pipe.py"
    source.write_text("import tensorflow as tf\nds = tf.data.Dataset.range(3).map(lambda x: x)\n",
                      encoding="utf-8")
    assert _findings(settings) == []
    source.write_text(
        "import time\nimport tensorflow as tf\n\n\ndef slow(x):\n    time.sleep(1)\n    return x\n\n\n"
        "ds = tf.data.Dataset.range(3).map(slow)\n",
        encoding="utf-8",
    )
    assert [f[0] for f in _findings(settings)] == ["TFP001"]


def test_a_corrupt_cache_is_ignored_with_a_warning(copy, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy(FIXTURES / "projects" / "speech_commands")
    settings = CheckSettings(jobs=1, cache_dir=root / CACHE_DIR_NAME)
    expected = _findings(settings)
    entries = [p for p in (root / CACHE_DIR_NAME).rglob("*")
               if p.is_file() and p.parent.parent.name.startswith("facts-")]
    assert entries
    for entry in entries:
        entry.write_bytes(b"not a pickle")
    (next((root / CACHE_DIR_NAME).glob("facts-*")) / "compiles.pickle").write_bytes(b"\x80\x05junk")
    capsys.readouterr()
    assert _findings(settings) == expected
    warnings = capsys.readouterr().err
    assert warnings.count("corrupt cache entry") == 1, warnings
    # Rebuilt: the next run reads the cache quietly.
    assert _findings(settings) == expected
    assert "corrupt" not in capsys.readouterr().err


def test_entries_of_another_analyzer_version_are_removed(tmp_path: Path) -> None:
    old = FactsCache(tmp_path, print, version="old")
    facts = check_module.load_facts(FIXTURES / "rules" / "TFP001" / "positive_audio_logger.py")
    old.put(old.key("x", "a", ""), facts)
    new = FactsCache(tmp_path, print, version="new")
    assert new.get(new.key("x", "a", "")) is None
    new.put(new.key("x", "a", ""), facts)
    assert sorted(p.name for p in tmp_path.glob("facts-*")) == ["facts-new"]


def test_unwritable_cache_warns_once_and_the_check_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    for name, function in (("a.py", "f"), ("b.py", "g")):
        pipeline = f"ds = tf.data.Dataset.range(3).map({function})\n"
        (tmp_path / name).write_text("import tensorflow as tf\n" + pipeline, encoding="utf-8")
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    assert _findings(CheckSettings(jobs=1, cache_dir=blocker / "cache")) == []
    assert capsys.readouterr().err.count("cannot write the cache") == 1


def test_cli_no_cache_and_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pipe.py").write_text("import tensorflow as tf\nds = tf.data.Dataset.range(3).map(f)\n",
                                      encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["check", "--no-cache", "."]).exit_code == 0
    assert not (tmp_path / CACHE_DIR_NAME).exists()
    assert runner.invoke(app, ["check", "."]).exit_code == 0
    assert (tmp_path / CACHE_DIR_NAME / "CACHEDIR.TAG").is_file()
    done = runner.invoke(app, ["clean"])
    assert done.exit_code == 0 and "Removed" in done.output
    assert not (tmp_path / CACHE_DIR_NAME).exists()
    assert "nothing to remove" in runner.invoke(app, ["clean"]).output


def test_clean_refuses_a_directory_that_is_not_our_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / CACHE_DIR_NAME).mkdir()
    (tmp_path / CACHE_DIR_NAME / "precious.txt").write_text("keep me", encoding="utf-8")
    done = CliRunner().invoke(app, ["clean"])
    assert done.exit_code == 2
    assert (tmp_path / CACHE_DIR_NAME / "precious.txt").is_file()
    assert os.listdir(tmp_path / CACHE_DIR_NAME) == ["precious.txt"]


PIPE = (
    "import random\nimport tensorflow as tf\n"
    "ds = tf.data.Dataset.range(3).map(lambda x: x + random.random())\n"
)


def test_the_cache_lives_at_the_project_root_and_serves_other_directories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.tfpar-doctor]\n", encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "pipe.py").write_text(PIPE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TFPAR_DOCTOR_CACHE_DIR", raising=False)
    runner = CliRunner()
    first = runner.invoke(app, ["check", "pkg", "--output-format", "concise"])
    assert first.exit_code == 1 and "pkg/pipe.py:3:" in first.stdout
    assert (tmp_path / CACHE_DIR_NAME / "CACHEDIR.TAG").is_file()

    def no_parsing(path: Path, source: bytes | None = None):
        raise AssertionError(f"{path} parsed although its facts are cached")

    monkeypatch.setattr(check_module, "load_facts", no_parsing)
    monkeypatch.chdir(tmp_path / "pkg")
    again = runner.invoke(app, ["check", ".", "--output-format", "json"])
    assert again.exit_code == 1, again.output
    # The cached facts were written as pkg/pipe.py; from here the file is pipe.py, everywhere in them.
    assert '"path": "pkg/' not in again.stdout and '"path": "pipe.py"' in again.stdout
    assert not (tmp_path / "pkg" / CACHE_DIR_NAME).exists()


def test_cache_dir_option_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TFPAR_DOCTOR_CACHE_DIR", raising=False)
    (tmp_path / "pipe.py").write_text(PIPE, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["check", ".", "--cache-dir", "elsewhere"]).exit_code == 1
    assert (tmp_path / "elsewhere" / "CACHEDIR.TAG").is_file() and not (tmp_path / CACHE_DIR_NAME).exists()
    monkeypatch.setenv("TFPAR_DOCTOR_CACHE_DIR", str(tmp_path / "from-env"))
    assert runner.invoke(app, ["check", "."]).exit_code == 1
    assert (tmp_path / "from-env" / "CACHEDIR.TAG").is_file()
    assert runner.invoke(app, ["check", ".", "--cache-dir", "wins"]).exit_code == 1
    assert (tmp_path / "wins" / "CACHEDIR.TAG").is_file()
    assert "Removed" in runner.invoke(app, ["clean"]).output
    assert not (tmp_path / "from-env").exists()
    assert "Removed" in runner.invoke(app, ["clean", "--cache-dir", "elsewhere"]).output
    assert not (tmp_path / "elsewhere").exists()


def test_relabel_renames_every_location_of_the_file() -> None:
    from dataclasses import fields, is_dataclass

    from tfpar_doctor.cache import relabel
    from tfpar_doctor.model import Location

    facts = check_module.load_facts(FIXTURES / "rules" / "TFP001" / "positive_audio_logger.py")
    old = facts.path
    renamed = relabel(facts, "elsewhere/audio.py")
    assert renamed is not None and renamed.path == "elsewhere/audio.py"
    paths: set[str] = set()

    def collect(value: object) -> None:
        if isinstance(value, Location):
            paths.add(value.path)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for item in value:
                collect(item)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif is_dataclass(value) and not isinstance(value, type):
            for item in fields(value):
                collect(getattr(value, item.name))

    collect(renamed)
    assert paths == {"elsewhere/audio.py"} and old not in paths
