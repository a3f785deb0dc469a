"""The probe on the fixture pipelines: one per verdict. Short windows; verdicts only, never speeds.

On a machine that other work keeps busy the probe may answer `inconclusive` (that is its job): the test
then accepts it only when the probe itself says why (busy machine, poor calibration, wide spread).
"""

from __future__ import annotations

import json

import pytest

from tfpar_doctor.model import Verdict
from tfpar_doctor.probe import results, runner

from .conftest import fixture, group_alive, needs_tf

pytestmark = [needs_tf, pytest.mark.probe]

QUICK = dict(
    seconds=0.2, repeat=2, levels=["1", "2"], cores=2, multiprocessing=False, extra_rounds=0, max_rounds=3
)
UNRELIABLE = (
    "machine busy", "calibration", "spread", "repeats disagree", "other processes", "rounds disagree"
)


def probe(name: str, **kw):
    options = runner.ProbeOptions(target=fixture(name) + ":make_dataset", **{**QUICK, **kw})
    run = runner.run_probe(options)
    assert runner.LAST_CHILD_PID is not None and not group_alive(runner.LAST_CHILD_PID)
    return run


def by_line(run):
    return {s.site.line: s for s in run.sites}


def check(result, expected: Verdict):
    if result.verdict is not expected and expected is not Verdict.TRACE_TIME_ONLY:
        unreliable = any(word in r for r in result.reasons for word in UNRELIABLE)
        # `inconclusive` is the probe saying it cannot judge on this machine now: not a wrong verdict.
        if result.verdict is Verdict.INCONCLUSIVE or (unreliable and result.confidence < 0.6):
            pytest.skip(f"machine too busy to judge line {result.site.line}: {result.reasons}")
    assert result.verdict is expected, result.reasons


def test_gil_bound_with_the_process_pool_allowed():
    run = probe("gil_bound.py", multiprocessing=True, levels=["1", "2", "autotune"])
    (site,) = run.sites
    assert site.site.runs_python and site.site.python_kind == "py_function"
    assert site.site.original_parallelism == "autotune"
    assert site.site.line == 9 and site.site.path.endswith("gil_bound.py")
    if site.signature == "flat-contended":
        # decided before the pool's signature: its workers' start-up is not spent (pool_could_decide)
        assert site.multiprocessing is None and site.multiprocessing_speedup is None
        assert any("process pool not timed" in note for note in site.notes)
    elif site.multiprocessing:
        assert site.multiprocessing.get("error") is None
        assert site.multiprocessing["worker_startup_seconds"] > 0
    assert [lv.level for lv in site.pipeline] == ["1", "2", "autotune"]
    assert [lv.level for lv in site.isolated] == ["1", "2"]
    assert all(lv.gil_contention is not None for lv in site.pipeline)
    check(site, Verdict.GIL_BOUND)


def test_numpy_releases_the_gil_and_scales():
    (site,) = probe("numpy_sort.py").sites
    assert site.site.python_kind == "numpy_function"
    check(site, Verdict.SCALES)


def test_sleep_is_threadpool_capped_and_private_pool_is_measured():
    (site,) = probe("io_sleep.py").sites
    check(site, Verdict.THREADPOOL_CAPPED)
    levels = [lv.level for lv in site.pipeline]
    assert "private:16" in levels and "unbounded" in levels
    assert site.best_level in ("1", "2", "autotune")
    assert any("larger thread pool lifts the cap" in n for n in site.notes)


@pytest.fixture(scope="module")
def tf_native_cli(tmp_path_factory):
    """One probe of tf_native.py through `python -m tfpar_doctor probe --explain -o`, shared by the test of
    its verdict and the test of the printed output (each used to start its own child and TensorFlow)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}  # piped output: no 80-column wrap
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    out = tmp_path_factory.mktemp("tf_native") / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "tfpar_doctor", "probe", fixture("tf_native.py") + ":make_dataset",
         "--seconds", str(QUICK["seconds"]), "--repeat", str(QUICK["repeat"]), "--levels", "1,2",
         "--no-multiprocessing", "--extra-rounds", "0", "--max-rounds", str(QUICK["max_rounds"]),
         "--explain", "-o", str(out)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, results.load(out)


def test_tf_native_map_scales(tf_native_cli):
    _, run = tf_native_cli
    (site,) = run.sites
    assert not site.site.runs_python
    check(site, Verdict.SCALES)


def test_two_stage_pipeline():
    sites = by_line(probe("two_stage.py", repeat=1))
    assert set(sites) == {19, 20}
    # the pipeline ends in .batch(8): its throughput is batches per second, and one element is a batch
    assert sites[19].unit == "batches" and sites[19].element_bytes == 8 * 4
    assert all(lv.peak_rss_bytes for lv in sites[19].pipeline)
    assert sites[19].site.original_parallelism == "2"
    check(sites[20], Verdict.NOT_BOTTLENECK)
    check(sites[19], Verdict.GIL_BOUND)


def test_from_generator():
    sites = by_line(probe("generator.py", repeat=1))
    gen = sites[15]
    assert gen.site.method == "from_generator" and gen.site.python_kind == "generator"
    assert gen.pipeline[0].level == "as-written"
    check(gen, Verdict.GIL_BOUND)
    check(sites[16], Verdict.NOT_BOTTLENECK)


def test_trace_time_side_effects_through_the_cli(invoke, tmp_path, monkeypatch):
    """Also: a package.module target (imported from the current directory), --json and -o together."""
    monkeypatch.chdir(fixture(""))
    out = tmp_path / "results.json"
    result = invoke(
        "trace_time:make_dataset",
        "--seconds",
        "0.2",
        "--repeat",
        "1",
        "--levels",
        "1,2",
        "--no-multiprocessing",
        "--extra-rounds",
        "0",
        "--json",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    run = results.load(out)
    assert printed == results.to_dict(run)
    (site,) = run.sites
    assert site.verdict is Verdict.TRACE_TIME_ONLY
    for effect in (
        "time.sleep x1",
        "print x1",
        "numpy.random.uniform x1",
        "random.random x1",
        "calls grew x1",
    ):
        assert effect in site.reasons[0]
    assert not site.site.runs_python
    assert run.cores == 2 and run.tensorflow_version and run.duration_seconds


def test_too_short_dataset_is_unmeasurable():
    """16 volumes and no repeat: the windows restart the dataset, so no verdict (whatever the load)."""
    (site,) = probe("short_dataset.py").sites
    assert site.verdict is Verdict.UNMEASURABLE, site.reasons
    assert site.signature == "ran-out" and any("--elements" in r for r in site.reasons)
    assert site.stability and site.stability["rounds"] <= 2 and not site.isolated  # stopped early


def test_artificial_dataset_map_is_threadpool_capped():
    """The TensorFlow guide's ArtificialDataset + sleeping mapped_function (issue 11)."""
    run = probe("artificial_dataset.py", seconds=0.5, levels=["1", "2", "autotune"])
    sites = {s.site.method: s for s in run.sites}
    check(sites["map"], Verdict.THREADPOOL_CAPPED)
    assert any("larger thread pool lifts the cap" in n for n in sites["map"].notes)


def test_explain_and_piped_output(tf_native_cli):
    """--explain lists the signatures; piped output keeps table rows on one line (no 80-column wrap)."""
    stdout, _ = tf_native_cli
    assert "signatures tried (matched:" in stdout and "trace-time" in stdout
    header = next(line for line in stdout.splitlines() if "speedup" in line and "el/s" in line)
    assert "peak RSS" in header and "1st el." in header  # the whole header on one line
