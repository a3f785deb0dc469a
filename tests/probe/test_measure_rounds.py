"""When a sweep may stop repeating: every level's trusted rounds agree (measure._settled)."""

from __future__ import annotations

import pytest

from .conftest import needs_tf

pytestmark = needs_tf


def windows(**rates: float):
    from tfpar_doctor.probe.measure import Window

    return {level: Window(int(rate), 1.0, 1.0, 0.0, None, 0.01) for level, rate in rates.items()}


@pytest.fixture
def settled():
    from tfpar_doctor.probe.measure import _settled

    return _settled


def test_two_agreeing_rounds_settle(settled):
    rounds = [(True, windows(a=100, b=200)), (True, windows(a=104, b=195))]
    assert settled(rounds, ["a", "b"], 2)


def test_one_level_that_moves_keeps_measuring(settled):
    rounds = [(True, windows(a=100, b=200)), (True, windows(a=100, b=240))]
    assert not settled(rounds, ["a", "b"], 2)


def test_untrusted_rounds_do_not_count(settled):
    rounds = [(False, windows(a=100)), (True, windows(a=100))]
    assert not settled(rounds, ["a"], 2)
    assert settled(rounds + [(True, windows(a=101))], ["a"], 2)


def test_a_level_that_produced_nothing_never_settles(settled):
    rounds = [(True, windows(a=0)), (True, windows(a=0))]
    assert not settled(rounds, ["a"], 2)


def test_batches_are_recognised_from_the_output_back():
    import tensorflow as tf

    from tfpar_doctor.probe.measure import cardinality, yields_batches

    ds = tf.data.Dataset.range(100).map(lambda x: x * 2)
    assert not yields_batches(ds)
    assert yields_batches(ds.batch(4).prefetch(2))
    assert yields_batches(ds.padded_batch(4).map(lambda x: x))
    assert not yields_batches(ds.batch(4).unbatch())
    assert cardinality(ds) == 100 and cardinality(ds.repeat()) is None


def _session(monkeypatch, speedups):
    from tfpar_doctor.probe import measure
    from tfpar_doctor.probe.session import Session, Settings

    calls = []

    def fake_calibrate(meter, seconds, cores):
        calls.append(seconds)
        return {"speedup": speedups[min(len(calls), len(speedups)) - 1]}

    monkeypatch.setattr(measure, "calibrate", fake_calibrate)
    settings = Settings.from_cfg({"target": "x.py:f", "levels": ["1", "2"], "seconds": 0.8, "cores": 2})
    return Session(settings, lambda *a, **k: None), calls


def test_a_trusted_calibration_is_reused_while_the_machine_stays_quiet(monkeypatch):
    session, calls = _session(monkeypatch, [1.9])
    assert session.calibrate() and session.calibrate() and session.calibrate()
    assert len(calls) == 1
    assert session.calibration_rounds[-1]["reused"] == 2
    assert session.calibration_speed() == 1.9


def test_other_load_since_the_calibration_makes_the_next_round_calibrate_again(monkeypatch):
    session, calls = _session(monkeypatch, [1.9, 1.1])
    assert session.calibrate()
    session.meter.busiest_other = 0.6  # a window saw other processes take 0.6 of 2 cores
    assert not session.calibrate()  # measured again, and the machine no longer lends its cores
    assert len(calls) == 2
    assert not session.calibrate()  # an untrusted calibration is never reused
    assert len(calls) == 3


def test_an_old_calibration_is_measured_again(monkeypatch):
    from tfpar_doctor.probe import thresholds as T

    session, calls = _session(monkeypatch, [1.9])
    session.calibrate()
    session._calibrated_at -= T.CALIBRATION_REUSE_SECONDS + 1
    session.calibrate()
    assert len(calls) == 2


def test_a_fast_finite_input_is_cached_in_one_read():
    import tensorflow as tf

    from tfpar_doctor.probe.measure import cached_input

    cached, n, _ = cached_input(tf.data.Dataset.range(100), 5.0, 1 << 20, 4000)
    assert n == 100 and list(cached.as_numpy_iterator()) == list(range(100))


