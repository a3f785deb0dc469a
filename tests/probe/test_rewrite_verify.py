"""The tf-native verification's comparison and its sentence (no TensorFlow needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.probe.conftest import fixture, needs_tf
from tests.probe.test_results import sample_run
from tfpar_doctor.probe import results
from tfpar_doctor.probe.rewrite_verify import (
    SKETCH,
    Verification,
    as_record,
    compare,
    difference,
    from_record,
    load_function,
    summary,
)


def test_ints_must_match_exactly() -> None:
    assert difference(np.array([1, 2, 3]), np.array([1, 2, 3])) == ""
    assert "expected" in difference(np.array([1, 2, 3]), np.array([1, 2, 4]))


def test_str_and_bytes_compare_as_text() -> None:
    assert difference("hello", b"hello") == ""
    assert difference(["a", "b"], np.array([b"a", b"b"])) == ""
    assert difference("hello", b"hellO") != ""


def test_floats_within_and_outside_tolerance() -> None:
    assert difference(np.float32(1.0), np.float32(1.0 + 1e-7)) == ""
    assert difference(np.array([1.0, 2.0]), np.array([1.0, 2.1])) != ""


def test_shape_and_dtype_mismatch() -> None:
    assert difference(np.zeros((2, 3)), np.zeros((3, 2))).startswith("shape")
    assert difference(np.array([1, 2]), np.array(["1", "2"])).startswith("dtype")
    assert difference(np.array([1.0]), np.array(["1.0"])).startswith("dtype")


def test_nested_tuples_and_dicts_name_the_path() -> None:
    expected = ({"ids": np.array([1, 2]), "text": "ab"}, np.float64(0.5))
    assert difference(expected, ({"ids": np.array([1, 2]), "text": b"ab"}, 0.5)) == ""
    assert difference(expected, ({"ids": np.array([1, 3]), "text": b"ab"}, 0.5)).startswith("[0] ['ids']")
    assert difference(expected, ({"ids": np.array([1, 2])}, 0.5)).startswith("[0] keys")
    assert difference(expected, (1,)).startswith("2 outputs expected")


def test_compare_names_the_first_differing_element() -> None:
    same, first = compare([1, 2, 3, 4], [1, 2, 9, 8])
    assert not same
    assert first.startswith("element 2: expected 3, got 9")
    assert compare([1, 2], [1, 2]) == (True, "")


def test_load_function_execs_the_plan_source() -> None:
    function = load_function("def double_tf(x):\n    return x * 2\n", "double_tf", {})
    assert function(4) == 8


def test_summary_sentences() -> None:
    assert summary(Verification("f_tf", elements=240, same_outputs=True, speedup=6.14)) == (
        "same outputs on 240 elements, 6.1x faster")
    assert summary(Verification("f_tf", elements=240, same_outputs=True, speedup=0.5)).endswith("2.0x slower")
    differs = summary(Verification("f_tf", elements=240, first_difference="element 17: expected 1, got 2"))
    assert differs.startswith("outputs differ at element 17") and "not a drop-in" in differs
    assert summary(SKETCH) == "not verified: the rewrite is a sketch"


def test_results_round_trip_and_older_files(tmp_path: Path) -> None:
    run = sample_run()
    checked = Verification("load_tf", elements=240, same_outputs=False,
                           first_difference="element 17: expected 1, got 2", speedup=6.1)
    run.sites[0].verification = as_record(checked)
    out = tmp_path / "results.json"
    results.dump(run, out)
    again = results.load(out)
    assert again == run
    record = again.sites[0].verification
    assert record is not None and from_record(record) == checked
    data = results.to_dict(run)
    data["sites"][0].pop("verification")  # a file written before the verification existed
    assert results.from_dict(data).sites[0].verification is None


def test_results_reject_a_verification_without_its_function(tmp_path: Path) -> None:
    data = results.to_dict(sample_run())
    data["sites"][0]["verification"] = {"elements": 3}
    with pytest.raises(results.ResultsError, match="verification"):
        results.from_dict(data)


def test_terminal_prints_the_verification() -> None:
    from tfpar_doctor.probe.show import _tf_native_text

    site = sample_run().sites[0]
    assert _tf_native_text(site) == ""
    site.verification = as_record(Verification("load_tf", elements=240, same_outputs=True, speedup=6.1))
    assert _tf_native_text(site) == "   tf-native rewrite load_tf: same outputs on 240 elements, 6.1x faster"
    site.verification = as_record(SKETCH)
    assert _tf_native_text(site) == "   tf-native rewrite: not verified: the rewrite is a sketch"


@pytest.mark.probe
def test_verify_runs_the_rewrite_in_tf_data() -> None:
    tf = pytest.importorskip("tensorflow")
    from tfpar_doctor.probe.rewrite_verify import verify

    def original(text: bytes) -> int:
        return len(text.decode().lower())

    inputs = [(f"Word{i}".encode(),) for i in range(120)]
    good = "def original_tf(text):\n    return tf.strings.length(tf.strings.lower(text))\n"
    checked = verify(tf, original, good, "original_tf", inputs)
    assert checked.error == "" and checked.same_outputs and checked.elements == 120
    assert checked.speedup is not None and checked.speedup > 0
    wrong = "def original_tf(text):\n    return tf.strings.length(text) + 1\n"
    differs = verify(tf, original, wrong, "original_tf", inputs)
    assert not differs.same_outputs and differs.first_difference.startswith("element 0: expected 5, got")
    broken = "def original_tf(text):\n    return tf.strings.no_such_op(text)\n"
    failed = verify(tf, original, broken, "original_tf", inputs)
    assert failed.error.startswith("AttributeError:") and "\n" not in failed.error


def test_report_says_a_differing_rewrite_is_not_a_drop_in() -> None:
    from tfpar_doctor.advice.advisor import _native_verified

    site = sample_run().sites[0]
    assert _native_verified(site) == ""
    site.verification = as_record(Verification("load_tf", elements=240, same_outputs=True, speedup=6.1))
    expected = " On this site's recorded inputs: same outputs on 240 elements, 6.1x faster."
    assert _native_verified(site) == expected
    site.verification = as_record(Verification("load_tf", elements=240,
                                               first_difference="element 17: expected 1, got 2"))
    text = _native_verified(site)
    assert "element 17: expected 1, got 2" in text and "not a drop-in replacement" in text


def _lowered(text: bytes) -> bytes:
    return text.lower()


def test_a_plan_that_raises_before_the_run_is_the_verifications_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Building the plan fails (a body the planner does not handle): the site's record says so, the probe
    # goes on. No TensorFlow is touched before the plan, so none is needed here.
    from tfpar_doctor.advice import tf_native
    from tfpar_doctor.probe.rewrite_verify import verify_site

    def broken_plan(source: object) -> object:
        raise RecursionError("maximum recursion depth exceeded\nwhile planning")

    monkeypatch.setattr(tf_native, "plan", broken_plan)
    checked = verify_site(None, _lowered, [(b"A",)], eager=True)
    assert checked == Verification(function_name="_lowered", error="the rewrite could not be built: "
                                   "RecursionError: maximum recursion depth exceeded")
    assert summary(checked) == ("not verified: the rewrite could not be built: RecursionError: maximum "
                                "recursion depth exceeded")
    assert from_record(as_record(checked)) == checked


@needs_tf
@pytest.mark.probe
def test_probe_verify_rewrite_checks_a_complete_tf_native_rewrite_end_to_end(tmp_path: Path) -> None:
    # The CLI in a subprocess, as a user runs it: the site's Python function (np.sqrt(np.abs(x))) has a
    # complete tf-native plan, which the probe child runs on the inputs it recorded and compares.
    import os
    import subprocess
    import sys

    out = tmp_path / "results.json"
    path = fixture("tf_native_complete.py")
    # --site: the numpy_function map (line 16) alone; the cast map before it has no Python to verify
    done = subprocess.run(
        [sys.executable, "-m", "tfpar_doctor", "probe", f"{path}:make_dataset", "--site", f"{path}:16",
         "--seconds", "0.2", "--levels", "1,2", "--max-rounds", "1", "--no-multiprocessing",
         "--verify-rewrite", "-o", str(out)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
        env={**os.environ, "COLUMNS": "2000"})  # one site line per terminal line, pool text included
    assert out.exists(), done.stderr[-2000:]
    (site,) = [s for s in results.load(out).sites if s.site.python_kind == "numpy_function"]
    assert site.verification is not None, site
    checked = from_record(site.verification)
    assert checked.function_name == "magnitude_tf" and checked.error == "", checked
    assert checked.same_outputs and checked.first_difference == ""
    assert checked.elements > 0 and checked.speedup is not None
    assert summary(checked).startswith(f"same outputs on {checked.elements} elements, ")
    assert f"tf-native rewrite magnitude_tf: same outputs on {checked.elements} elements" in done.stdout
