"""The verdict table, the adaptive rounds, memory and interpreter reporting, on recorded measurements.

No TensorFlow and no timing: these always run and always judge (issue 11 item 7). The tables are the
numbers the probe recorded (or the tutorials' hand timings in the issue), written as LevelResults.
"""

from __future__ import annotations

import dataclasses

import pytest

from tfpar_doctor.model import VERDICT_MEANING, Verdict
from tfpar_doctor.probe import interpreter, memory, stability
from tfpar_doctor.probe import thresholds as T
from tfpar_doctor.probe.verdict import SIGNATURES, SiteMeasurements, judge, pool_advice, quality

from .test_verdict import GIL_BOUND_PIPE, SORT_PIPE, site, table


def with_(levels, **changes):
    return [dataclasses.replace(lv, **changes) for lv in levels]


# ------------------------------------------------------------------------------------- the table itself


def test_every_verdict_has_one_meaning_for_every_output():
    assert set(VERDICT_MEANING) == set(Verdict)
    for meaning in VERDICT_MEANING.values():
        assert meaning.label and meaning.terminal_style and meaning.html_colour.startswith("#")


def test_signatures_are_tried_in_the_documented_order():
    names = [sig.name for sig in SIGNATURES]
    assert len(names) == len(set(names))
    assert names[0] == "trace-time" and names[-1] == "rising-partial"
    assert names.index("ran-out") < names.index("headroom") < names.index("flat-contended")
    assert all(names.index("flat-other") < names.index(n) for n in names if n.startswith("rising-"))


def test_explain_says_why_earlier_signatures_did_not_match():
    d = judge(site(GIL_BOUND_PIPE, GIL_BOUND_PIPE))
    assert d.verdict is Verdict.GIL_BOUND and d.signature == "flat-contended"
    tried = [step["signature"] for step in d.explain]
    assert tried[-1] == "flat-contended" and tried[0] == "trace-time"
    assert all(not step["matched"] and step["why"] for step in d.explain[:-1])
    assert d.explain[-1]["matched"] and d.explain[-1]["verdict"] == "gil-bound"


# ------------------------------------------------------------------------------- the tutorial cases


def test_artificial_dataset_map_is_threadpool_capped_from_the_stage_alone():
    """The guide's ArtificialDataset + sleeping mapped_function: the generator limits the whole pipeline, so a
    larger pool does not move it, but the map stage alone goes 65 -> 485 el/s with a private pool of 16."""
    pipe = table(
        ("1", 31, 0.05, 0.01),
        ("2", 58, 0.07, 0.01),
        ("autotune", 60, 0.07, 0.01),
        ("private:16", 61, 0.08, 0.01),
        ("unbounded", 62, 0.08, 0.01),
    )
    iso = table(
        ("1", 33, 0.03, 0.0),
        ("2", 65, 0.05, 0.0),
        ("private:16", 485, 0.3, 0.0),
        ("unbounded", 520, 0.3, 0.0),
    )
    d = judge(site(pipe, iso, stage_per_pipeline_element=1.0))
    assert d.verdict is Verdict.THREADPOOL_CAPPED, d.reasons
    assert any("another stage sets the pace" in r for r in d.reasons)
    assert pool_advice(pipe) is None
    advice = pool_advice(iso, " for the stage alone")
    assert advice and "use_unbounded_threadpool=True" in advice and "for the stage alone" in advice


def test_too_short_dataset_is_unmeasurable_with_what_to_pass():
    pipe = with_(table(("1", 40, 0.9, 0.05), ("2", 131, 1.9, 0.05), ("autotune", 140, 1.9, 0.05)), restarts=6)
    d = judge(site(pipe, pipe))
    assert d.verdict is Verdict.UNMEASURABLE and d.signature == "ran-out"
    assert any("--elements" in r and "--arg" in r for r in d.reasons)


def test_finite_dataset_that_one_window_mostly_reads_is_unmeasurable():
    """16 volumes, short windows: no restart inside a window, but each window read 10 of the 16 elements."""
    pipe = with_(table(("1", 39, 0.4, 0.05), ("2", 49, 0.44, 0.05)), elements=20, repeats=2)
    d = judge(site(pipe, (), dataset_elements=16))
    assert d.verdict is Verdict.UNMEASURABLE and "holds only 16 elements" in d.reasons[0]
    assert judge(site(pipe, (), dataset_elements=100_000)).verdict is not Verdict.UNMEASURABLE


