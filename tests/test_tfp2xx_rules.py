"""TFP106, TFP201 and TFP202 beyond the fixture corpus; what the rules declare to the prefilter; naming a
hang from a thread dump; the PyDataset sweep's verdicts; and that every multiprocessing rewrite the tool
generates starts its workers with spawn or forkserver (TFP202 stays silent on it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tfpar_doctor.advice.advisor import SiteInput, advise
from tfpar_doctor.analysis.prefilter import (
    Prefilter,
    module_file_resolver,
    site_methods_for,
    without_code_sites,
)
from tfpar_doctor.check import CheckSettings, run_check
from tfpar_doctor.model import (
    BodyClass,
    Classification,
    Finding,
    LevelResult,
    Location,
    Related,
    Severity,
    Verdict,
)
from tfpar_doctor.probe import hang, pydataset
from tfpar_doctor.rules import ALL_RULES, RULES_BY_CODE

HEADER = "import multiprocessing\nimport numpy as np\nimport tensorflow as tf\n\n"


def codes_at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, header: str = HEADER,
             files: dict[str, str] | None = None) -> list[tuple[str, int]]:
    monkeypatch.chdir(tmp_path)
    for name, text in (files or {}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "m.py").write_text(header + source, encoding="utf-8")
    wanted = ("TFP106", "TFP201", "TFP202")
    found = run_check([Path("m.py")], CheckSettings(rules=ALL_RULES)).findings
    return sorted((f.code, f.location.line) for f in found if f.code in wanted)


# ------------------------------------------------------------------------------------------- TFP202
@pytest.mark.parametrize(("source", "expected"), [
    ("multiprocessing.set_start_method('fork')\n"
     "pool = multiprocessing.get_context().Pool(2)\n", [("TFP202", 6)]),  # the process-wide method is fork
    ("pool = multiprocessing.get_context('forkserver').Pool(2)\n", []),
    ("def make(method):\n    return multiprocessing.get_context(method).Pool(2)\n", []),  # cannot read it
    ("proc = multiprocessing.Process(target=print)\n", [("TFP202", 5)]),
    ("from multiprocessing.pool import ThreadPool\npool = ThreadPool(4)\n", []),  # threads fork nothing
    ("def fit(model, data):\n    model.fit(data, workers=4, use_multiprocessing=False)\n", []),
])
def test_tfp202_start_methods(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str,
                              expected: list[tuple[str, int]]) -> None:
    assert codes_at(tmp_path, monkeypatch, source) == expected


SEQUENCE = ("class Rows(tf.keras.utils.Sequence):\n    def __len__(self):\n        return 4\n\n"
            "    def __getitem__(self, i):\n        return np.zeros(4), np.zeros(1)\n\n\n"
            "def batches():\n    while True:\n        yield np.zeros(4), np.zeros(1)\n\n\n")


def test_tfp202_keras_workers_with_spawn_set_are_silent(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    source = SEQUENCE + "def fit(model):\n    model.fit(Rows(), workers=4, use_multiprocessing=True)\n"
    assert codes_at(tmp_path, monkeypatch, source) == [("TFP202", 19)]
    source += "\nif __name__ == '__main__':\n    multiprocessing.set_start_method('spawn')\n"
    assert codes_at(tmp_path, monkeypatch, source) == []


def tfp202_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> list[str]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text(HEADER + SEQUENCE + source, encoding="utf-8")
    found = run_check([Path("m.py")], CheckSettings(rules=ALL_RULES)).findings
    return [f.message for f in found if f.code == "TFP202"]


@pytest.mark.parametrize(("call", "runs"), [
    # Keras 2 forks for a generator or a Sequence, in x or in validation_data
    ("model.fit(Rows(), workers=4, use_multiprocessing=True)", "the Sequence `Rows` (`x`)"),
    ("model.fit_generator(generator=batches(), use_multiprocessing=True)",
     "the generator `batches` (`generator`)"),
    ("model.fit(tf.data.Dataset.range(4), validation_data=Rows(), use_multiprocessing=True)",
     "the Sequence `Rows` (`validation_data`)"),
    ("gen = tf.keras.preprocessing.image.ImageDataGenerator(rescale=0.5)\n"
     "model.evaluate(gen.flow_from_directory('images'), use_multiprocessing=True)",
     "the Sequence that `flow_from_directory(...)` returns (`x`)"),
    ("model.predict(tf.keras.preprocessing.sequence.TimeseriesGenerator(d, d, 4),\n"
     "              use_multiprocessing=True)",
     "the Keras Sequence `TimeseriesGenerator` (`x`)"),
    ("def make():\n    return Rows()\n\nmodel.fit(make(), use_multiprocessing=True)",
     "the Sequence `Rows` (`x`)"),
    # a tf.data dataset or arrays: Keras ignores the flag
    ("model.fit(tf.data.Dataset.range(4).batch(2), workers=4, use_multiprocessing=True)", None),
    ("model.fit(d, d, validation_data=(d, d), use_multiprocessing=True)", None),
    # an input the analysis cannot trace may be either: silent
    ("def fit(model, data):\n    model.fit(data, workers=4, use_multiprocessing=True)", None),
    ("model.fit(Rows(), workers=4, use_multiprocessing=False)", None),
    # workers=0: Keras calls the Sequence or the generator itself, no pool starts; from one worker it forks
    ("model.fit(Rows(), workers=0, use_multiprocessing=True)", None),
    ("model.fit_generator(batches(), steps_per_epoch=4, workers=0, use_multiprocessing=True)", None),
    ("model.fit(tf.data.Dataset.range(4), validation_data=Rows(), workers=0,\n"
     "          use_multiprocessing=True)", None),
    ("model.fit(Rows(), workers=1, use_multiprocessing=True)", "the Sequence `Rows` (`x`)"),
    ("n = 0 if d.any() else 2\nmodel.fit(Rows(), workers=n, use_multiprocessing=True)",
     "the Sequence `Rows` (`x`)"),  # a count that may be 2
])
def test_tfp202_fit_forks_only_for_generators_and_sequences(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            call: str, runs: str | None) -> None:
    prefix = "model = tf.keras.Sequential()\nd = np.zeros((8, 4))\n"
    messages = tfp202_messages(tmp_path, monkeypatch, prefix + call + "\n")
    if runs is None:
        assert messages == []
    else:
        assert len(messages) == 1, messages
        assert f"Keras runs {runs} in worker processes it starts" in messages[0], messages


def test_tfp202_advice_for_a_generator_is_not_spawn(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Keras passes a generator to its pool's initializer: spawned workers cannot take it (it does not
    pickle), so the advice for a generator is threads, a Sequence or tf.data; for a Sequence it is spawn."""
    monkeypatch.chdir(tmp_path)
    source = "def fit(model):\n    model.fit(batches(), use_multiprocessing=True)\n" \
        "    model.fit(Rows(), use_multiprocessing=True)\n"
    (tmp_path / "m.py").write_text(HEADER + SEQUENCE + source, encoding="utf-8")
    found = run_check([Path("m.py")], CheckSettings(rules=ALL_RULES)).findings
    found = [f for f in found if f.code == "TFP202"]
    generator, sequence = sorted(found, key=lambda f: f.location.line)
    assert "does not pickle" in generator.advice and "use_multiprocessing=False" in generator.advice
    assert "does not pickle" not in sequence.advice and "set_start_method('spawn')" in sequence.advice
    # ... and the report's spawn rewrite is offered for the Sequence only
    assert generator.advice_kinds == () and sequence.advice_kinds == ("spawn-context",)
    kinds = [[a.kind for a in advise(SiteInput(f.location, [f]))] for f in (generator, sequence)]
    assert kinds == [[], ["spawn-context"]]


