"""The stat manifest: a warm run knows unchanged files by their stat signature and reads none of them,
and an edited file is always read again, even one edited at the same size with its mtime put back."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import tfpar_doctor.check.loading as check_module
from tfpar_doctor.cache import CACHE_DIR_NAME, FactsCache
from tfpar_doctor.check import CheckSettings, run_check

RANDOM_MAP = (
    "import random\nimport tensorflow as tf\n\n\ndef jitter(x):\n    return x + random.random()\n\n\n"
    "ds = tf.data.Dataset.range(8).map(jitter)\n"
)
PLAIN_MAP = RANDOM_MAP.replace("random.random()", "1.0 + 2.0 + 3.0")


def _codes(settings: CheckSettings) -> list[tuple[str, int]]:
    return [(f.code, f.location.line) for f in run_check([Path(".")], settings).findings]


def _age(path: Path, seconds_ago: float = 3600) -> None:
    stamp = time.time() - seconds_ago
    os.utime(path, (stamp, stamp))


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, text in {"pipe.py": RANDOM_MAP, "util.py": "def helper():\n    return 1\n"}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        _age(tmp_path / name)
    return tmp_path


def _settings(root: Path) -> CheckSettings:
    return CheckSettings(jobs=1, cache_dir=root / CACHE_DIR_NAME)


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    reads: list[Path] = []
    real = check_module.read_or_none

    def counting(path: Path) -> bytes | None:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(check_module, "read_or_none", counting)
    return reads


def test_a_warm_run_reads_no_unchanged_file(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = _codes(_settings(tree))
    assert [code for code, _ in cold] == ["TFP002"]
    reads = _count_reads(monkeypatch)
    assert _codes(_settings(tree)) == cold
    assert reads == []


def test_an_edit_at_the_same_size_with_the_mtime_put_back_is_seen(tree: Path) -> None:
    pipe = tree / "pipe.py"
    assert [code for code, _ in _codes(_settings(tree))] == ["TFP002"]
    before = pipe.stat()
    edited = PLAIN_MAP.ljust(len(RANDOM_MAP))
    assert len(edited) == len(RANDOM_MAP)
    pipe.write_text(edited, encoding="utf-8")
    os.utime(pipe, ns=(before.st_atime_ns, before.st_mtime_ns))  # ctime still moves: the signature differs
    assert _codes(_settings(tree)) == []


def test_files_modified_just_now_are_not_trusted_by_signature(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = tree / "fresh.py"
    fresh.write_text("x = 1\n", encoding="utf-8")  # mtime now: a racy entry
    _codes(_settings(tree))
    manifest = FactsCache(tree / CACHE_DIR_NAME, lambda message: None).stat_manifest()
    assert str(tree / "pipe.py") in manifest
    assert str(fresh) not in manifest
    reads = _count_reads(monkeypatch)
    _codes(_settings(tree))
    assert [path.name for path in reads] == ["fresh.py"]


def test_a_damaged_manifest_only_costs_reading(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cold = _codes(_settings(tree))
    cache = FactsCache(tree / CACHE_DIR_NAME, lambda message: None)
    (cache.entries / "stat-manifest.pickle").write_bytes(b"not a pickle")
    assert _codes(_settings(tree)) == cold
    assert "corrupt cache entry" in capsys.readouterr().err


def test_a_deleted_file_known_to_the_manifest_is_simply_gone(tree: Path) -> None:
    _codes(_settings(tree))
    (tree / "pipe.py").unlink()
    assert _codes(_settings(tree)) == []


def test_without_a_cache_nothing_is_recorded(tree: Path) -> None:
    _codes(CheckSettings(jobs=1))
    assert not (tree / CACHE_DIR_NAME).exists()
