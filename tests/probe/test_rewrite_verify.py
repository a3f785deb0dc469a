"""The tf-native verification's comparison and its sentence (no TensorFlow needed)."""

from __future__ import annotations

import numpy as np

from tfpar_doctor.probe.rewrite_verify import (
    SKETCH,
    Verification,
    compare,
    difference,
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