def test_tfp202_tensorflow_two_project_imports_away(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"models.py": "import tensorflow as tf\nNET = tf.keras.Sequential()\n",
             "helpers.py": "from models import NET\n\ndef head():\n    return NET\n"}
    header = "import multiprocessing\nfrom helpers import head\n\n"
    pool = "pool = multiprocessing.Pool(2)\n"
    assert codes_at(tmp_path, monkeypatch, pool, header, files) == [("TFP202", 4)]
    files["helpers.py"] = "def head():\n    return None\n"  # no TensorFlow on the way any more
    assert codes_at(tmp_path, monkeypatch, pool, header, files) == []


# ------------------------------------------------------------------------------------------- TFP201
MODEL = "teacher = tf.keras.models.load_model('t.keras')\n\ndef label(x):\n    return teacher(x[None])[0]\n\n"


@pytest.mark.parametrize(("npc", "expected"), [
    ("tf.data.AUTOTUNE", [("TFP201", 11)]),
    ("2", [("TFP201", 11)]),
    ("1", []),  # sequential: one call in flight cannot starve the pools
    ("params['npc']", []),  # unknown parallelism: silent (settled reading 5)
])
def test_tfp201_needs_parallel_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, npc: str,
                                     expected: list[tuple[str, int]]) -> None:
    source = MODEL + "ds = tf.data.Dataset.range(8).map(\n" \
        f"    lambda x: tf.numpy_function(label, [x], tf.float32), num_parallel_calls={npc})\n"
    assert codes_at(tmp_path, monkeypatch, "params = {}\n" + source) == expected


