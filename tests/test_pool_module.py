"""The generated process-pool module without TensorFlow: its source (names, structure, the exit hook) and
its pool called from plain Python in a child process, compared with the user's function called directly."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tfpar_doctor.advice.multiprocess import advise, pool_rewrite, unpoolable_reason
from tfpar_doctor.advice.pool_apply import rewrites_for
from tfpar_doctor.advice.source import code_name
from tfpar_doctor.check.run import run_check
from tfpar_doctor.model import Finding, Location, ProbeSite, Related, Severity, SiteResult, Verdict

FIXTURES = Path(__file__).parent.parent / "fixtures"

# (pipeline, its sibling modules, the pool module, arguments as the pool receives them)
CASES = {
    "checksum": ("probe/gil_bound.py", ("probe/text_features.py",), "checksum_pool", "[np.int64(12)]"),
    "fetch_clip": ("reports/podcast_pipeline/pipeline.py", ("reports/podcast_pipeline/fetch.py",),
                   "fetch_clip_pool", "[np.int64(3)]"),
    "log_spectrogram": ("reports/podcast_pipeline/pipeline.py", ("reports/podcast_pipeline/features.py",),
                        "log_spectrogram_pool", "[np.linspace(-1, 1, 4000, dtype=np.float32)]"),
    "encode_transcript": ("reports/podcast_pipeline/pipeline.py", ("reports/podcast_pipeline/text.py",),
                          "encode_transcript_pool", "[np.int64(2)]"),
    "word_ids": ("probe/pool_shapes/pipeline.py", ("probe/pool_shapes/words.py",), "word_ids_pool",
                 '[b"line 3 of the words\\x00", np.int32(8)]'),
    "word_stats": ("probe/pool_shapes/pipeline.py", ("probe/pool_shapes/words.py",), "word_stats_pool",
                   '[b"line 3 of the words\\x00", np.array([4, 5, 0], dtype=np.int64)]'),
    # lambdas, lifted into defs of the pool module: a numpy_function one that uses module-level names
    # (an import, a module of the user's, a constant) and a py_function one that calls .numpy()
    "numpy_function-lambda": ("probe/pool_shapes/lambdas.py", ("probe/pool_shapes/words.py",),
                              "map_fn_13_pool", '[b"line 3 of the words\\x00"]'),
    "py_function-lambda": ("probe/pool_shapes/lambdas.py", (), "map_fn_24_pool",
                           '[b"line 3 of the words"]'),
}

# Calls the pool and the user's function directly (with `.numpy()` values where py_function gave them),
# in a child that must not import TensorFlow, then runs the module's exit hook and calls again.
CHILD = '''
import pickle
import sys

import numpy as np

import {module} as pooled


def main():
    args = {args}
    function = pooled.{function}
    eager = getattr(pooled, "_as_eager", None)
    direct = function(*(eager(a) for a in args)) if eager else function(*args)
    got = pooled.{pooled}(*args)
    assert "tensorflow" not in sys.modules
    # the exit hook: once it ran, a late call from a tf.data thread must not start a second pool
    pooled._close_pool()
    try:
        pooled.{pooled}(*args)
        restarted = True
    except RuntimeError:
        restarted = False
    with open("out.pickle", "wb") as f:
        pickle.dump((np.asarray(direct), np.asarray(got), restarted), f)


if __name__ == "__main__":
    main()
'''


def _rewrite(case: str):
    pipeline, _, module, _ = CASES[case]
    return next(r for r in rewrites_for(FIXTURES / pipeline) if r.module == module)


@pytest.mark.parametrize("case", list(CASES))
def test_the_pool_module_parses_names_real_functions_and_closes_its_pool_at_exit(case: str) -> None:
    rewrite = _rewrite(case)
    tree = ast.parse(rewrite.module_text)
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert rewrite.pooled in functions and rewrite.pooled.isidentifier()
    assert {"_pool", "_close_pool"} <= set(functions)
    imported = {a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
    assert rewrite.function in imported or rewrite.function in functions  # a lambda is a def of the module
    imports = {a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names}
    assert "tensorflow" not in imports and "atexit" in imports
    # the hook is registered when the pool starts, so it runs before multiprocessing's own exit handler
    registered = [n for n in ast.walk(functions["_pool"]) if isinstance(n, ast.Call)
                  and ast.unparse(n) == "atexit.register(_close_pool)"]
    assert registered
    closing = {ast.unparse(n.func) for n in ast.walk(functions["_close_pool"]) if isinstance(n, ast.Call)}
    assert {"pool.terminate", "pool.join"} <= closing
    assert "get_context(method)" in rewrite.module_text and '"fork"' not in rewrite.module_text


@pytest.mark.parametrize("case", list(CASES))
def test_the_pool_gives_what_the_function_gives_called_directly(case: str, tmp_path: Path) -> None:
    import pickle

    import numpy as np

    _, siblings, _, args = CASES[case]
    rewrite = _rewrite(case)
    for sibling in siblings:
        shutil.copy(FIXTURES / sibling, tmp_path / Path(sibling).name)
    (tmp_path / f"{rewrite.module}.py").write_text(rewrite.module_text)
    child = CHILD.format(module=rewrite.module, args=args, function=rewrite.function, pooled=rewrite.pooled)
    (tmp_path / "child.py").write_text(child)
    done = subprocess.run([sys.executable, "child.py"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    with (tmp_path / "out.pickle").open("rb") as f:
        direct, got, restarted = pickle.load(f)
    assert not restarted
    assert direct.dtype == got.dtype and direct.shape == got.shape
    np.testing.assert_array_equal(direct, got)


def _finding(function: str, code: str = "TFP101") -> Finding:
    where = Location("pkg/data.py", 12, 5, 12, 40)
    return Finding(code=code, name="", message="", location=where, severity=Severity.INFO, function=function)


@pytest.mark.parametrize("function", ["pkg/data.py:lambda (line 1840)", "pkg/data.py:Loader._load"])
def test_lambdas_and_methods_get_prose_that_says_why_and_no_code(function: str) -> None:
    reason = unpoolable_reason(function)
    assert reason is not None
    advice = advise(_finding(function), None, None, None)
    assert advice is not None and advice.code == ""
    assert "cannot be moved to a process pool as written" in advice.summary and reason in advice.summary
    assert "lambda (line" not in advice.summary
    assert unpoolable_reason("pkg/data.py:checksum") is None


def test_a_lambda_generator_is_named_by_an_identifier() -> None:
    advice = advise(_finding("pkg/data.py:lambda (line 12)", "TFP104"), None, None, None)
    assert advice is not None
    tree = ast.parse(advice.code)
    names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert names == ["generator_12_in_pool"]


LAMBDAS = FIXTURES / "probe" / "pool_shapes" / "lambdas.py"


def _lambda_finding(line: int) -> Finding:
    found = [f for f in run_check([LAMBDAS]).findings
             if f.code == "TFP101" and f.function and f.function.endswith(f"lambda (line {line})")]
    assert len(found) == 1
    return found[0]


def test_a_lambda_of_module_level_names_is_pooled_as_a_def_and_replaced_in_the_pipeline() -> None:
    advice = advise(_lambda_finding(13), None, None, None)
    assert advice is not None and advice.code
    tree = ast.parse(advice.code)
    functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert "_map_fn_13" in functions and "map_fn_13_in_pool" in functions
    # the import repeated and the literal copied
    assert "import words" in advice.code and "SCALE = 3" in advice.code
    assert "from lambdas import" not in advice.code  # that module imports TensorFlow: workers must not
    assert "tf.numpy_function(map_fn_13_in_pool, [line], tf.float32)" in advice.code
    edited = advice.code.split("# lambdas.py", 1)[1]
    pipeline_lines = [t for t in edited.splitlines() if not t.startswith("#")]
    assert not any("lambda text" in t for t in pipeline_lines)  # the edited pipeline names the def


def test_a_lambda_in_the_map_statement_is_replaced_there_with_the_maps_parallelism() -> None:
    rewrite = next(r for r in rewrites_for(LAMBDAS) if r.module == "map_fn_24_pool")
    assert rewrite.eager and [e.line for e in rewrite.edits] == [23]
    after = rewrite.edits[0].after
    assert "tf.py_function(map_fn_24_in_pool, [line], tf.int64)" in after
    assert after.endswith("num_parallel_calls=tf.data.AUTOTUNE)")  # it had none: sequential


def test_a_lambda_that_closes_over_a_local_name_keeps_prose_that_names_it() -> None:
    advice = advise(_lambda_finding(26), None, None, None)
    assert advice is not None and advice.code == ""
    assert "`offset`" in advice.summary and "cannot be moved to a process pool as written" in advice.summary
    assert all(r.module != "map_fn_26_pool" for r in rewrites_for(LAMBDAS))


MAP = """
import tensorflow as tf