def test_speedup_above_the_cores_for_a_computing_stage_is_unmeasurable():
    pipe = table(("1", 40, 0.95, 0.05), ("2", 131, 1.95, 0.05), ("autotune", 140, 1.9, 0.05), spread=1.59)
    d = judge(site(pipe, ()))
    assert d.verdict is Verdict.UNMEASURABLE and d.signature == "impossible-speedup"
    # the same curve for a waiting stage (low CPU) can overlap: not declared impossible
    waiting = table(("1", 40, 0.05, 0.0), ("2", 131, 0.08, 0.0), ("autotune", 140, 0.08, 0.0))
    assert judge(site(waiting, ())).verdict is not Verdict.UNMEASURABLE


def test_tokenizer_that_flipped_between_partial_and_gil_bound():
    """Issue 11: a py_function tokenizer, 1.00x at every level, one core, contention 0.7 (flat) -- and CI's
    1.16x at 1.06 cores with contention 0.72 (just above FLAT): both GIL-bound, not partial."""
    flat = table(("1", 120, 1.0, 0.7), ("2", 120, 1.01, 0.72), ("autotune", 119, 1.02, 0.7))
    assert judge(site(flat, flat)).verdict is Verdict.GIL_BOUND
    edge = table(("1", 120, 1.0, 0.7), ("2", 139, 1.06, 0.72), ("autotune", 137, 1.05, 0.71))
    d = judge(site(edge, edge))
    assert d.verdict is Verdict.GIL_BOUND and d.signature == "rising-without-cpu"


def test_throughput_after_batch_is_in_batches_per_second():
    pipe = table(("1", 9.5, 1.0, 0.8), ("2", 9.4, 1.0, 0.8), ("autotune", 9.6, 1.0, 0.8))
    d = judge(site(pipe, (), pipeline_unit="batches/s"))
    assert any("9.5 batches/s" in r for r in d.reasons) and not any("9.5 el/s" in r for r in d.reasons)


# ------------------------------------------------------------------------------------------ the interpreter


def test_without_the_gil_a_flat_python_curve_is_never_assumed_gil_bound():
    d = judge(site(GIL_BOUND_PIPE, GIL_BOUND_PIPE, gil_enabled=False, multiprocessing_speedup=1.9))
    assert d.verdict is not Verdict.GIL_BOUND
    assert any("without the GIL" in r or "GIL disabled" in r for r in d.reasons)
    # what does not rest on the GIL is judged as usual
    assert judge(site(SORT_PIPE, SORT_PIPE, gil_enabled=False)).verdict is Verdict.SCALES


def test_interpreter_summary():
    plain = interpreter.summary({"implementation": "CPython", "version": "3.11.7"})
    assert plain == "CPython 3.11.7 (with the GIL)"
    text = interpreter.summary(
        {"implementation": "CPython", "version": "3.13.1", "free_threaded_build": True, "gil_enabled": False}
    )
    assert text == "CPython 3.13.1 free-threaded build, GIL disabled"
    info = interpreter.describe()
    assert set(info) == {"implementation", "version", "free_threaded_build", "gil_enabled"}


# -------------------------------------------------------------------------------------------- memory


def test_memory_advice_when_autotune_grows_past_the_budget():
    gib = 1 << 30
    pipe = with_(SORT_PIPE[:2], peak_rss_bytes=2 * gib) + with_(SORT_PIPE[2:], peak_rss_bytes=9 * gib)
    report = memory.report(pipe, "2", 8 * gib, "--memory-budget", 4096)
    assert report is not None and report["autotune_peak_bytes"] == 9 * gib
    assert "options.autotune.ram_budget" in report["advice"] and "num_parallel_calls=2" in report["advice"]
    within = memory.report(with_(SORT_PIPE, peak_rss_bytes=gib), "2", 8 * gib, "--memory-budget", 4096)
    assert within is not None and within["advice"] is None
    assert memory.report(SORT_PIPE, "2", 8 * gib, "x", None) is None  # nothing recorded: nothing to say