def test_tfp201_project_subclass_of_keras_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = ("class Head(tf.keras.Model):\n    def call(self, x):\n        return x\n\nHEAD = Head()\n\n"
              "def score(x):\n    return HEAD(x).numpy()\n\n"
              "ds = tf.data.Dataset.range(8).map(lambda x: tf.py_function(score, [x], tf.float32),\n"
              "                                  num_parallel_calls=4)\n")
    assert codes_at(tmp_path, monkeypatch, source) == [("TFP201", 14)]


def test_tfp201_other_methods_of_a_model_are_not_runtime_calls(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    source = MODEL.replace("teacher(x[None])[0]", "len(teacher.get_weights()) + x") + \
        "ds = tf.data.Dataset.range(8).map(\n" \
        "    lambda x: tf.numpy_function(label, [x], tf.int64), num_parallel_calls=4)\n"
    assert codes_at(tmp_path, monkeypatch, source) == []


# ------------------------------------------------------------------------------------------- TFP106
PYDATASET = ("import keras\n\nclass Rows(keras.utils.PyDataset):\n"
             "    def __len__(self):\n        return 4\n\n"
             "    def __getitem__(self, i):\n        out = []\n        for k in range(1000):\n"
             "            out.append(str(k * i).zfill(8))\n        return out\n\n")


@pytest.mark.parametrize(("call", "expected"), [
    ("Rows(workers=4)", [("TFP106", 18)]),
    ("Rows(workers=1)", []),
    ("Rows(workers=n)", []),  # a count the analyzer cannot read: silent
    ("Rows(workers=4, use_multiprocessing=True)", [("TFP202", 18)]),  # processes are TFP202's business
    ("Rows(workers=1, use_multiprocessing=True)", [("TFP202", 18)]),  # one worker process forks
    ("Rows(workers=0, use_multiprocessing=True)", []),  # no worker: Keras calls `__getitem__` itself
    ("Rows(workers=0)", []),
])
def test_tfp106_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str,
                        expected: list[tuple[str, int]]) -> None:
    source = f"n = int(input())\ndata = {call}\n"
    assert codes_at(tmp_path, monkeypatch, source, HEADER + PYDATASET) == expected


