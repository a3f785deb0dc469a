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
