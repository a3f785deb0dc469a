"""Where a probe's time goes (probe/phases.py): the child's timeline and the parent's composition, on a fake
clock and on the events of a recorded run. No TensorFlow, never skipped."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tfpar_doctor.model import PhaseTime
from tfpar_doctor.probe import phases
from tfpar_doctor.probe.phases import RunClock, Timeline


class Clock:
    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def by_key(items):
    return {(p.name, p.site, p.detail): p for p in items}


def test_a_phase_opened_inside_another_takes_its_time_from_it():
    clock = Clock(100.0)
    tl = Timeline(clock=clock)  # "start-up" is open from the origin
    clock.now = 100.5
    tl.switch("TensorFlow import")
    clock.now = 104.5
    tl.switch("unaccounted", "p.py:9")
    clock.now = 105.0
    with tl.phase("windows", "pipeline 1"):
        clock.now = 106.0
        tl.window(0.8)
    with tl.phase("judging"):
        clock.now = 106.5
        with tl.phase("process pool"):
            clock.now = 109.5
        clock.now = 109.75
    with tl.phase("windows", "pipeline 1"):  # a second window at the same level adds to the first
        clock.now = 110.75
        tl.window(0.8)
    tl.switch("results")
    clock.now = 111.0
    record = tl.record()
    assert record["origin"] == 100.0
    got = {(p["name"], p["site"], p["detail"]): p for p in record["phases"]}
    assert got[("start-up", None, None)]["seconds"] == 0.5
    assert got[("TensorFlow import", None, None)]["seconds"] == 4.0
    assert got[("unaccounted", "p.py:9", None)]["seconds"] == 0.5
    assert got[("windows", "p.py:9", "pipeline 1")] == {
        "name": "windows", "site": "p.py:9", "detail": "pipeline 1", "seconds": 2.0, "windows": 2,
        "measured_seconds": 1.6,
    }
    assert got[("judging", "p.py:9", None)]["seconds"] == 0.75  # the pool's 3 s are the pool's
    assert got[("process pool", "p.py:9", None)]["seconds"] == 3.0
    assert got[("results", None, None)]["seconds"] == 0.25
    assert sum(p["seconds"] for p in record["phases"]) == pytest.approx(11.0)
    assert all(name in phases.PHASES for name, _, _ in got)


# What a real run sent and saw (fixtures/probe/gil_bound.py on 2 cores): the parent's instants on its
# monotonic clock, the child's first event and its timeline record, the duration run_probe reported.
RECORDED = json.loads((Path(__file__).parent / "recorded_phases.json").read_text())


def replay(recorded) -> RunClock:
    clock = Clock(recorded["started"])
    run = RunClock(clock)
    clock.now = recorded["launched"]
    run.launch()
    at, event = recorded["first"]
    run.received(event, at)
    run.received({"event": "tick", "t": 3.0}, at + 3.0)  # only the first event places the child
    run.child = recorded["timeline"]
    for name, when in recorded["marks"]:
        clock.now = when
        run.mark(name)
    return run


def child_seconds(recorded) -> float:
    return sum(p["seconds"] for p in recorded["timeline"]["phases"])


def test_the_phases_of_a_recorded_run_add_up_to_its_wall_time():
    items, total = replay(RECORDED).phases()
    assert round(total, 2) == RECORDED["duration_seconds"]
    assert sum(p.seconds for p in items) == pytest.approx(total, abs=0.0005 * len(items))
    got = by_key(items)
    origin, started = RECORDED["timeline"]["origin"], RECORDED["started"]
    assert RECORDED["launched"] <= origin <= RECORDED["first"][0]  # one clock: the child's origin is used
    # the parent's part of the start (launch, Python start) and the child's own before TensorFlow: one phase
    child_start = RECORDED["timeline"]["phases"][0]["seconds"]
    assert got[("start-up", None, None)].seconds == pytest.approx(origin - started + child_start, abs=0.001)
    assert got[("TensorFlow import", None, None)].seconds == pytest.approx(3.814, abs=0.001)
    windows = got[("windows", "gil_bound.py:9", "pipeline 1")]
    assert windows.windows == 1 and windows.measured_seconds == pytest.approx(0.801, abs=0.001)
    hand_over = RECORDED["marks"][0][1] - (origin + child_seconds(RECORDED))
    assert 0 <= hand_over < 0.05
    assert got[("hand-over", None, None)].seconds == pytest.approx(hand_over, abs=0.001)
    assert got[("shutdown", None, None)].seconds == pytest.approx(
        RECORDED["marks"][1][1] - RECORDED["marks"][0][1], abs=0.001)
    assert [p.name for p in items][:2] == ["start-up", "TensorFlow import"]  # run order
    assert all(p.name in phases.PHASES for p in items)


def test_a_child_clock_that_is_not_the_parents_is_placed_by_its_first_event():
    recorded = copy.deepcopy(RECORDED)
    recorded["timeline"]["origin"] = 123.0  # another clock: outside [launched, first event received]
    items, total = replay(recorded).phases()
    got = by_key(items)
    at, event = recorded["first"]
    child_start = recorded["timeline"]["phases"][0]["seconds"]
    assert got[("start-up", None, None)].seconds == pytest.approx(
        at - event["t"] - recorded["started"] + child_start, abs=0.001)
    assert sum(p.seconds for p in items) == pytest.approx(total, abs=0.0005 * len(items))


def test_the_hand_over_is_never_negative_and_the_sum_still_holds():
    recorded = copy.deepcopy(RECORDED)
    # another clock in the child, and its first event read 0.2 s late (a busy parent): placed by that event,
    # the child's phases would end after the parent had its results
    recorded["timeline"]["origin"] = 123.0
    recorded["first"][0] += 0.2
    items, total = replay(recorded).phases()
    got = by_key(items)
    assert got[("hand-over", None, None)].seconds == 0.0
    assert got[("start-up", None, None)].seconds == pytest.approx(
        recorded["marks"][0][1] - child_seconds(recorded) - recorded["started"]
        + recorded["timeline"]["phases"][0]["seconds"], abs=0.001)
    assert all(p.seconds >= 0 for p in items)
    assert sum(p.seconds for p in items) == pytest.approx(total, abs=0.0005 * len(items))


def test_a_run_without_the_childs_timeline_is_one_unaccounted_phase_not_missing_time():
    recorded = copy.deepcopy(RECORDED)
    recorded["timeline"] = None
    items, total = replay(recorded).phases()
    assert [p.name for p in items] == ["unaccounted", "shutdown"]  # until the results came: unknown
    assert sum(p.seconds for p in items) == pytest.approx(total, abs=0.001)
    clock = Clock(10.0)
    bare = RunClock(clock)
    clock.now = 12.5
    items, total = bare.phases()
    assert items == [PhaseTime("unaccounted", 2.5)] and total == 2.5


def test_summary_line_groups_each_sites_phases_and_folds_the_small_ones():
    items = [
        PhaseTime("start-up", 0.9), PhaseTime("TensorFlow import", 4.24), PhaseTime("probe set-up", 0.02),
        PhaseTime("pipeline import", 0.02), PhaseTime("windows", 6.0, "p.py:12", "pipeline 1", 6, 4.8),
        PhaseTime("process pool", 3.1, "p.py:12"), PhaseTime("shutdown", 0.3),
    ]
    line = phases.summary(items, 14.6)
    assert line == "14.6 s: start-up 0.9, TensorFlow import 4.2, site p.py:12 9.1, shutdown 0.3"
    items.append(PhaseTime("results", 0.04))
    assert phases.summary(items, 14.64).endswith("shutdown 0.3, other 0.1")
    assert phases.summary([], 3.0) == ""