# --------------------------------------------------------------------------------------- adaptive rounds


def _rounds(*rates_per_round, cpu=1.0, gil=0.75):
    return [
        table(("1", r1, cpu, gil), ("2", r2, cpu, gil), ("autotune", ra, cpu, gil))
        for r1, r2, ra in rates_per_round
    ]


def _make(iso):
    return lambda levels: SiteMeasurements(
        method="map", runs_python=True, cores=2, pipeline=levels, isolated=iso, calibration_speedup=1.9
    )


def test_rounds_that_agree_are_decisive():
    rounds = _rounds((75, 74, 76), (74, 75, 73))
    s = stability.assess(_make(GIL_BOUND_PIPE), table(("1", 75, 1.0, 0.75), ("2", 74, 1.0, 0.75),
                                                      ("autotune", 75, 1.0, 0.75)), rounds)
    assert s.decisive and s.agreement == 1.0 and s.round_verdicts == ["gil-bound", "gil-bound"]
    d = stability.conclude(s)
    assert d.verdict is Verdict.GIL_BOUND and any("all 2 rounds" in r for r in d.reasons)


def test_rounds_split_at_an_edge_are_inconclusive_with_the_reason():
    # a waiting stage: one round reads capped (1.9x), the next flat (1.05x), over and over
    rising = table(("1", 79, 0.06, 0.002), ("2", 150, 0.08, 0.003), ("autotune", 152, 0.08, 0.003))
    flat = table(("1", 79, 0.06, 0.002), ("2", 83, 0.08, 0.003), ("autotune", 82, 0.08, 0.003))
    combined = table(("1", 79, 0.06, 0.002), ("2", 117, 0.08, 0.003), ("autotune", 117, 0.08, 0.003))
    s = stability.assess(_make(()), combined, [rising, flat, rising, flat])
    assert not s.decisive and len(set(s.round_verdicts)) == 2
    d = stability.conclude(s)
    assert d.verdict is Verdict.INCONCLUSIVE and d.signature == "rounds-split"
    assert "rounds disagree" in d.reasons[0] and "--max-rounds" in d.reasons[1]


def test_a_majority_keeps_the_verdict_less_sure():
    gil = table(("1", 75, 1.0, 0.75), ("2", 74, 1.0, 0.75), ("autotune", 75, 1.0, 0.75))
    odd = table(("1", 75, 1.0, 0.05), ("2", 74, 0.5, 0.05), ("autotune", 75, 0.5, 0.05))
    s = stability.assess(_make(GIL_BOUND_PIPE), gil, [gil, gil, gil, gil, odd])
    assert not s.decisive and s.agreement == pytest.approx(0.8)
    d = stability.conclude(s)
    assert d.verdict is Verdict.GIL_BOUND and d.confidence < s.decision.confidence
    assert any("4 of 5 rounds" in r for r in d.reasons)


def test_trace_time_and_unmeasurable_do_not_wait_for_rounds():
    pipe = with_(SORT_PIPE, restarts=3)
    s = stability.assess(_make(()), pipe, [SORT_PIPE, GIL_BOUND_PIPE])
    assert s.decisive and s.decision.verdict is Verdict.UNMEASURABLE


def test_thresholds_for_adaptive_rounds_are_consistent():
    assert 1 <= T.MIN_ROUNDS <= T.MAX_ROUNDS and 0.5 < T.MAJORITY < 1.0


def test_waiting_stage_on_a_saturated_machine_keeps_its_verdict():
    """Recorded (io_sleep.py while other work used 1.97 of 2 cores): the unbounded pool ran 10x faster and
    busier; that is not the stage computing, so the load does not make the verdict inconclusive."""
    pipe = table(
        ("1", 88.5, 0.07, 0.01), ("2", 183, 0.12, 0.01), ("private:16", 1500, 0.9, 0.02),
        ("unbounded", 1864, 1.1, 0.02), other=1.97,
    )
    iso = table(("1", 90, 0.07, 0.01), ("2", 189, 0.12, 0.01), ("unbounded", 1890, 1.1, 0.02), other=1.97)
    d = judge(site(pipe, iso, calibration_speedup=1.14))
    assert d.verdict is Verdict.THREADPOOL_CAPPED, d.reasons
    assert d.confidence < 0.9  # the load and the calibration still cost it confidence