def test_an_input_longer_than_the_cache_is_cut_at_the_element_limit():
    import tensorflow as tf

    from tfpar_doctor.probe.measure import cached_input

    cached, n, _ = cached_input(tf.data.Dataset.range(10**9), 5.0, 1 << 20, 50)
    assert n == 50 and list(cached.as_numpy_iterator()) == list(range(50))


def test_large_elements_are_cached_up_to_the_byte_limit():
    import tensorflow as tf

    from tfpar_doctor.probe.measure import cached_input

    rows = tf.data.Dataset.range(10**6).map(lambda i: tf.fill([1000], i))  # 8000 bytes an element
    cached, n, _ = cached_input(rows, 5.0, 80_000, 4000)
    assert n == 10 and [int(x[0]) for x in cached.as_numpy_iterator()] == list(range(10))


def test_a_slow_input_is_cached_as_far_as_the_timed_read_reached():
    import time

    import tensorflow as tf

    from tfpar_doctor.probe.measure import cached_input

    def slow(i):
        time.sleep(0.02)
        return i

    ds = tf.data.Dataset.range(10**6).map(lambda i: tf.py_function(slow, [i], tf.int64))
    cached, n, _ = cached_input(ds, 0.3, 1 << 20, 4000)
    assert 8 <= n < 4000
    assert len(list(cached.as_numpy_iterator())) == n  # complete and re-readable: the cache holds n


class _UntrustedSweep:
    """A pipeline sweep whose every round the calibration distrusts."""

    def __init__(self) -> None:
        self.levels = ["1", "2"]
        self.rounds: list[tuple[bool, dict]] = []
        self.trusted_rounds = 0

    def round(self, phase: str | None = None) -> None:
        self.rounds.append((False, {}))

    def stats(self) -> list:
        return []


def _site_probe(monkeypatch, side_effects):
    from types import SimpleNamespace

    from tfpar_doctor.probe.site_probe import SiteProbe

    settings = SimpleNamespace(min_rounds=1, extra_rounds=2, seconds=0.8, elements=None)
    session = SimpleNamespace(
        s=settings, levels=["1", "2"], pool=2, cores=2, unit="elements", dataset_elements=None,
        calibration_rounds=[{"speedup": 1.0}], calibration_speed=lambda: 1.0,
        emit=lambda *a, **k: None, plan_more=lambda *a, **k: None,
    )
    site = SimpleNamespace(
        path="p.py", line=3, method="map", parallel_capable=True, nested=False, key="p.py:3",
        runs_python=not side_effects, python_kind=None if side_effects else "py_function",
        side_effects=side_effects, trace_seconds=0.01, describe=lambda: "p.py:3 map",
    )
    probe = SiteProbe(session, site)  # type: ignore[arg-type]
    sweep = _UntrustedSweep()
    monkeypatch.setattr(probe, "_sweep", lambda *a, **k: sweep)
    return probe, sweep


def test_a_trace_time_site_takes_no_round_for_an_untrusted_calibration(monkeypatch):
    # its verdict comes from tracing, which no calibration changes: extra rounds would only cost time
    probe, sweep = _site_probe(monkeypatch, {"print": 1})
    probe._pipeline()
    assert len(sweep.rounds) == 1


def test_a_measured_site_takes_extra_rounds_for_an_untrusted_calibration(monkeypatch):
    probe, sweep = _site_probe(monkeypatch, {})
    probe._pipeline()
    assert len(sweep.rounds) == 3  # the first round and the two extra rounds allowed


def test_windows_whose_contention_nothing_reads_leave_the_knocker_alone():
    # gilknocker's stop() sleeps 100 ms: the calibration's windows, which read rates only, skip it
    from tfpar_doctor.probe import measure

    class Knocker:
        starts = 0
        contention_metric = 0.25
        is_running = False

        def reset_contention_metric(self) -> None:
            pass

        def start(self) -> None:
            self.starts += 1

        def stop(self) -> None:
            pass

    meter = measure.Meter()
    knocker = meter.knocker = Knocker()
    result = measure.calibrate(meter, 0.05, 2)
    assert knocker.starts == 0 and result["speedup"] > 0
    window = meter.window(measure.calibration_dataset(1), 0.05, None, 0.0)
    assert knocker.starts == 1 and window.gil == 0.25
