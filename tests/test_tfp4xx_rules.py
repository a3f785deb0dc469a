"""Edge cases of the advice rules TFP401-TFP403 beyond the fixture corpus (fixtures/rules/TFP4xx)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfpar_doctor.check import CheckSettings, run_check
from tfpar_doctor.config import Layer
from tfpar_doctor.selection import select_rules

ADVICE = CheckSettings(rules=select_rules([Layer(select=("TFP4",))]))


def findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> list[tuple[str, int]]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text("import requests\nimport tensorflow as tf\n\n" + source, encoding="utf-8")
    return [(f.code, f.location.line) for f in run_check([Path("m.py")], ADVICE).findings]


def test_tfp401_helper_whose_caller_prefetches_is_silent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert findings(tmp_path, monkeypatch, (
        "def helper(paths):\n"
        "    return tf.data.Dataset.from_tensor_slices(paths).batch(4)\n\n"
        "def pipeline(paths):\n"
        "    return helper(paths).prefetch(tf.data.AUTOTUNE)\n"
    )) == []


def test_tfp401_with_options_after_prefetch_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert findings(tmp_path, monkeypatch, (
        "def pipeline(paths):\n"
        "    options = tf.data.Options()\n"
        "    return tf.data.Dataset.from_tensor_slices(paths).batch(4).prefetch(2).with_options(options)\n"
    )) == []


def test_tfp401_iterated_dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert findings(tmp_path, monkeypatch, (
        "def loop(paths):\n"
        "    for x in tf.data.Dataset.from_tensor_slices(paths).batch(2):\n"
        "        tf.print(x)\n"
    )) == [("TFP401", 5)]


@pytest.mark.parametrize(("body", "expected"), [
    ("lambda x: tf.cast(x, tf.float32) / 255.0", [("TFP402", 5)]),
    ("lambda x: tf.one_hot(x, 10)", [("TFP402", 5)]),
    ("lambda x: {'x': x}", []),  # no op: nothing worth moving
    ("lambda x: x + tf.random.normal([])", []),  # per-element randomness differs from per-batch
    ("lambda x: tf.reshape(x, [28, 28, 1])", []),  # shape-dependent
    ("lambda x: tf.io.decode_png(x)", []),  # variable-size elements must be decoded before batch
])
def test_tfp402_only_element_wise_ops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str,
                                      expected: list[tuple[str, int]]) -> None:
    assert findings(tmp_path, monkeypatch, (
        "def pipeline(xs):\n"
        f"    ds = tf.data.Dataset.from_tensor_slices(xs).map({body})\n"
        "    return ds.batch(8).prefetch(1)\n"
    )) == expected


@pytest.mark.parametrize(("arguments", "expected"), [
    ("num_parallel_calls=tf.data.AUTOTUNE", [("TFP403", 9)]),
    ("num_parallel_calls=8, deterministic=True", [("TFP403", 9)]),
    ("num_parallel_calls=8, deterministic=False", []),
    ("", []),  # not parallel: there is no order to give up
])
def test_tfp403_parallel_io_map_keeping_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arguments: str,
                                              expected: list[tuple[str, int]]) -> None:
    comma = ", " if arguments else ""
    assert findings(tmp_path, monkeypatch, (
        "def fetch(url):\n"
        "    return requests.get(url.decode(), timeout=5).content\n\n"
        "def pipeline(urls):\n"
        "    ds = tf.data.Dataset.from_tensor_slices(urls)\n"
        f"    ds = ds.map(lambda u: tf.numpy_function(fetch, [u], tf.string){comma}{arguments})\n"
        "    return ds.prefetch(1)\n"
    )) == expected


def test_tfp403_cpu_bound_python_is_not_variable_latency(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert findings(tmp_path, monkeypatch, (
        "def count(text):\n"
        "    total = 0\n"
        "    for ch in text.decode():\n"
        "        total += ord(ch) % 7\n"
        "    return total\n\n"
        "def pipeline(texts):\n"
        "    ds = tf.data.Dataset.from_tensor_slices(texts)\n"
        "    ds = ds.map(lambda t: tf.numpy_function(count, [t], tf.int64), num_parallel_calls=4)\n"
        "    return ds.prefetch(1)\n"
    )) == []
