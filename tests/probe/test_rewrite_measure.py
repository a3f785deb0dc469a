"""The process-pool rewrite's number: the rewritten pipeline's as `probe --verify-rewrite` measured it, or an
estimate that says so; measured no faster, it is not recommended. Recorded results only (no TensorFlow)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.probe.conftest import needs_tf
from tests.test_advice import PIPELINE, TOKENS, gil_finding, loc, probe_result, write
from tfpar_doctor.advice.advisor import SiteInput, advise
from tfpar_doctor.advice.model import Advice
from tfpar_doctor.model import ProbeRun, ProbeSite, SiteResult, Verdict
from tfpar_doctor.probe import results
from tfpar_doctor.probe.rewrite_measure import measure_site, verify_pool_rewrites, wants_pool

ALONE = {"workers": 2, "serial_seconds_per_element": 0.0185, "pool_seconds_per_element": 0.0099,
         "worker_startup_seconds": 0.21, "module_imports_tensorflow": False}


def _pool_advice(tmp_path: Path, rewrite: dict[str, Any] | None, unit: str = "elements") -> Advice:
    pipeline = write(tmp_path, "pipeline.py", PIPELINE)
    tokens = write(tmp_path, "tokens.py", TOKENS)
    result = probe_result(pipeline, Verdict.GIL_BOUND, multiprocessing_speedup=1.87, multiprocessing=ALONE,
                          rewrite=rewrite, unit=unit)
    advice = advise(SiteInput(loc(pipeline, 11, 13), [gil_finding(pipeline, tokens)], result, cores=2))
    return next(a for a in advice if a.kind == "multiprocessing")


def _record(new: float | None, old: float | None, error: str | None = None) -> dict[str, Any]:
    speedup = new / old if new is not None and old else None
    return {"kind": "multiprocessing", "elements_per_second": new, "original_elements_per_second": old,
            "speedup": speedup, "error": error}


def test_a_measured_faster_rewrite_shows_the_rewritten_pipelines_number(tmp_path: Path) -> None:
    pool = _pool_advice(tmp_path, _record(1700.0, 913.0), unit="batches")
    assert pool.measured_speedup == pytest.approx(1700 / 913)
    assert pool.measured == ("measured here: the rewritten pipeline ran 1700 batches/s against 913 batches/s "
                             "as written (1.86x)")
    assert "def encode_in_pool(*args):" in pool.code  # still handed over
    assert "Estimate" not in pool.summary


def test_a_measured_slower_rewrite_is_not_recommended(tmp_path: Path) -> None:
    pool = _pool_advice(tmp_path, _record(789.0, 913.0))
    assert pool.measured_speedup == pytest.approx(789 / 913)
    assert pool.measured.startswith("measured slower here: not recommended; the rewritten pipeline ran "
                                    "789 elements/s against 913 elements/s as written (0.86x)")
    assert pool.code == ""  # no code block promoted as the fix
    assert "not recommended" in pool.summary


def test_a_rewrite_within_noise_of_the_original_is_not_recommended(tmp_path: Path) -> None:
    pool = _pool_advice(tmp_path, _record(950.0, 913.0))
    assert pool.measured.startswith("measured no faster here: not recommended")
    assert pool.code == ""


def test_a_rewrite_that_failed_is_reported_and_the_number_stays_an_estimate(tmp_path: Path) -> None:
    error = "the rewritten pipeline raised AttributeError: 'bytes' object has no attribute 'numpy'"
    pool = _pool_advice(tmp_path, _record(None, 913.0, error))
    assert pool.measured_speedup is None
    assert f"the rewritten pipeline could not be measured here: {error}" in pool.measured
    assert "estimate from the function alone" in pool.measured
    assert "Estimate, not measured here" in pool.summary and "--verify-rewrite" in pool.summary
    assert pool.code  # an error is not a measurement: the advice stands, labelled as an estimate


def test_without_a_rewrite_measurement_the_pool_number_is_labelled_an_estimate(tmp_path: Path) -> None:
    pool = _pool_advice(tmp_path, None)
    assert pool.measured_speedup is None  # the function alone in a pool is not the pipeline's number
    assert pool.measured.startswith("estimate from the function alone (not the rewritten pipeline) in a "
                                    "2-process pool ran 1.87x")
    assert "Estimate, not measured here" in pool.summary and "probe --verify-rewrite" in pool.summary


def _run(tmp_path: Path, rewrite: dict[str, Any] | None) -> ProbeRun:
    result = probe_result(str(tmp_path / "pipeline.py"), Verdict.GIL_BOUND, rewrite=rewrite)
    return ProbeRun(target="pipeline.py:make", tensorflow_version="2.21.0", python_version="3.12.0", cores=2,
                    machine="Linux", calibration={}, sites=[result])


def test_the_rewrite_record_round_trips_through_the_results_file(tmp_path: Path) -> None:
    run = _run(tmp_path, _record(789.0, 913.0))
    results.dump(run, tmp_path / "r.json")
    assert results.load(tmp_path / "r.json") == run
    failed = _run(tmp_path, _record(None, 913.0, "SyntaxError in the rewritten module"))
    assert results.loads(results.dumps(failed)) == failed


def test_a_results_file_from_before_verify_rewrite_still_reads(tmp_path: Path) -> None:
    data = results.to_dict(_run(tmp_path, None))
    del data["sites"][0]["rewrite"]
    loaded = results.from_dict(json.loads(json.dumps(data)))
    assert loaded.sites[0].rewrite is None


@pytest.mark.parametrize(("change", "where"), [
    ({"speedup": "fast"}, "$.sites[0].rewrite.speedup"),
    ({"kind": None}, "$.sites[0].rewrite.kind"),
])
def test_a_bad_rewrite_record_names_where(tmp_path: Path, change: dict[str, Any], where: str) -> None:
    data = results.to_dict(_run(tmp_path, _record(789.0, 913.0)))
    data["sites"][0]["rewrite"].update(change)
    with pytest.raises(results.ResultsError, match=where.replace("$", r"\$").replace("[", r"\[")):
        results.from_dict(data)



# ---- probe --verify-rewrite: building the rewritten pipeline -------------------------------------------

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "probe"


def _gil_site(path: Path, line: int, function: str, verdict: Verdict = Verdict.GIL_BOUND,
              kind: str | None = "py_function") -> SiteResult:
    site = ProbeSite(path=str(path), line=line, method="map", function=function,
                     original_parallelism="autotune", runs_python=True, python_kind=kind)
    return SiteResult(site=site, verdict=verdict, confidence=0.9, reasons=())


def test_only_sites_given_pool_advice_are_rebuilt() -> None:
    path = FIXTURES / "gil_bound.py"
    assert wants_pool(_gil_site(path, 9, "<lambda>"))
    assert wants_pool(_gil_site(path, 9, "<lambda>", Verdict.PARTIAL, "numpy_function"))
    assert not wants_pool(_gil_site(path, 9, "<lambda>", Verdict.SCALES))
    assert not wants_pool(_gil_site(path, 9, "gen", kind="generator"))  # from_generator: no map to rewrite


def test_a_module_target_is_recorded_as_an_error_not_raised() -> None:
    record = measure_site(_gil_site(FIXTURES / "gil_bound.py", 9, "<lambda>"), "pkg.pipe:make", [], 1.0, 5.0)
    assert record["speedup"] is None and "file target" in record["error"]


def test_a_site_without_a_pool_rewrite_is_recorded_as_an_error(tmp_path: Path) -> None:
    # A map over a TensorFlow function: nothing to pool, so no child is started and the error says why.
    pipe = write(tmp_path, "pipe.py", "import tensorflow as tf\n\n\ndef make():\n"
                 "    return tf.data.Dataset.range(4).map(tf.square, num_parallel_calls=2)\n")
    run = ProbeRun(target=f"{pipe}:make", tensorflow_version="2.21.0", python_version="3.12.0", cores=2,
                   machine="Linux", calibration={}, sites=[_gil_site(Path(pipe), 5, "square")])
    (site,) = verify_pool_rewrites(run, f"{pipe}:make", [], 1.0, 5.0).sites
    assert site.rewrite is not None and site.rewrite["kind"] == "multiprocessing"
    assert site.rewrite["error"] == "no process-pool rewrite applies to `square` in pipe.py"
    assert results.loads(results.dumps(replace(run, sites=[site]))).sites[0].rewrite == site.rewrite


@needs_tf
@pytest.mark.probe
def test_the_rewritten_gil_bound_pipeline_is_built_and_measured_next_to_the_original() -> None:
    target = f"{FIXTURES / 'gil_bound.py'}:make_dataset"
    record = measure_site(_gil_site(FIXTURES / "gil_bound.py", 9, "<lambda>"), target, [], 2.0, 120.0)
    assert record["error"] is None, record["error"]
    assert record["elements_per_second"] > 0 and record["original_elements_per_second"] > 0
    assert record["speedup"] == pytest.approx(record["elements_per_second"]
                                              / record["original_elements_per_second"])


def test_the_probe_prints_the_rewritten_pipelines_numbers(tmp_path: Path) -> None:
    from tfpar_doctor.probe.show import _recommendation

    measured = replace(_gil_site(tmp_path / "p.py", 9, "f"), rewrite=_record(789.0, 913.0), unit="batches")
    assert ("rewritten pipeline (process pool): 789 batches/s against 913 batches/s as written (0.86x)"
            in _recommendation(measured).plain)
    failed = replace(measured, rewrite=_record(None, 913.0, "the rewritten pipeline: NameError: x"))
    assert "not measured: the rewritten pipeline: NameError: x" in _recommendation(failed).plain
    assert "rewritten" not in _recommendation(replace(measured, rewrite=None)).plain


def test_the_rewritten_pipeline_keeps_the_parallelism_the_user_wrote(tmp_path: Path) -> None:
    from tfpar_doctor.advice.pool_apply import apply_rewrites, rewrites_for
    from tfpar_doctor.probe.rewrite_measure import at_users_parallelism

    for name in ("pipeline.py", "words.py"):
        (tmp_path / name).write_text((FIXTURES / "pool_shapes" / name).read_text(encoding="utf-8"))
    pipeline = tmp_path / "pipeline.py"
    apply_rewrites([at_users_parallelism(r) for r in rewrites_for(pipeline)], pipeline)
    text = pipeline.read_text(encoding="utf-8")
    compile(text, str(pipeline), "exec")
    assert "tf.py_function(word_ids_in_pool," in text and "tf.numpy_function(word_stats_in_pool," in text
    assert text.count("num_parallel_calls=tf.data.AUTOTUNE") == 2 and "2 * WORKERS" not in text
    (tmp_path / "text_features.py").write_text((FIXTURES / "text_features.py").read_text(encoding="utf-8"))
    lam = tmp_path / "lam.py"
    lam.write_text((FIXTURES / "gil_bound.py").read_text(encoding="utf-8"))
    apply_rewrites([at_users_parallelism(r) for r in rewrites_for(lam)], lam)
    text = lam.read_text(encoding="utf-8")
    compile(text, str(lam), "exec")
    assert "tf.py_function(checksum_in_pool, [x], tf.int64)" in text
    assert "num_parallel_calls=tf.data.AUTOTUNE" in text and "2 * WORKERS" not in text