# ------------------------------------------------------------------------------------------- needs
def test_rules_declare_their_needs_and_the_prefilter_reads_them(tmp_path: Path) -> None:
    pool = tmp_path / "pool.py"
    pool.write_text("import tensorflow as tf\nimport multiprocessing\nP = multiprocessing.Pool(2)\n")
    dataset_rules = [r for r in ALL_RULES if r.code in ("TFP101", "TFP102")]

    def keeps(rules: list[Any]) -> bool:
        prefilter = Prefilter(module_file_resolver(tmp_path), lambda p: p.read_bytes(),
                              site_methods_for(rules))
        return prefilter.candidates([pool], {pool: pool.read_bytes()})[0]

    assert not keeps(dataset_rules)  # no dataset site: nothing for TFP1xx
    assert keeps([*dataset_rules, RULES_BY_CODE["TFP202"]])
    tokens = site_methods_for([RULES_BY_CODE["TFP202"], RULES_BY_CODE["TFP106"]])
    assert {"Pool(", "ProcessPoolExecutor(", "use_multiprocessing=", "workers="} <= tokens
    # a keyword named only in a docstring is not a site; as a keyword argument it is
    in_text, in_code = b'"""use_multiprocessing=True"""', b"f(use_multiprocessing=True)"
    assert without_code_sites(tokens, in_text, in_code) == (0,)


# ------------------------------------------------------------------------------------------- hang
DUMP = (FIXTURES / "probe" / "tfp2xx" / "hang_dump_tf221.txt").read_text(encoding="utf-8")


def test_a_dump_with_callbacks_inside_a_tf_function_is_the_tfp201_hang() -> None:
    found = hang.diagnose(DUMP)
    assert len(found) == 2
    assert {f.callback.name for f in found} == {"body"}
    assert found[0].runtime.name == "__call__" and "polymorphic_function" in found[0].runtime.path
    text = hang.message(found)
    assert "TFP201" in text and "`body` (/home/user/project/pipeline.py:17)" in text


def test_callbacks_that_wait_in_python_and_the_main_thread_are_not() -> None:
    # The same dump without the two threads that called back into TensorFlow: the callbacks sleep in Python.
    blocks = DUMP.split("\n\n")
    rest = "\n\n".join(b for b in blocks if "hangdemo" not in b and "body" not in b)
    assert "sleeper" in rest and hang.diagnose(rest) == []


# ------------------------------------------------------------------------------------------- PyDataset probe
def lv(level: str, rate: float, cpu: float = 1.0, gil: float = 0.1, other: float = 0.0) -> LevelResult:
    return LevelResult(level=level, parallelism=int(level.split(":")[1]), elements_per_second=rate,
                       spread=0.0, cpu_cores=cpu, gil_contention=gil, other_cpu_cores=other, repeats=1)


def test_threads_flat_processes_faster_is_gil_bound_and_recommends_spawn() -> None:
    levels = [lv("threads:1", 100), lv("threads:2", 104, gil=0.8), lv("spawn:2", 185, 1.9)]
    judged = pydataset.judge(levels, 2)
    assert judged.verdict is Verdict.GIL_BOUND and judged.best.level == "spawn:2"
    assert "set_start_method('spawn')" in pydataset.recommendation(judged)


def test_threads_that_scale_recommend_the_fewest_workers_near_the_best() -> None:
    judged = pydataset.judge([lv("threads:1", 100), lv("threads:2", 170, 1.7), lv("threads:4", 175, 1.8),
                              lv("spawn:2", 150)], 4)
    assert judged.verdict is Verdict.SCALES and judged.best.level == "threads:2"


def test_a_busy_machine_is_inconclusive_and_recommends_nothing() -> None:
    judged = pydataset.judge([lv("threads:1", 100, other=1.6), lv("threads:2", 150)], 2)
    assert judged.verdict is Verdict.INCONCLUSIVE
    assert pydataset.recommendation(judged).startswith("none")


def test_settings_cover_threads_and_spawned_workers() -> None:
    assert [s.level for s in pydataset.settings_for(4)] == ["threads:1", "threads:2", "threads:4", "spawn:2",
                                                            "spawn:4"]


# ------------------------------------------------------------------------------------------- rewrites
TOKENS = ("def encode(key):\n    total = 0\n    for i in range(int(key)):\n        total += i\n"
          "    return [total]\n")