def test_one_agreeing_round_is_not_decisive_when_two_are_needed():
    gil = table(("1", 75, 1.0, 0.75), ("2", 74, 1.0, 0.75), ("autotune", 75, 1.0, 0.75))
    s = stability.assess(_make(GIL_BOUND_PIPE), gil, [gil], needed=2)
    assert not s.decisive and s.agreement == 1.0
    d = stability.conclude(s)  # measuring had to stop there: kept, a little less sure
    assert d.verdict is Verdict.GIL_BOUND and d.confidence < s.decision.confidence
    # one round alone decides only when it sits clear of every edge
    assert not stability.assess(_make(GIL_BOUND_PIPE), gil, [gil], needed=1).decisive
    assert stability.assess(_make(GIL_BOUND_PIPE), gil, [gil], needed=1, clear_of_edges=lambda: True).decisive


def _verdict_of(iso):
    return lambda curves: judge(_make(iso)(list(curves["pipeline"]))).verdict


def test_one_round_far_from_every_edge_decides():
    gil = table(("1", 75, 1.0, 0.75), ("2", 74, 1.0, 0.75), ("autotune", 75, 1.0, 0.75))
    clear = stability.clear_of_edges(_verdict_of(GIL_BOUND_PIPE), {"pipeline": gil}, quiet=True)
    assert clear
    s = stability.assess(_make(GIL_BOUND_PIPE), gil, [gil], needed=1, clear_of_edges=lambda: clear)
    assert s.decisive and s.clear and s.as_dict()["clear_of_edges"] is True
    d = stability.conclude(s)
    assert d.verdict is Verdict.GIL_BOUND and d.confidence == s.decision.confidence
    assert any("one round decided it" in r and f"{T.WINDOW_NOISE:.0%}" in r for r in d.reasons)


def test_one_round_on_a_loaded_machine_never_decides_alone():
    # the curve that sits clear of every edge on a quiet machine; the window noise it is moved by is the idle
    # machine's, so a weak calibration (CI: a generator alone read 1.7x its pipeline) asks for a second round
    gil = table(("1", 75, 1.0, 0.75), ("2", 74, 1.0, 0.75), ("autotune", 75, 1.0, 0.75))
    calls = []

    def verdict_of(curves):
        calls.append(1)
        return _verdict_of(GIL_BOUND_PIPE)(curves)

    assert not stability.clear_of_edges(verdict_of, {"pipeline": gil}, quiet=False)
    assert not calls
    weak = SiteMeasurements(method="map", runs_python=True, cores=2, pipeline=gil, isolated=GIL_BOUND_PIPE,
                            calibration_speedup=(T.CALIBRATION_POOR + T.CALIBRATION_WEAK) / 2)
    assert quality(weak)[0] > 0 and quality(_make(GIL_BOUND_PIPE)(gil))[0] == 0


def test_one_round_at_an_edge_asks_for_another():
    # 1.16x against the 1.15 "flat" limit: the window noise either way crosses it (the recorded flip)
    edge = table(("1", 75, 1.0, 0.75), ("2", 87, 1.05, 0.75), ("autotune", 86, 1.05, 0.75))
    assert not stability.clear_of_edges(_verdict_of(GIL_BOUND_PIPE), {"pipeline": edge}, quiet=True)
    s = stability.assess(_make(GIL_BOUND_PIPE), edge, [edge], needed=1,
                         clear_of_edges=lambda: stability.clear_of_edges(_verdict_of(GIL_BOUND_PIPE),
                                                                         {"pipeline": edge}, quiet=True))
    assert not s.decisive and s.clear is False
    # two rounds that agree decide without the perturbation
    s2 = stability.assess(_make(GIL_BOUND_PIPE), edge, [edge, edge], needed=1, clear_of_edges=lambda: False)
    assert s2.decisive and s2.clear is None


