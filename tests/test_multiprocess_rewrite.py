"""The process-pool rewrite runs: generated for fixture pipelines, applied to a copy, and compared with the
original pipeline's outputs (TensorFlow in a subprocess, a few elements; skipped without TensorFlow)."""

from __future__ import annotations

import importlib.util
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tfpar_doctor.advice.pool_apply import apply_rewrites, rewrites_for

FIXTURES = Path(__file__).parent.parent / "fixtures"
HAS_TF = importlib.util.find_spec("tensorflow") is not None

# One TensorFlow process for every pipeline, as written and rewritten (a TensorFlow start is most of the
# test's time): each pipeline module is loaded from its own directory under its own name, and its first
# elements are pickled as NumPy values. Every directory is on sys.path before a pool starts, so that the
# spawned workers can import the pool modules.
RUNNER = '''
import importlib.util
import pickle
import sys

PIPELINES = {pipelines!r}


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    # imported here, not at the top: the forkserver imports this module, and need not import TensorFlow
    import tensorflow as tf

    sys.path[:0] = sorted({{directory for directory, _, _, _ in PIPELINES.values()}})
    out = {{}}
    for name, (directory, file, call, count) in PIPELINES.items():
        module = load(name, f"{{directory}}/{{file}}")
        ds = eval(call, {{"m": module}})
        out[name] = [tf.nest.map_structure(lambda t: t.numpy(), e) for e in ds.take(count)]
    with open(sys.argv[1], "wb") as f:
        pickle.dump(out, f)


if __name__ == "__main__":
    main()
'''


def run(directory: Path, pipelines: dict[str, tuple[str, str, str, int]]) -> dict[str, list[object]]:
    """{name: first elements} of each pipeline (directory, file, expression over `m` its module, count)."""
    runner = directory / "run_pipelines.py"
    runner.write_text(RUNNER.format(pipelines=pipelines))
    out = directory / "out.pickle"
    done = subprocess.run([sys.executable, str(runner), str(out)], cwd=directory, capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    with out.open("rb") as f:
        return dict(pickle.load(f))


def assert_same(original: object, rewritten: object) -> None:
    if isinstance(original, (tuple, list)):
        assert isinstance(rewritten, (tuple, list)) and len(original) == len(rewritten)
        for a, b in zip(original, rewritten, strict=True):
            assert_same(a, b)
        return
    a, b = np.asarray(original), np.asarray(rewritten)
    assert a.dtype == b.dtype and a.shape == b.shape
    if a.dtype.kind == "f":
        np.testing.assert_allclose(a, b, rtol=1e-6)
    else:
        np.testing.assert_array_equal(a, b)


def copy_fixture(tmp_path: Path, *files: Path) -> Path:
    for file in files:
        shutil.copy(file, tmp_path / file.name)
    return tmp_path


CASES = {
    "py_function-gil-bound": (("probe/gil_bound.py", "probe/text_features.py"), "gil_bound",
                              "gil_bound.make_dataset(6)", 6, 1),
    "py_function-calls-numpy-and-numpy_function": (
        ("probe/pool_shapes/pipeline.py", "probe/pool_shapes/words.py"), "pipeline",
        "pipeline.make_dataset(8)", 8, 2),
    "lambdas-lifted-into-the-pool-module": (
        ("probe/pool_shapes/lambdas.py", "probe/pool_shapes/words.py"), "lambdas",
        "lambdas.make_dataset(8)", 8, 2),
    "podcast-three-wrappers": (
        ("reports/podcast_pipeline/pipeline.py", "reports/podcast_pipeline/fetch.py",
         "reports/podcast_pipeline/features.py", "reports/podcast_pipeline/text.py"), "pipeline",
        # its last map draws random gains: compare the three Python stages
        "tf.data.Dataset.range(3).map(pipeline._load).map(pipeline._features).map(pipeline._tokens)", 3, 3),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_rewritten_module_and_edits_are_complete(case: str, tmp_path: Path) -> None:
    files, _, _, _, sites = CASES[case]
    directory = copy_fixture(tmp_path, *(FIXTURES / f for f in files))
    pipeline = directory / Path(files[0]).name
    rewrites = rewrites_for(pipeline)
    assert len(rewrites) == sites
    for rewrite in rewrites:
        compile(rewrite.module_text, rewrite.module, "exec")
        assert "import tensorflow" not in rewrite.module_text  # workers import this module
        assert any(rewrite.import_line.split()[-1] in e.after for e in rewrite.edits)
    apply_rewrites(rewrites, pipeline)
    compile(pipeline.read_text(), str(pipeline), "exec")


def test_numpy_function_bodies_get_plain_values_and_py_function_bodies_numpy() -> None:
    rewrites = {r.module: r for r in rewrites_for(FIXTURES / "probe/pool_shapes/pipeline.py")}
    assert rewrites["word_ids_pool"].eager and "_as_eager" in rewrites["word_ids_pool"].module_text
    assert not rewrites["word_stats_pool"].eager
    assert "apply(word_stats, args)" in rewrites["word_stats_pool"].module_text


@pytest.mark.skipif(not HAS_TF, reason="needs tensorflow (the probe extra)")
def test_the_rewritten_pipelines_give_the_original_outputs(tmp_path: Path) -> None:
    # The one live end-to-end run (one TensorFlow child): py_function bodies that call .numpy() and
    # numpy_function bodies that get bytes, named functions and lambdas lifted into the pool module. Every
    # other pool module is checked without TensorFlow in test_pool_module.py: its source, and its pool
    # against the function itself.
    pipelines: dict[str, tuple[str, str, str, int]] = {}
    for case in ("py_function-calls-numpy-and-numpy_function", "lambdas-lifted-into-the-pool-module"):
        files, module, expression, count, _ = CASES[case]
        for kind in ("original", "rewritten"):
            directory = tmp_path / f"{module}-{kind}"
            directory.mkdir()
            copy_fixture(directory, *(FIXTURES / f for f in files))
            pipeline = directory / Path(files[0]).name
            if kind == "rewritten":
                apply_rewrites(rewrites_for(pipeline), pipeline)
                assert "_in_pool" in pipeline.read_text()
            call = "m." + expression.split(".", 1)[1]
            pipelines[f"{module}_{kind}"] = (str(directory), pipeline.name, call, count)
    out = run(tmp_path, pipelines)
    for module in ("pipeline", "lambdas"):
        assert len(out[f"{module}_original"]) == 8
        assert_same(out[f"{module}_original"], out[f"{module}_rewritten"])
