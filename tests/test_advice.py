"""The advisor: rewrite table sanity, tf-native rewrites, multiprocessing and pipeline advice.

Findings are built by hand here (the analyzer has its own tests), pointing at small source files written
to a temporary directory, so each test says exactly which input gives which advice.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest

from tfpar_doctor.advice.advisor import SiteInput, advise
from tfpar_doctor.advice.edits import set_keywords
from tfpar_doctor.advice.source import load_function
from tfpar_doctor.advice.tf_native import code_block, complement, lookup, plan
from tfpar_doctor.knowledge.rewrites import ADVICE_TITLES, TF_NATIVE
from tfpar_doctor.model import (
    BodyClass,
    Classification,
    Finding,
    LevelResult,
    Location,
    ProbeSite,
    Related,
    Severity,
    SiteResult,
    Verdict,
)

PLACEHOLDER = re.compile(r"\{([a-z_]+|\d+)\}")


def write(tmp_path: Path, name: str, source: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    return str(path)


def loc(path: str, line: int, column: int = 1) -> Location:
    return Location(path, line, column, line, column + 2)


def level(name: str, eps: float, cpu: float = 1.0, parallelism: int | None = None) -> LevelResult:
    return LevelResult(level=name, parallelism=parallelism, elements_per_second=eps, spread=0.02,
                       cpu_cores=cpu, gil_contention=0.1, other_cpu_cores=0.0, repeats=3)


# ------------------------------------------------------------------------------------- the table


@pytest.mark.parametrize("key", sorted(TF_NATIVE))
def test_every_template_is_a_python_expression(key: str) -> None:
    rewrite = TF_NATIVE[key]
    for template in filter(None, (rewrite.template, rewrite.from_bytes, rewrite.with_dtype)):
        filled = PLACEHOLDER.sub(lambda m: "x" if m.group(1) != "not_pattern" else "'[^a]+'", template)
        ast.parse(filled, mode="eval")
    ast.parse(rewrite.example, mode="eval")
    assert rewrite.category in {"image", "audio", "file", "string", "parse", "math", "random"}


def test_every_tf_native_replacement_names_a_tensorflow_api() -> None:
    for key, rewrite in TF_NATIVE.items():
        if rewrite.template in ("{self}", "{0}") or "_table.lookup" in rewrite.template:
            continue  # the call disappears (TensorFlow takes the value as it is) or uses a table built once
        assert "tf." in rewrite.template, key


def test_lookup_prefers_the_exact_key_then_the_longest_module_prefix() -> None:
    assert lookup("numpy.fft.rfft") is TF_NATIVE["numpy.fft.rfft"]
    assert lookup("numpy.random.permutation") is TF_NATIVE["numpy."]  # plan() draws random calls first
    assert lookup("numpy.cumsum") is TF_NATIVE["numpy."]
    assert lookup("pandas.read_csv") is None


def test_complement_of_a_single_character_class() -> None:
    assert complement('r"[a-z\']+"') == repr("[^a-z']+")
    assert complement('r"\\w+"') is None
    assert complement("WORDS") is None


def test_every_advice_kind_a_rule_can_ask_for_has_a_title() -> None:
    from tfpar_doctor.knowledge.advice_kinds import AdviceKind
    from tfpar_doctor.rules import ALL_RULES

    asked = {kind.value for rule in ALL_RULES for kind in rule.advice}
    assert asked, "no rule declares advice"
    assert asked <= set(ADVICE_TITLES)
    assert {kind.value for kind in AdviceKind} == set(ADVICE_TITLES)


# ------------------------------------------------------------------------------ tf-native rewrite

IMAGE_BODY = """
import io

import numpy as np
from PIL import Image

SIZE = (224, 160)


def decode(raw):
    img = Image.open(io.BytesIO(raw))
    img = img.convert("RGB").resize(SIZE)
    img = img.transpose(Image.FLIP_LEFT_RIGHT)
    return np.asarray(img, dtype=np.float32) / 255.0


def load_from_disk(path):
    with Image.open(path.decode()) as img:
        return np.asarray(img)
