"""tests/facts_once.py: a file's facts are extracted once per test run and every later test gets a copy of
its own; the baseline's extractions are real."""

from __future__ import annotations

from pathlib import Path

from tests.facts_once import ExtractOnce
from tfpar_doctor.analysis import extract as extract_module
from tfpar_doctor.analysis.facts import ModuleFacts
from tfpar_doctor.analysis.values import Const

SOURCE = b"import tensorflow as tf\nds = tf.data.Dataset.range(3).map(lambda x: x)\n"


class Counting:
    """The real extractor, counting its calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self._extract = extract_module.extract

    def __call__(self, source: bytes, path: str, module: str, package: str) -> ModuleFacts:
        self.calls.append(path)
        return self._extract(source, path, module, package)


def test_a_file_is_extracted_once_and_each_caller_gets_its_own_copy(tmp_path: Path) -> None:
    real = Counting()
    memo = ExtractOnce(real, tmp_path)
    first = memo(SOURCE, "pipe.py", "pipe", "")
    # what the pipeline writes into the facts it loads: a site's name as resolved in one scope, suppressions
    first.sites[0].qualified = "tensorflow.data.Dataset.map"
    first.file_suppression = ()
    second = memo(SOURCE, "pipe.py", "pipe", "")
    assert real.calls == ["pipe.py"] and memo.extracted == 1
    assert second is not first
    # what extraction gives, not what the first caller made of it
    assert second == extract_module.extract(SOURCE, "pipe.py", "pipe", "")
    assert second.sites[0].qualified is None and second.file_suppression is None


def test_another_path_gets_a_relabelled_copy_other_bytes_or_names_are_extracted(tmp_path: Path) -> None:
    real = Counting()
    memo = ExtractOnce(real, tmp_path)
    memo(SOURCE, "pipe.py", "pipe", "")
    # the same file checked from another directory: the path is a label, as in the facts cache
    elsewhere = memo(SOURCE, "sub/pipe.py", "pipe", "")
    assert real.calls == ["pipe.py"]
    assert elsewhere == extract_module.extract(SOURCE, "sub/pipe.py", "pipe", "")
    memo(SOURCE, "pkg/pipe.py", "pkg.pipe", "pkg")
    memo(SOURCE + b"\n", "pipe.py", "pipe", "")
    assert real.calls == ["pipe.py", "pkg/pipe.py", "pipe.py"]


def test_another_worker_reads_the_facts_from_the_shared_directory(tmp_path: Path) -> None:
    ExtractOnce(Counting(), tmp_path)(SOURCE, "pipe.py", "pipe", "")
    real = Counting()
    again = ExtractOnce(real, tmp_path)(SOURCE, "pipe.py", "pipe", "")
    assert real.calls == [] and again.sites and again.path == "pipe.py"
    assert not list((tmp_path / "facts-once").glob("*.partial"))


def test_recording_extracts_for_real_and_keeps_the_result(tmp_path: Path) -> None:
    real = Counting()
    memo = ExtractOnce(real, tmp_path)
    memo(SOURCE, "pipe.py", "pipe", "")
    before = extract_module.extract
    with memo.recording():
        assert extract_module.extract is memo
        extract_module.extract(SOURCE, "pipe.py", "pipe", "")
    assert extract_module.extract is before
    assert real.calls == ["pipe.py", "pipe.py"]
    memo(SOURCE, "pipe.py", "pipe", "")
    assert len(real.calls) == 2


def test_facts_that_do_not_pickle_are_returned_and_never_reused(tmp_path: Path) -> None:
    deep: object = Const(0)
    for _ in range(100_000):
        deep = [deep]

    def nested(source: bytes, path: str, module: str, package: str) -> ModuleFacts:
        facts = ModuleFacts(path=path, module=module, package=package)
        facts.globals["deep"] = deep  # type: ignore[assignment]
        return facts

    memo = ExtractOnce(nested, tmp_path)
    assert memo(SOURCE, "pipe.py", "pipe", "").globals["deep"] is deep
    memo(SOURCE, "pipe.py", "pipe", "")
    assert memo.extracted == 2
