"""The probe names the TFP201 hang: a stalled pipeline whose per-element Python callback is inside a
TensorFlow call is reported as that, with the callback's name and line (probe/hang.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tfpar_doctor.probe import runner

from .conftest import fixture, group_alive, needs_tf

# These runs judge no verdict (errors, limits, bounds): one round of short windows is enough.
FAST = ["--seconds", "0.2", "--repeat", "1", "--levels", "1,2", "--no-multiprocessing", "--extra-rounds", "0",
        "--max-rounds", "1"]


@needs_tf
@pytest.mark.probe
def test_a_stall_inside_a_tensorflow_call_from_a_callback_is_named_tfp201(invoke: Any) -> None:
    result = invoke(fixture("tfp2xx/tfp201_stall.py") + ":make", *FAST, "--stall-timeout", "8")
    assert result.exit_code == 3, result.output
    text = " ".join(result.output.split())
    assert "no progress for 8 s" in text
    assert "this is the TFP201 hang" in text and "`label`" in text and "tfp201_stall.py:23" in text
    assert runner.LAST_CHILD_PID is not None and not group_alive(runner.LAST_CHILD_PID)

