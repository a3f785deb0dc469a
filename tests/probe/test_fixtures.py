"""The probe on the fixture pipelines, end to end: what it finds and measures on each shape. Short windows;
never speeds.

Where the live run adds nothing to a verdict but "the probe runs on this shape", the verdict is judged on
the numbers such a run records instead (the tables of test_verdict.py and test_verdict_table.py, which never
skip): those runs stop after one round (`SMOKE`), and each test names the test that judges its verdict.
A verdict is still asserted live where it is the run's own output (trace-time, ran-out) or where it decides
what else the run measures (a thread-pool-capped stage gets the larger pools timed; the CLI's --explain
prints the signatures tried). On a machine that other work keeps busy the probe may answer `inconclusive`
(that is its job): the test then accepts it only when the probe itself says why (busy machine, poor
calibration, wide spread).

The suite runs on every core (pytest-xdist). The tests whose verdict comes from the measured throughput
(`check` below, with its busy guard) are marked `alone`: no other test runs beside them, so no neighbour
turns their verdict or makes them skip. The others assert what the run found and recorded (sites, units,
levels, a verdict decided by tracing or by the dataset's length), which no load changes: they run beside
other tests.
"""

from __future__ import annotations

import json
import os
import time

import pytest

from tfpar_doctor.model import Verdict
from tfpar_doctor.probe import phases, results, runner

from .conftest import fixture, group_alive, needs_tf

pytestmark = [needs_tf, pytest.mark.probe]

QUICK = dict(
    seconds=0.2, repeat=2, levels=["1", "2"], cores=2, multiprocessing=False, extra_rounds=0, max_rounds=3
)
# One round: enough for the run to finish and measure what its shape measures; the extra rounds only sharpen
# a verdict, which the recorded tables judge.
SMOKE = {**QUICK, "max_rounds": 1}
UNRELIABLE = (
    "machine busy", "calibration", "spread", "repeats disagree", "other processes", "rounds disagree"
)


def probe(name: str, **kw):
    options = runner.ProbeOptions(target=fixture(name) + ":make_dataset", **{**QUICK, **kw})
    start = time.monotonic()
    run = runner.run_probe(options)
    wall = time.monotonic() - start
    assert runner.LAST_CHILD_PID is not None and not group_alive(runner.LAST_CHILD_PID)
    check_phases(run, wall)
    return run


def check_phases(run, wall: float | None = None) -> None:
    """The run's phases add up to its duration, which is the wall time its caller saw (within the caller's
    own two clock reads); every site has its phases, and what no phase names is milliseconds, not seconds."""
    assert run.duration_seconds is not None
    assert sum(p.seconds for p in run.phases) == pytest.approx(run.duration_seconds,
                                                               abs=0.005 + 0.0005 * len(run.phases))
    if wall is not None:
        assert run.duration_seconds - 0.01 <= wall <= run.duration_seconds + 0.05
    names = [p.name for p in run.phases]
    assert set(names) <= set(phases.PHASES)
    for name in ("start-up", "TensorFlow import", "pipeline build", "first elements", "hand-over",
                 "shutdown"):
        assert name in names
    assert {p.site for p in run.phases if p.site} == {
        f"{os.path.basename(s.site.path)}:{s.site.line}" for s in run.sites
    }
    assert sum(p.seconds for p in run.phases if p.name == "unaccounted") < 0.5
    for p in run.phases:
        assert p.seconds >= 0 and p.measured_seconds <= p.seconds + 0.001
        if p.name in phases.WINDOW_PHASES:
            assert p.site and p.detail and p.windows >= 1 and p.measured_seconds > 0


def by_line(run):
    return {s.site.line: s for s in run.sites}


def check(result, expected: Verdict):
    if result.verdict is not expected and expected is not Verdict.TRACE_TIME_ONLY:
        unreliable = any(word in r for r in result.reasons for word in UNRELIABLE)
        # `inconclusive` is the probe saying it cannot judge on this machine now: not a wrong verdict. So is
        # a speed-up beyond the cores on a fixture that never runs out: its windows saw the machine move.
        refused = result.verdict is Verdict.INCONCLUSIVE or (
            result.verdict is Verdict.UNMEASURABLE and result.signature == "impossible-speedup"
        )
        if refused or (unreliable and result.confidence < 0.6):
            pytest.skip(f"machine too busy to judge line {result.site.line}: {result.reasons}")
    assert result.verdict is expected, result.reasons