def test_one_inconclusive_round_asks_for_another_even_clear_of_edges():
    # flat at one core with the GIL free: `flat-other`, which says this round did not identify the site
    other = table(("1", 50, 1.0, 0.02), ("2", 49, 1.3, 0.02), ("autotune", 50, 1.3, 0.02))
    assert judge(_make(GIL_BOUND_PIPE)(other)).signature == "flat-other"
    s = stability.assess(_make(GIL_BOUND_PIPE), other, [other], needed=1, clear_of_edges=lambda: True)
    assert not s.decisive and s.decision.verdict is Verdict.INCONCLUSIVE
    # the next round identifies it: the rounds now disagree, so the probe measures on (up to MAX_ROUNDS)
    gil = table(("1", 50, 1.0, 0.75), ("2", 49, 1.0, 0.75), ("autotune", 50, 1.0, 0.75))
    assert not stability.assess(_make(GIL_BOUND_PIPE), gil, [other, gil], needed=1).decisive
    # rounds that keep agreeing on inconclusive settle it, with the reason
    s2 = stability.assess(_make(GIL_BOUND_PIPE), other, [other, other], needed=1, clear_of_edges=lambda: True)
    assert s2.decisive and s2.decision.verdict is Verdict.INCONCLUSIVE


def test_too_many_levels_are_not_perturbed():
    many = table(*((str(2**i), 75, 1.0, 0.75) for i in range(T.MAX_PERTURBED_LEVELS + 1)))
    calls = []

    def verdict_of(curves):
        calls.append(1)
        return Verdict.GIL_BOUND

    assert not stability.clear_of_edges(verdict_of, {"pipeline": many}, quiet=True)
    assert len(calls) == 1  # only the unmoved curve was judged


def test_an_impossible_speedup_in_one_round_is_measured_again():
    """Recorded on an idle machine: one window read 2.5x on 2 cores for a stage that scales (tf_native.py);
    the next run gave `scales`. A speed-up beyond the cores is a measurement: one round never decides it."""
    odd = table(("1", 50, 1.0, 0.01), ("2", 130, 1.9, 0.01), ("autotune", 128, 1.9, 0.01))
    one = stability.assess(_make(()), odd, [odd], needed=1, clear_of_edges=lambda: True)
    assert one.decision.verdict is Verdict.UNMEASURABLE and one.decision.signature == "impossible-speedup"
    assert not one.decisive
    two = stability.assess(_make(()), odd, [odd, odd], needed=1)
    assert two.decisive and two.decision.verdict is Verdict.UNMEASURABLE


def test_an_impossible_speedup_that_the_rounds_do_not_share_is_measured_again():
    """One slow npc=1 window in one of two rounds drags the medians past the cores, while the other round
    scales: the rounds disagree, so the site is measured again instead of being called unmeasurable."""
    fine = table(("1", 70, 1.0, 0.01), ("2", 133, 1.9, 0.01), ("autotune", 131, 1.9, 0.01))
    slow_start = table(("1", 40, 1.0, 0.01), ("2", 132, 1.9, 0.01), ("autotune", 130, 1.9, 0.01))
    combined = table(("1", 52, 1.0, 0.01), ("2", 132, 1.9, 0.01), ("autotune", 130, 1.9, 0.01))
    s = stability.assess(_make(()), combined, [fine, slow_start], needed=1)
    assert s.decision.signature == "impossible-speedup"
    assert s.round_verdicts == ["scales", "unmeasurable"] and not s.decisive


# --------------------------------------------------------------------- the process pool is timed on demand


def test_the_pool_is_not_timed_when_a_signature_before_it_decides():
    """A contended flat curve is gil-bound by `flat-contended`, tried before the one signature that reads the
    pool's timing: the pool's seconds of worker start-up would buy nothing."""
    from tfpar_doctor.probe.verdict import pool_could_decide

    m = site(GIL_BOUND_PIPE, GIL_BOUND_PIPE)
    assert judge(m).signature == "flat-contended"
    assert not pool_could_decide(m)
    assert not pool_could_decide(site(SORT_PIPE, SORT_PIPE))  # scales: the pool cannot make it gil-bound