"""


def test_pil_decode_resize_flip_become_tf_image_ops(tmp_path: Path) -> None:
    path = write(tmp_path, "images.py", IMAGE_BODY)
    source = load_function(f"{path}:decode")
    assert source is not None and not source.module_imports_tensorflow
    native = plan(source)
    text = {r.line: r.tensorflow for r in native.replacements}
    assert text[10] == "img = tf.io.decode_image(raw, channels=3, expand_animations=False)"
    assert text[11] == "img = tf.image.resize(img, SIZE[::-1])"
    assert text[12] == "img = tf.image.flip_left_right(img)"
    assert text[13] == "return tf.cast(img, np.float32) / 255.0"  # dtype= on a tensor is a cast
    assert not native.unknown
    notes = " ".join(r.note for r in native.replacements)
    assert "(width, height)" in notes  # the argument-order trap is spelled out


def test_a_path_argument_is_read_before_decoding(tmp_path: Path) -> None:
    path = write(tmp_path, "images.py", IMAGE_BODY)
    source = load_function(f"{path}:load_from_disk")
    assert source is not None
    native = plan(source)
    assert any("tf.io.decode_image(tf.io.read_file(path)" in r.tensorflow for r in native.replacements)


def test_numpy_fft_spectrogram_becomes_tf_signal(tmp_path: Path) -> None:
    path = write(tmp_path, "audio.py", """
        import numpy as np
        import scipy.signal

        def features(wave):
            window = np.hanning(400)
            spectrum = np.abs(np.fft.rfft(wave * window))
            _, _, spec = scipy.signal.stft(wave)
            return np.log(spectrum + 1e-6)
    """)
    source = load_function(f"{path}:features")
    assert source is not None
    rewritten = "\n".join(r.tensorflow for r in plan(source).replacements)
    assert "tf.signal.hann_window(400, periodic=False)" in rewritten
    assert "tf.math.abs(tf.signal.rfft(wave * window))" in rewritten
    assert "tf.signal.stft(wave" in rewritten
    assert "tf.math.log(spectrum + 1e-06)" in rewritten


def test_regex_lower_split_and_vocabulary_become_tf_strings_and_a_lookup_table(tmp_path: Path) -> None:
    path = write(tmp_path, "text.py", """
        import re

        WORD = re.compile(r"[a-z]+")
        VOCAB = {"the": 1}

        def tokenize(line):
            text = line.decode("utf-8").lower()
            text = re.sub(r"<br />", " ", text)
            ids = []
            for word in WORD.findall(text):
                ids.append(VOCAB.get(word, 0))
            return ids
    """)
    source = load_function(f"{path}:tokenize")
    assert source is not None
    native = plan(source)
    rewritten = {r.line: r.tensorflow for r in native.replacements}
    assert rewritten[7] == "text = tf.strings.lower(line)"
    assert rewritten[8] == "text = tf.strings.regex_replace(text, '<br />', ' ')"
    assert rewritten[10] == "tf.strings.split(tf.strings.regex_replace(text, '[^a-z]+', ' '))"
    assert "VOCAB_table.lookup(word)" in rewritten[11]
    notes = " ".join(r.note for r in native.replacements)
    assert "tf.lookup.KeyValueTensorInitializer(list(VOCAB.keys())" in notes
    assert source.loops == [10]
    block = code_block(source, native)
    assert "Python loops over the element's data (line 10)" in block


def test_json_csv_and_np_load_have_parsing_ops(tmp_path: Path) -> None:
    path = write(tmp_path, "parse.py", """
        import csv
        import json

        import numpy as np

        def parse(line, path):
            record = json.loads(line)
            rows = csv.reader([line])
            array = np.load(path)
            return record, rows, array
    """)
    source = load_function(f"{path}:parse")
    assert source is not None
    rewritten = "\n".join(r.tensorflow for r in plan(source).replacements)
    assert "tf.io.decode_json_example(line)" in rewritten
    assert "tf.io.decode_csv([line]" in rewritten
    assert "tf.io.parse_tensor(tf.io.read_file(path)" in rewritten


def test_unrecognised_work_is_listed_not_guessed(tmp_path: Path) -> None:
    path = write(tmp_path, "mystery.py", """
        import numpy as np
        import somelib

        def work(x):
            y = somelib.transform(x)
            return np.sqrt(y)
    """)
    source = load_function(f"{path}:work")
    assert source is not None
    native = plan(source)
    assert [c.key for c in native.unknown] == ["somelib.transform"]
    assert "#   mystery.py:5  somelib.transform(x)" in code_block(source, native)


def test_helpers_of_the_same_module_and_methods_are_followed(tmp_path: Path) -> None:
    path = write(tmp_path, "loader.py", """
        import numpy as np

        def _scale(x):
            return np.clip(x, 0, 1)

        class Loader:
            def _py(self, x):
                return self._norm(_scale(x))

            def _norm(self, x):
                return np.tanh(x)
    """)
    source = load_function(f"{path}:Loader._py")
    assert source is not None
    assert {c.key for c in source.calls} >= {"numpy.clip", "numpy.tanh"}


def test_unreadable_function_gives_no_source(tmp_path: Path) -> None:
    assert load_function(f"{tmp_path}/missing.py:f") is None
    bad = write(tmp_path, "bad.py", "def f(:\n")
    assert load_function(f"{bad}:f") is None
    good = write(tmp_path, "good.py", "def f():\n    pass\n")
    assert load_function(f"{good}:g") is None


# ------------------------------------------------------------------------------ site advice

PIPELINE = """
import tensorflow as tf

