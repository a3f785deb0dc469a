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
