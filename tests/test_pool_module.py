"""The generated process-pool module without TensorFlow: its source (names, structure, the exit hook) and
its pool called from plain Python in a child process, compared with the user's function called directly."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tfpar_doctor.advice.multiprocess import advise, unpoolable_reason
from tfpar_doctor.advice.pool_apply import rewrites_for
from tfpar_doctor.model import Finding, Location, Severity

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
    assert rewrite.function in imported
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