def test_gil_bound_with_the_process_pool_allowed():
    """Verdict (gil-bound: ~75 el/s at every level, one core, GIL contention ~0.8): test_verdict.py
    test_gil_bound_pure_python and test_verdict_table.py's pool tests."""
    run = probe("gil_bound.py", **{**SMOKE, "multiprocessing": True, "levels": ["1", "2", "autotune"]})
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
    assert site.verdict is not Verdict.TRACE_TIME_ONLY and site.reasons


# numpy_sort.py (a numpy_function map that releases the GIL) is no longer probed live: its verdict (scales)
# is judged on the np.sort numbers in test_verdict.py (test_gil_releasing_numpy_scales, SORT_PIPE), its
# numpy_function is found in the graph by test_intercept.py (test_per_element_python_detected_from_the_graph),
# and gil_bound.py's py_function map runs the same measuring code end to end.


@pytest.mark.alone
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


@pytest.mark.alone
def test_tf_native_map_scales(tf_native_cli):
    _, run = tf_native_cli
    (site,) = run.sites
    assert not site.site.runs_python
    check(site, Verdict.SCALES)


def test_two_stage_pipeline():
    """Verdicts: the Python decode (line 19) gil-bound as in test_verdict.py test_gil_bound_pure_python, in
    batches/s as in test_verdict_table.py test_throughput_after_batch_is_in_batches_per_second; the cheap
    normalisation (line 20, 8 stage elements per batch) not-bottleneck from its headroom as in test_verdict.py
    test_not_bottleneck_from_headroom."""
    sites = by_line(probe("two_stage.py", **{**SMOKE, "repeat": 1}))
    assert set(sites) == {19, 20}
    # the pipeline ends in .batch(8): its throughput is batches per second, and one element is a batch
    assert sites[19].unit == "batches" and sites[19].element_bytes == 8 * 4
    assert all(lv.peak_rss_bytes for lv in sites[19].pipeline)
    assert sites[19].site.original_parallelism == "2"
    assert sites[19].site.runs_python and [lv.level for lv in sites[20].pipeline] == ["1", "2"]


def test_from_generator():
    """Verdicts: the generator gil-bound on its copies alone (test_verdict.py
    test_generator_judged_on_copies_alone); its cheap map not-bottleneck (test_verdict.py
    test_not_bottleneck_when_stage_scales_alone_but_pipeline_is_flat)."""
    sites = by_line(probe("generator.py", **{**SMOKE, "repeat": 1}))
    gen = sites[15]
    assert gen.site.method == "from_generator" and gen.site.python_kind == "generator"
    assert gen.pipeline[0].level == "as-written"
    assert gen.isolated and sites[16].site.method == "map"


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


def test_artificial_dataset_runs_end_to_end():
    """The TensorFlow guide's ArtificialDataset (a Dataset subclass whose __new__ returns from_generator) and
    its sleeping py_function map (issue 11): both sites found and measured. Its verdict (the map is
    thread-pool-capped: 65 -> 485 el/s alone with a private pool) is judged on the recorded numbers in
    test_verdict_table.py; the larger pools are timed live on io_sleep.py's map."""
    run = probe("artificial_dataset.py", **SMOKE)
    sites = {s.site.method: s for s in run.sites}
    assert set(sites) == {"from_generator", "map"}
    assert sites["map"].site.runs_python and sites["map"].site.python_kind == "py_function"
    assert [lv.level for lv in sites["map"].pipeline][:2] == ["1", "2"]


@pytest.mark.alone  # whichever of the two tests comes first runs the shared probe
def test_explain_and_piped_output(tf_native_cli):
    """--explain lists the signatures; piped output keeps table rows on one line (no 80-column wrap)."""
    stdout, run = tf_native_cli
    assert "signatures tried (matched:" in stdout and "trace-time" in stdout
    # where the time went: one line, and every phase with --explain; the phases kept in the JSON add up
    assert "time: " in stdout and "TensorFlow import" in stdout and "where the time went" in stdout
    check_phases(run)
    header = next(line for line in stdout.splitlines() if "speedup" in line and "el/s" in line)
    assert "peak RSS" in header and "1st el." in header  # the whole header on one line
