"""The library-call records: one record per call, and facts that agree with each other."""

from __future__ import annotations

from collections import Counter

from tfpar_doctor.knowledge import python_calls, rewrites, tfdata
from tfpar_doctor.knowledge.library_calls import LIBRARY_CALLS
from tfpar_doctor.model import BodyClass


def test_each_call_has_one_record() -> None:
    """A second record for a name would silently replace the first one's facts in the derived lookups."""
    twice = [name for name, count in Counter(call.name for call in LIBRARY_CALLS).items() if count > 1]
    assert twice == []


def test_waits_and_decoders_are_never_pure_python() -> None:
    """`waits` and `decodes` choose between io and native: a call classed cpu-bound cannot be either."""
    wrong = [
        call.name
        for call in LIBRARY_CALLS
        if (call.waits or call.decodes) and python_calls.classify_call(call.name) is BodyClass.CPU
    ]
    assert wrong == []


def test_a_message_only_call_is_a_trace_time_side_effect() -> None:
    """`message_only` narrows TFP001 for calls it reports; on any other record it would mean nothing."""
    stray = [call.name for call in LIBRARY_CALLS if call.message_only and not call.trace_time]
    assert stray == []


def test_lookups_read_the_records() -> None:
    """Spot checks that one record feeds every table that describes its call."""
    assert python_calls.classify_call("time.sleep") is BodyClass.IO
    assert python_calls.matches_prefix("time.sleep", python_calls.WAIT_PREFIXES)
    assert "time.sleep" in rewrites.NOT_WORK
    assert "time.sleep" in tfdata.TRACE_TIME_SIDE_EFFECTS
    assert rewrites.SIDE_EFFECT_REPLACEMENTS["print"] == "tf.print"
    assert python_calls.classify_call("PIL.Image.open") is BodyClass.NATIVE
    assert python_calls.matches_prefix("PIL.Image.open", python_calls.HEAVY_NATIVE_PREFIXES)
    assert rewrites.RETURN_TYPES["PIL.Image.open"] == "PIL.Image.Image"
    assert rewrites.TF_NATIVE["PIL.Image.open"].from_bytes.startswith("tf.io.decode_image(")
    assert rewrites.TF_NATIVE["numpy.float32"].template == "tf.cast({0}, tf.float32)"
    assert "numpy.random.default_rng" in python_calls.RANDOM_GENERATOR_FACTORIES
    assert tfdata.SIDE_EFFECT_MODULE_PREFIXES["subprocess."] == "a subprocess"