from tokens import encode


def _tokens(key):
    return tf.py_function(encode, [key], tf.int64)


def make(ds):
    ds = ds.map(_tokens, tf.data.AUTOTUNE)
    ds = ds.map(lambda x: x * 2)
    ds = ds.cache()
    return ds
"""
TOKENS = """
def encode(key):
    total = 0
    for i in range(int(key)):
        total += i
    return [total]
"""


def gil_finding(pipeline: str, tokens: str) -> Finding:
    return Finding(
        code="TFP102", name="gil-bound-parallel-map", message="`encode` runs per element under the GIL",
        location=loc(pipeline, 11, 13), severity=Severity.WARNING, call_site=loc(pipeline, 11, 13),
        function=f"{tokens}:encode",
        related=(Related(loc(pipeline, 7, 12), "tf.py_function runs Python per element here"),),
        classification=Classification(BodyClass.CPU, "encode"),
        advice_kinds=("tf-native", "multiprocessing"),
    )


def probe_result(pipeline: str, verdict: Verdict, **extra: object) -> SiteResult:
    site = ProbeSite(path=pipeline, line=11, method="map", function="_tokens",
                     original_parallelism="autotune",
                     runs_python=True)
    return SiteResult(site=site, verdict=verdict, confidence=0.9, reasons=("flat",),
                      pipeline=[level("1", 50.0, 1.0, 1), level("2", 51.0, 1.0, 2)], **extra)  # type: ignore[arg-type]


def test_multiprocessing_advice_uses_the_users_names_and_the_measured_speedup(tmp_path: Path) -> None:
    pipeline = write(tmp_path, "pipeline.py", PIPELINE)
    tokens = write(tmp_path, "tokens.py", TOKENS)
    result = probe_result(pipeline, Verdict.GIL_BOUND, multiprocessing_speedup=1.87, multiprocessing={
        "workers": 2, "serial_seconds_per_element": 0.0185, "pool_seconds_per_element": 0.0099,
        "worker_startup_seconds": 0.21, "module_imports_tensorflow": False})
    advice = advise(SiteInput(loc(pipeline, 11, 13), [gil_finding(pipeline, tokens)], result, cores=2))
    pool = next(a for a in advice if a.kind == "multiprocessing")
    assert "from tokens import encode" in pool.code
    assert "def encode_in_pool(*args):" in pool.code
    assert "return tf.py_function(encode_in_pool, [key], tf.int64)" in pool.code
    # the map's AUTOTUNE already gives every worker a call: it stays as written
    assert "num_parallel_calls" not in pool.code.split("# pipeline.py")[-1]
    assert "use_unbounded_threadpool" not in pool.code
    assert '"forkserver"' in pool.code and '"spawn"' in pool.code
    assert 'if __name__ == "__main__":' in pool.code
    assert pool.measured_speedup is None  # the function alone is not the rewritten pipeline's number
    assert pool.measured.startswith("estimate from") and "2-process pool ran 1.87x" in pool.measured
    assert "18.5 ms -> 9.9 ms" in pool.measured
    assert any("does not import TensorFlow" in n for n in pool.notes)
    helper_module = pool.code.split("\n# pipeline.py")[0]
    compile(helper_module, "<advice>", "exec")  # the pool helper is valid Python as printed
    assert all(a.site == loc(pipeline, 11, 13) for a in advice)


def test_without_a_probe_the_multiprocessing_advice_quotes_the_reference_measurement(tmp_path: Path) -> None:
    pipeline = write(tmp_path, "pipeline.py", PIPELINE)
    tokens = write(tmp_path, "tokens.py", "import tensorflow as tf\n" + TOKENS)
    advice = advise(SiteInput(loc(pipeline, 11, 13), [gil_finding(pipeline, tokens)]))
    pool = next(a for a in advice if a.kind == "multiprocessing")
    assert pool.measured_speedup is None
    assert "1.84-1.93x" in pool.summary and "tfpar-doctor probe" in pool.summary
    assert any("imports TensorFlow" in n and "3.6 s" in n for n in pool.notes)


def test_a_gil_bound_verdict_adds_process_advice_and_drops_more_parallel_calls(tmp_path: Path) -> None:
    pipeline = write(tmp_path, "pipeline.py", PIPELINE)
    tokens = write(tmp_path, "tokens.py", TOKENS)
    found = gil_finding(pipeline, tokens)
    unknown = Finding(
        code="TFP101", name="python-in-map", message="m", location=found.location, severity=Severity.WARNING,
        call_site=found.call_site, function=found.function, related=found.related,
        classification=Classification(BodyClass.IO, "encode"), advice_kinds=("tf-native",))
    sequential = Finding(code="TFP105", name="sequential-stateful-map", message="m", location=found.location,
                         severity=Severity.WARNING, call_site=found.call_site,
                         advice_kinds=("add-parallelism",))
    static_only = [a.kind for a in advise(SiteInput(found.location, [unknown, sequential]))]
    assert "multiprocessing" not in static_only and "add-parallelism" in static_only
    gil_bound = probe_result(pipeline, Verdict.GIL_BOUND)
    measured = advise(SiteInput(found.location, [unknown, sequential], gil_bound))
    kinds = [a.kind for a in measured]
    assert "multiprocessing" in kinds and "add-parallelism" not in kinds


def test_thread_pool_advice_edits_the_map_and_reports_the_private_pool_measurement(tmp_path: Path) -> None:
    pipeline = write(tmp_path, "pipeline.py", PIPELINE)
    result = probe_result(pipeline, Verdict.THREADPOOL_CAPPED)
    result.pipeline.append(level("private:16", 640.0, 0.3, 16))
    advice = advise(SiteInput(loc(pipeline, 11, 13), [], result, cores=2))
    pool = next(a for a in advice if a.kind == "thread-pool")
    assert "ds = ds.map(_tokens, num_parallel_calls=16, use_unbounded_threadpool=True)" in pool.code
    assert "options.threading.private_threadpool_size = 16" in pool.code
    assert "ds = ds.with_options(options)" in pool.code
    assert pool.measured_speedup == pytest.approx(640.0 / 50.0)
    assert "max_intra_op_parallelism" in pool.summary  # what does not help is said too


def test_move_cache_puts_the_cache_before_the_random_map(tmp_path: Path) -> None:
    pipeline = write(tmp_path, "pipeline.py", PIPELINE)
    found = Finding(code="TFP005", name="cache-after-random-map", message="m", location=loc(pipeline, 13, 13),
                    severity=Severity.ERROR, call_site=loc(pipeline, 12, 13), advice_kinds=("move-cache",))
    advice = advise(SiteInput(loc(pipeline, 12, 13), [found]))
    assert [a.kind for a in advice] == ["move-cache"]
    lines = advice[0].code.splitlines()
    assert [x for x in lines if not x.startswith("#")] == ["ds = ds.cache()", "ds = ds.map(lambda x: x * 2)"]
    assert "# was: ds = ds.map(lambda x: x * 2)" in lines and "# was: ds = ds.cache()" in lines


def test_trace_time_randomness_and_unrolled_loops_get_their_replacements(tmp_path: Path) -> None:
    path = write(tmp_path, "aug.py", """
        import numpy as np
        import tensorflow as tf

        def augment(x):
            gain = np.random.uniform(0.8, 1.2)
            for i in range(100):
                x = x + 1
            return x * gain
    """)
    random_finding = Finding(code="TFP002", name="trace-time-randomness", message="m",
                             location=loc(path, 5, 12),
                             severity=Severity.ERROR, function=f"{path}:augment", advice_kinds=("tf-random",))
    loop_finding = Finding(code="TFP004", name="unrolled-python-loop", message="m", location=loc(path, 6, 5),
                           severity=Severity.WARNING, function=f"{path}:augment", advice_kinds=("tf-range",))
    advice = {a.kind: a for a in advise(SiteInput(loc(path, 5, 12), [random_finding, loop_finding]))}
    assert "tf.random.uniform([], minval=0.8, maxval=1.2)" in advice["tf-random"].code
    assert "for i in tf.range(100):" in advice["tf-range"].code


def test_service_advice_explains_why_python_callbacks_cannot_be_distributed(tmp_path: Path) -> None:
    pipeline = write(tmp_path, "pipeline.py", PIPELINE)
    found = Finding(code="TFP301", name="service-incompatible-pipeline", message="m",
                    location=loc(pipeline, 11),
                    severity=Severity.ERROR, advice_kinds=("tf-native", "data-service"))
    advice = advise(SiteInput(loc(pipeline, 11), [found]))
    service = next(a for a in advice if a.kind == "data-service")
    assert "pyfunc_0" in service.summary and "tf-native first" in service.summary
    assert "tf.data.experimental.service.distribute" in service.code


def test_a_saturating_tf_native_stage_is_offered_the_service(tmp_path: Path) -> None:
    pipeline = write(tmp_path, "pipeline.py", PIPELINE)
    site = ProbeSite(path=pipeline, line=12, method="map", function="<lambda>", original_parallelism=None,
                     runs_python=False)
    result = SiteResult(site=site, verdict=Verdict.SCALES, confidence=0.9, reasons=(), best_level="2",
                        best_speedup=1.9, pipeline=[level("1", 100, 1.0, 1), level("2", 190, 1.95, 2)])
    kinds = [a.kind for a in advise(SiteInput(loc(pipeline, 12, 13), [], result, cores=2))]
    assert kinds == ["keep-parallelism", "data-service"]


def test_set_keywords_replaces_a_positional_num_parallel_calls(tmp_path: Path) -> None:
    pipeline = write(tmp_path, "pipeline.py", PIPELINE)
    edit = set_keywords(loc(pipeline, 11, 13), {"num_parallel_calls": "8"})
    assert edit is not None
    assert edit.before == "ds = ds.map(_tokens, tf.data.AUTOTUNE)"
    assert edit.after == "ds = ds.map(_tokens, num_parallel_calls=8)"
    assert edit.target == "ds"
    assert set_keywords(loc(pipeline, 3, 1), {"num_parallel_calls": "8"}) is None


def test_chained_cache_after_a_random_map_is_swapped_in_place(tmp_path: Path) -> None:
    path = write(tmp_path, "train.py", """
        def pipeline(ds):
            ds = ds.map(random_augment, num_parallel_calls=8).cache()
            return ds
    """)
    column = Path(path).read_text().splitlines()[1].index("cache") + 1
    found = Finding(code="TFP005", name="cache-after-random-map", message="m", location=loc(path, 2, column),
                    severity=Severity.ERROR, call_site=loc(path, 2, 13), advice_kinds=("move-cache",))
    (advice,) = advise(SiteInput(loc(path, 2, 13), [found]))
    assert advice.code.splitlines()[-1] == "ds = ds.cache().map(random_augment, num_parallel_calls=8)"


def test_prefetch_nondeterministic_and_logging_advice_edit_the_users_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "input.py", """
        import logging

        def make(ds):
            ds = ds.map(load, num_parallel_calls=4)
            return ds.batch(32)

        def parse(x):
            logging.info("parsing %s", x)
            return x
    """)
    prefetch = Finding(code="TFP401", name="missing-prefetch", message="m", location=loc(path, 5, 15),
                       severity=Severity.INFO, call_site=loc(path, 5, 15), advice_kinds=("prefetch",))
    order = Finding(code="TFP403", name="nondeterministic-ok", message="m", location=loc(path, 4, 13),
                    severity=Severity.INFO, call_site=loc(path, 4, 13), advice_kinds=("nondeterministic",))
    effect = Finding(code="TFP001", name="trace-time-side-effect", message="m", location=loc(path, 8, 5),
                     severity=Severity.ERROR, function=f"{path}:parse", advice_kinds=("move-side-effect",))
    (first,) = advise(SiteInput(loc(path, 5, 15), [prefetch]))
    assert first.code.splitlines()[-1] == "return ds.batch(32).prefetch(tf.data.AUTOTUNE)"
    (second,) = advise(SiteInput(loc(path, 4, 13), [order]))
    assert second.code.splitlines()[-1] == "ds = ds.map(load, num_parallel_calls=4, deterministic=False)"
    (third,) = advise(SiteInput(loc(path, 8, 5), [effect]))
    assert third.code.splitlines()[-1] == 'tf.print("parsing %s", x)'
    assert any("does not %-format" in n for n in third.notes)


def test_logging_advice_on_a_call_over_several_lines_parses(tmp_path: Path) -> None:
    # EasyRec (held-out corpus): the `# was:` comment kept the call's second line uncommented
    path = write(tmp_path, "input.py", """
        import logging

        def parse(x, name):
            logging.info('label %s by transform: %s' %
                         (x, name))
            return x
    """)
    effect = Finding(code="TFP001", name="trace-time-side-effect", message="m", location=loc(path, 4, 5),
                     severity=Severity.ERROR, function=f"{path}:parse", advice_kinds=("move-side-effect",))
    (advice,) = advise(SiteInput(loc(path, 4, 5), [effect]))
    assert "# was: logging.info('label %s by transform: %s' % (x, name))" in advice.code
    ast.parse(advice.code)


def test_a_gil_bound_site_the_analyzer_missed_gets_process_advice_from_the_probe_alone(
        tmp_path: Path) -> None:
    pipeline = write(tmp_path, "pipeline.py", PIPELINE)
    write(tmp_path, "tokens.py", TOKENS)
    result = probe_result(pipeline, Verdict.GIL_BOUND, multiprocessing_speedup=1.9,
                          multiprocessing={"workers": 2})
    advice = advise(SiteInput(loc(pipeline, 11, 13), [], result, cores=2))
    pool = next(a for a in advice if a.kind == "multiprocessing")
    assert "from tokens import encode" in pool.code
    assert "return tf.py_function(encode_in_pool, [key], tf.int64)" in pool.code
    assert pool.finding_codes == ()  # no finding asked for it: the measurement did
    assert pool.measured_speedup is None and "ran 1.90x" in pool.measured  # the function alone: an estimate


def test_the_probed_lambda_is_followed_to_its_python_function(tmp_path: Path) -> None:
    from tfpar_doctor.advice.resolve import python_body

    path = write(tmp_path, "lam.py", """
        import tensorflow as tf

        def work(x):
            return x

        ds = tf.data.Dataset.range(3).map(lambda x: tf.numpy_function(work, [x], tf.int64))
    """)
    site = ProbeSite(path=path, line=6, method="map", function="<lambda>", original_parallelism=None,
                     runs_python=True)
    body = python_body(site)
    assert body is not None and body.function_id == f"{path}:work" and body.wrapper.line == 6
    assert python_body(ProbeSite(path=f"{tmp_path}/none.py", line=1, method="map", function="f",
                                 original_parallelism=None, runs_python=True)) is None


def test_vectorise_moves_a_chained_batch_before_the_map(tmp_path: Path) -> None:
    path = write(tmp_path, "vec.py", """
        def make(ds):
            return ds.map(one_hot, num_parallel_calls=4).batch(256).prefetch(2)
    """)
    found = Finding(code="TFP402", name="map-before-batch", message="m", location=loc(path, 2, 15),
                    severity=Severity.INFO, call_site=loc(path, 2, 15), advice_kinds=("vectorise",))
    (advice,) = advise(SiteInput(loc(path, 2, 15), [found]))
    expected = "return ds.batch(256).map(one_hot, num_parallel_calls=4).prefetch(2)"
    assert advice.code.splitlines()[-1] == expected


def test_every_tensorflow_api_the_advice_names_exists() -> None:
    """No invented APIs: each `tf.…` name in the rewrite table and the advice code resolves in TensorFlow."""
    tf = pytest.importorskip("tensorflow", reason="TensorFlow (the probe extra) is not installed")
    advice_dir = Path(__file__).resolve().parent.parent / "src" / "tfpar_doctor" / "advice"
    sources = [Path(__import__("tfpar_doctor.knowledge.library_calls", fromlist=["x"]).__file__ or ""),
               *advice_dir.glob("*.py")]
    text = "".join(p.read_text(encoding="utf-8") for p in sources)
    names = {m.rstrip(".") for m in re.findall(r"\btf\.[A-Za-z_][A-Za-z0-9_.]*", text)}
    names = {n for n in names if not n.endswith("_")}  # `tf.random.stateless_*` is a family, not a name
    assert len(names) > 60
    missing = []
    for name in sorted(names):
        obj = tf
        for part in name.split(".")[1:]:
            obj = getattr(obj, part, None)
            if obj is None:
                missing.append(name)
                break
    assert missing == []