PIPELINE = ("import tensorflow as tf\n\nfrom tokens import encode\n\n\ndef _tokens(key):\n"
            "    return tf.py_function(encode, [key], tf.int64)\n\n\n"
            "def make(ds):\n    return ds.map(_tokens, num_parallel_calls=tf.data.AUTOTUNE)\n")


def _loc(path: Path, line: int) -> Location:
    return Location(str(path), line, 12, line, 15)


@pytest.mark.parametrize("code", ["TFP102", "TFP104"])
def test_every_generated_multiprocessing_rewrite_is_spawn_or_forkserver(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    pipeline, tokens = tmp_path / "pipeline.py", tmp_path / "tokens.py"
    pipeline.write_text(PIPELINE, encoding="utf-8")
    tokens.write_text(TOKENS, encoding="utf-8")
    found = Finding(code=code, name="x", message="m", location=_loc(pipeline, 11), severity=Severity.WARNING,
                    call_site=_loc(pipeline, 11), function=f"{tokens}:encode",
                    related=(Related(_loc(pipeline, 7), "tf.py_function runs Python per element here"),),
                    classification=Classification(BodyClass.CPU, "encode"),
                    advice_kinds=("multiprocessing",))
    rewrites = [a for a in advise(SiteInput(found.location, [found])) if a.kind == "multiprocessing"]
    assert rewrites, "no multiprocessing advice to check"
    for advice in rewrites:
        assert "get_context(" in advice.code and "fork\"" not in advice.code.replace("forkserver\"", "")
        # The rewrite pasted into a module that imports TensorFlow must not be what TFP202 warns about.
        monkeypatch.chdir(tmp_path)
        (tmp_path / "rewritten.py").write_text("import tensorflow as tf\n" + advice.code, encoding="utf-8")
        findings = run_check([Path("rewritten.py")], CheckSettings(rules=(RULES_BY_CODE["TFP202"],))).findings
        assert findings == [], [f.message for f in findings]


@pytest.mark.parametrize("code", ["TFP202", "TFP106", "TFP201"])
def test_use_instead_never_forks(code: str) -> None:
    text = RULES_BY_CODE[code].doc.use_instead
    assert "Pool(" not in text or "get_context('spawn')" in text or "get_context('forkserver')" in text


@pytest.mark.parametrize("code", ["TFP106", "TFP201", "TFP202"])
def test_the_advisor_gives_each_rule_its_advice_and_no_block_forks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    source = {"TFP106": PYDATASET + "data = Rows(workers=4)\n",
              "TFP201": MODEL + "ds = tf.data.Dataset.range(8).map(\n"
                                "    lambda x: tf.numpy_function(label, [x], tf.float32),\n"
                                "    num_parallel_calls=4)\n",
              "TFP202": "pool = multiprocessing.Pool(2)\n"}[code]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text(HEADER + source, encoding="utf-8")
    found = [f for f in run_check([Path("m.py")], CheckSettings(rules=ALL_RULES)).findings if f.code == code]
    assert found
    advice = advise(SiteInput(found[0].call_site or found[0].location, found))
    kinds = {a.kind for a in advice}
    assert set(found[0].advice_kinds) - {"tf-native"} <= kinds
    for block in (a.code for a in advice if a.code):
        (tmp_path / "advice.py").write_text("import tensorflow as tf\n" + block, encoding="utf-8")
        assert run_check([Path("advice.py")], CheckSettings(rules=(RULES_BY_CODE["TFP202"],))).findings == []


def test_tfp202_target_python_314_defaults_to_forkserver(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from tfpar_doctor.config import Layer, resolve_settings

    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text(HEADER + "a = multiprocessing.Pool(2)\n"
                                   "b = multiprocessing.get_context('fork').Pool(2)\n", encoding="utf-8")
    config = '[tool.tfpar-doctor]\ntarget-python = "3.14"\n'
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    settings = resolve_settings(Layer(), [Path("m.py")])
    assert settings.target_python == (3, 14)
    found = run_check([Path("m.py")], settings).findings
    assert sorted((f.code, f.location.line) for f in found if f.code == "TFP202") == [("TFP202", 6)]