from words import word_stats


def _stats(line):
    return tf.numpy_function(word_stats, [line, line], tf.float32)


def make(ds):
    return ds.map(_stats{parallelism})
"""


@pytest.mark.parametrize(("parallelism", "workers", "handed_over"), [
    (", num_parallel_calls=tf.data.AUTOTUNE", None, None),
    (", tf.data.experimental.AUTOTUNE", None, None),
    (", num_parallel_calls=-1", None, None),
    (", num_parallel_calls=8", 2, None),  # at least the probe's workers: every worker gets a call
    (", num_parallel_calls=2", 4, "tf.data.AUTOTUNE"),  # fewer calls than workers
    (", num_parallel_calls=8", None, "tf.data.AUTOTUNE"),  # the user's machine's worker count is unknown
    (", num_parallel_calls=threads", None, "tf.data.AUTOTUNE"),
    ("", None, "tf.data.AUTOTUNE"),  # sequential
])
def test_the_map_keeps_the_users_parallelism_when_every_worker_gets_a_call_and_autotune_otherwise(
        tmp_path: Path, parallelism: str, workers: int | None, handed_over: str | None) -> None:
    pipeline = tmp_path / "pipeline.py"
    pipeline.write_text(MAP.format(parallelism=parallelism))
    (tmp_path / "words.py").write_text("def word_stats(line, ids):\n    return line\n")
    # built by hand: the linter reports no TFP101 on a sequential map, nor on a positional num_parallel_calls
    finding = Finding(code="TFP101", name="python-in-map", message="", severity=Severity.WARNING,
                      location=Location(str(pipeline), 12, 15, 12, 17),
                      call_site=Location(str(pipeline), 12, 15, 12, 17),
                      function=f"{tmp_path / 'words.py'}:word_stats",
                      related=(Related(Location(str(pipeline), 8, 12, 8, 66),
                                       "tf.numpy_function runs Python per element here"),))
    probe = _probe_result(str(pipeline), workers) if workers else None
    rewrite = pool_rewrite(finding, probe, 2)
    assert rewrite is not None and rewrite.parallelism == handed_over
    edits = " ".join(e.after for e in rewrite.edits)
    assert "use_unbounded_threadpool" not in edits and "WORKERS" not in edits  # measured slower
    map_edits = [e for e in rewrite.edits if ".map(" in e.after]
    if handed_over is None:
        assert map_edits == []
    else:
        assert map_edits and map_edits[0].after.endswith(f"ds.map(_stats, num_parallel_calls={handed_over})")


def _probe_result(path: str, workers: int) -> SiteResult:
    site = ProbeSite(path=path, line=12, method="map", function="_stats", original_parallelism=None,
                     runs_python=True)
    return SiteResult(site=site, verdict=Verdict.GIL_BOUND, confidence=0.9, reasons=(), pipeline=[],
                      multiprocessing_speedup=1.5, multiprocessing={"workers": workers})


def test_code_names_take_a_prefix() -> None:
    assert code_name("lambda (line 1840)", prefix="generator") == "generator_1840"
    assert code_name("<lambda>", 7, prefix="generator") == "generator_7"
    assert code_name("gen_map_fn_items", prefix="generator") == "gen_map_fn_items"  # a name stays whole


REALWORLD = Path(__file__).parent.parent / "bench" / "realworld" / "files"


def test_real_lambdas_pool_when_they_use_module_names_and_keep_prose_over_self() -> None:
    magenta = REALWORLD / "magenta__magenta" / "magenta" / "models" / "music_vae" / "data.py"
    asr = REALWORLD / "TensorSpeech__TensorFlowASR" / "tensorflow_asr" / "datasets.py"
    if not (magenta.is_file() and asr.is_file()):
        pytest.skip("bench/realworld/files is missing: python bench/realworld/rebuild.py recreates it")
    # magenta: tf.py_function(lambda x: [note_seq.midi_to_note_sequence(x.numpy()).SerializeToString()], ...)
    finding = next(f for f in run_check([magenta]).findings
                   if f.code in ("TFP101", "TFP102") and (f.function or "").endswith("lambda (line 1840)"))
    pooled = advise(finding, None, None, None)
    assert pooled is not None and pooled.code
    ast.parse(pooled.code)
    assert "import note_seq" in pooled.code and "def _map_fn_1840(x):" in pooled.code
    assert "tf.py_function(map_fn_1840_in_pool, inp=[ex['midi']]" in pooled.code
    # TensorFlowASR: tf.numpy_function(lambda path: ... sample_rate=self.sample_rate ..., ...)
    prose = advise(_finding(f"{asr}:lambda (line 480)"), None, None, None)
    assert prose is not None and prose.code == "" and "`self`" in prose.summary