def test_the_pool_is_timed_when_its_number_could_change_the_verdict():
    """A flat Python stage at one core with the GIL mostly free (a lock elsewhere, or many short calls into
    C): no signature before `flat-processes-scale` decides it, so the pool is timed; once timed, no more."""
    from tfpar_doctor.probe.verdict import pool_could_decide

    pipe = table(("1", 100, 1.0, 0.05), ("2", 101, 1.02, 0.06), ("autotune", 100, 1.02, 0.05))
    alone = table(("1", 150, 1.0, 0.05), ("2", 152, 1.03, 0.06))
    untimed = site(pipe, alone, stage_per_pipeline_element=1.0)
    assert judge(untimed).verdict is Verdict.INCONCLUSIVE
    assert pool_could_decide(untimed)
    timed = dataclasses.replace(untimed, multiprocessing_speedup=1.9, multiprocessing_workers=2)
    assert judge(timed).signature == "flat-processes-scale" and not pool_could_decide(timed)
    slow_pool = dataclasses.replace(untimed, multiprocessing_speedup=1.0, multiprocessing_workers=2)
    assert judge(slow_pool).verdict is Verdict.INCONCLUSIVE and not pool_could_decide(slow_pool)


def test_a_gil_bound_site_is_not_sent_to_the_pool_for_more_confidence():
    """Recorded two_stage.py:19 at one core: throughput fell, gil-bound by `flat-fell` without the pool."""
    from tfpar_doctor.probe.verdict import pool_could_decide

    from .test_verdict import TENSOR_LOOP_ALONE, TENSOR_LOOP_PIPE

    m = site(TENSOR_LOOP_PIPE, TENSOR_LOOP_ALONE, stage_per_pipeline_element=8.0, calibration_speedup=1.83)
    assert judge(m).verdict is Verdict.GIL_BOUND and not pool_could_decide(m)


# p10_image_augment.py:49 (JPEG decode + resize, traced; labelled `scales`), third probe of the 2026-12-05
# idle stability run: rounds read 2.2x (scales) and 2.5x (more than 2 cores x 1.2 allow) in turn
P10_SCALES = table(("1", 2.45, 1.08, 0.02), ("2", 5.35, 2.05, 0.0), ("autotune", 5.3, 2.1, 0.0))
P10_OVER_READ = table(("1", 2.3, 1.08, 0.02), ("2", 5.9, 2.2, 0.0), ("autotune", 5.8, 2.2, 0.0))
P10_COMBINED = table(("1", 2.45, 1.08, 0.02), ("2", 5.42, 2.21, 0.0), ("autotune", 5.31, 2.2, 0.0))


def test_a_round_that_over_reads_a_scaling_stage_agrees_with_scales() -> None:
    make = _make(())
    assert judge(make(P10_OVER_READ)).verdict is Verdict.UNMEASURABLE  # alone, the round is impossible
    s = stability.assess(make, P10_COMBINED, [P10_OVER_READ, P10_SCALES, P10_OVER_READ, P10_SCALES])
    assert s.round_verdicts == ["unmeasurable", "scales", "unmeasurable", "scales"]  # recorded as measured
    assert s.decisive and s.agreement == 1.0 and s.over_read == 2 and s.as_dict()["over_read"] == 2
    d = stability.conclude(s)
    assert d.verdict is Verdict.SCALES
    agreeing = "2 gave scales on their own, 2 read more speed-up than the cores allow"
    assert any(agreeing in r for r in d.reasons)


def test_an_over_read_round_does_not_rescue_another_verdict() -> None:
    # the combined curve reads `partial`: a round beyond the cores is no evidence for it, the split stays
    partial = table(("1", 100, 1.04, 0.01), ("2", 120, 1.9, 0.02), ("autotune", 119, 1.9, 0.02))
    over = table(("1", 100, 1.04, 0.01), ("2", 260, 2.0, 0.0), ("autotune", 255, 2.0, 0.0))
    make = _make(())
    assert judge(make(partial)).verdict is Verdict.PARTIAL
    s = stability.assess(make, partial, [partial, over])
    assert s.over_read == 0 and s.agreement == 0.5 and not s.decisive
