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
from tfpar_doctor.probe.rewrite_measure import comparison, measure_site, verify_pool_rewrites, wants_pool
from tfpar_doctor.probe.thresholds import REWRITE_BEATS

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
            "speedup": speedup, "error": error, "repeats": 0, "speedup_low": None,
            "speedup_high": None, "other_cpu_cores": 0.0, "unreliable": None}


def test_a_measured_faster_rewrite_shows_the_rewritten_pipelines_number(tmp_path: Path) -> None:
    pool = _pool_advice(tmp_path, _record(1700.0, 913.0), unit="batches")
    assert pool.measured_speedup == pytest.approx(1700 / 913)
    assert pool.measured == ("the rewritten pipeline ran 1700 batches/s against 913 batches/s as written "
                             "(1.86x)")
    assert "def encode_in_pool(*args):" in pool.code  # still handed over
    assert "Estimate" not in pool.summary
    turns = {"kind": "multiprocessing", "error": None,
             **comparison([900.0, 913.0, 930.0], [1650.0, 1700.0, 1720.0], 0.05, cores=2)}
    assert _pool_advice(tmp_path, turns).measured == (
        "the rewritten pipeline ran 1700 elements/s against 913 elements/s as written (1.86x; median of 3 "
        "windows each, taken in turns: 1.77-1.91x)")


def test_a_measured_slower_rewrite_is_not_recommended(tmp_path: Path) -> None:
    pool = _pool_advice(tmp_path, _record(789.0, 913.0))
    assert pool.measured_speedup == pytest.approx(789 / 913)
    assert pool.measured.startswith("not recommended, slower here: the rewritten pipeline ran "
                                    "789 elements/s against 913 elements/s as written (0.86x)")
    assert pool.code == ""  # no code block promoted as the fix
    assert "not recommended" in pool.summary


def test_a_rewrite_within_noise_of_the_original_is_not_recommended(tmp_path: Path) -> None:
    pool = _pool_advice(tmp_path, _record(950.0, 913.0))
    assert pool.measured.startswith("not recommended, no faster here (below 1.1x)")
    assert pool.code == ""


def test_a_rewrite_that_failed_is_reported_and_the_number_stays_an_estimate(tmp_path: Path) -> None:
    error = "the rewritten pipeline raised AttributeError: 'bytes' object has no attribute 'numpy'"
    pool = _pool_advice(tmp_path, _record(None, 913.0, error))
    assert pool.measured_speedup is None
    assert f"the rewritten pipeline could not be measured here: {error}" in pool.measured
    assert "estimate from the function alone" in pool.measured
    assert "Estimate, the rewritten pipeline could not be measured here" in pool.summary
    assert pool.code  # an error is not a measurement: the advice stands, labelled as an estimate


def test_a_rewrite_with_no_throughput_recorded_is_said_not_measured(tmp_path: Path) -> None:
    # no error and no number: the words next to the number and the summary say the same thing (the summary
    # used to call it "measured without a number to trust" and ask for a quiet machine)
    pool = _pool_advice(tmp_path, _record(None, 913.0))
    assert "the rewritten pipeline could not be measured here: no throughput was recorded" in pool.measured
    assert "Estimate, the rewritten pipeline could not be measured here" in pool.summary
    assert "quiet machine" not in pool.summary


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
    # 0.3-s windows: what is asserted is that both pipelines were built and measured in turns, never how
    # fast (6 windows of 2 s cost 10 s more and asserted the same)
    target = f"{FIXTURES / 'gil_bound.py'}:make_dataset"
    record = measure_site(_gil_site(FIXTURES / "gil_bound.py", 9, "<lambda>"), target, [], 0.3, 120.0)
    assert record["error"] is None, record["error"]
    assert record["elements_per_second"] > 0 and record["original_elements_per_second"] > 0
    assert record["speedup"] == pytest.approx(record["elements_per_second"]
                                              / record["original_elements_per_second"])
    assert record["repeats"] == 3 and record["speedup_low"] <= record["speedup"] <= record["speedup_high"]
    assert record["other_cpu_cores"] is not None  # read while measuring; a busy machine sets `unreliable`


def test_the_probe_prints_the_rewritten_pipelines_numbers(tmp_path: Path) -> None:
    from tfpar_doctor.probe.show import _recommendation

    measured = replace(_gil_site(tmp_path / "p.py", 9, "f"), rewrite=_record(789.0, 913.0), unit="batches")
    assert ("process-pool rewrite: not recommended, slower here: the rewritten pipeline ran 789 batches/s "
            "against 913 batches/s as written (0.86x)" in _recommendation(measured).plain)
    failed = replace(measured, rewrite=_record(None, 913.0, "the rewritten pipeline: NameError: x"))
    assert ("process-pool rewrite: the rewritten pipeline could not be measured here: the rewritten "
            "pipeline: NameError: x" in _recommendation(failed).plain)
    assert "rewritten" not in _recommendation(replace(measured, rewrite=None)).plain


def test_the_measured_pipeline_is_the_one_handed_over(tmp_path: Path) -> None:
    # Every edit of the rewrite, the map's num_parallel_calls included, is in the copy the probe measures,
    # exactly as the advice's code block writes it.
    from tfpar_doctor.advice.pool_apply import rewrites_for
    from tfpar_doctor.probe.rewrite_measure import _rewritten_copy

    for name in ("pipeline.py", "words.py"):
        (tmp_path / name).write_text((FIXTURES / "pool_shapes" / name).read_text(encoding="utf-8"))
    pipeline = tmp_path / "pipeline.py"
    handed_over = rewrites_for(pipeline)
    assert handed_over
    copied, error = _rewritten_copy(pipeline, pipeline, handed_over[0].function, 0, tmp_path / "copy")
    assert error is None and copied is not None
    text = copied.read_text(encoding="utf-8")
    compile(text, str(copied), "exec")
    first = handed_over[0]
    assert first.edits and all(edit.after in text for edit in first.edits)
    assert pipeline.read_text(encoding="utf-8") == (FIXTURES / "pool_shapes" / "pipeline.py").read_text(
        encoding="utf-8")  # the user's tree is untouched


# ---- the comparison: turns, medians, spread, a busy machine ----------------------------------------------


def test_a_clear_quiet_comparison_is_reliable() -> None:
    record = comparison([900.0, 913.0, 930.0], [1650.0, 1700.0, 1720.0], 0.05, cores=2)
    assert record["original_elements_per_second"] == 913.0 and record["elements_per_second"] == 1700.0
    assert record["speedup"] == pytest.approx(1700 / 913)
    assert record["speedup_low"] == pytest.approx(1650 / 930)
    assert record["speedup_high"] == pytest.approx(1720 / 900)
    assert record["repeats"] == 3 and record["unreliable"] is None


def test_repeats_on_both_sides_of_the_bar_are_not_reliable() -> None:
    record = comparison([900.0, 1000.0, 1100.0], [950.0, 1150.0, 1300.0], 0.0, cores=2)
    assert record["speedup_low"] < REWRITE_BEATS <= record["speedup_high"]
    assert "on both sides of 1.1x" in record["unreliable"]


def test_a_busy_machine_is_not_reliable_even_when_the_numbers_look_clear() -> None:
    record = comparison([900.0, 913.0, 930.0], [500.0, 510.0, 520.0], 0.9, cores=2)
    assert record["unreliable"] == "other processes took up to 0.9 of the 2 cores while measuring"


def test_an_unreliable_measurement_recommends_nothing_either_way(tmp_path: Path) -> None:
    record = {"kind": "multiprocessing", "error": None,
              **comparison([900.0, 1000.0, 1100.0], [950.0, 1150.0, 1300.0], 0.0, cores=2)}
    pool = _pool_advice(tmp_path, record)
    assert pool.measured_speedup is None  # no number shown as the result
    assert pool.measured.startswith("not measured reliably here: probe again on a quiet machine "
                                    "(the repeats gave ")
    assert "median of 3 windows each, taken in turns" in pool.measured
    assert "not recommended" not in pool.measured and "not recommended" not in pool.summary
    assert "Estimate, the rewritten pipeline was measured here without a number to trust" in pool.summary
    assert "on a quiet machine" in pool.summary  # the code stays, labelled an estimate
    from tfpar_doctor.probe.show import _recommendation

    measured = replace(_gil_site(tmp_path / "p.py", 9, "f"), rewrite=record)
    assert "process-pool rewrite: not measured reliably here" in _recommendation(measured).plain


def test_the_original_is_measured_in_one_child_shared_by_every_site(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # Two pool sites: one original pipeline (its windows taken in turns with each rewrite), one child per
    # rewrite; nothing here starts TensorFlow (the pipelines are stand-ins that count their windows).
    from tfpar_doctor.probe import rewrite_measure

    started: list[str] = []

    class StandIn:
        def __init__(self, target: str, args: list[str], seconds: float, timeout: float) -> None:
            started.append(target)
            self.rates: list[float] = []
            self.busiest = 0.0
            self.rewritten = "tfpar-rewrite-" in target

        def window(self) -> dict[str, Any]:
            self.rates.append(1800.0 if self.rewritten else 900.0)
            return {"elements_per_second": self.rates[-1], "busiest_other": 0.0}

        def close(self) -> None:
            pass

    monkeypatch.setattr(rewrite_measure, "Pipeline", StandIn)
    for name in ("pipeline.py", "words.py"):
        (tmp_path / name).write_text((FIXTURES / "pool_shapes" / name).read_text(encoding="utf-8"))
    pipeline = tmp_path / "pipeline.py"
    sites = [_gil_site(pipeline, 0, r.function) for r in rewrites_for_file(pipeline)]
    assert len(sites) == 2
    run = ProbeRun(target=f"{pipeline}:make", tensorflow_version="2.21.0", python_version="3.12.0", cores=2,
                   machine="Linux", calibration={}, sites=sites)
    measured = verify_pool_rewrites(run, f"{pipeline}:make", [], 1.0, 5.0).sites
    assert sum("tfpar-rewrite-" not in t for t in started) == 1 and len(started) == 3
    for site in measured:
        assert site.rewrite is not None and site.rewrite["error"] is None, site.rewrite
        assert site.rewrite["speedup"] == pytest.approx(2.0) and site.rewrite["unreliable"] is None
    # the second site is compared with all six windows of the shared original
    assert measured[1].rewrite is not None and measured[1].rewrite["repeats"] == 3


def rewrites_for_file(path: Path) -> list[Any]:
    from tfpar_doctor.advice.pool_apply import rewrites_for

    return list(rewrites_for(path))
