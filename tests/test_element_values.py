"""Which values in a traced function are computed from the element (how-check-decides, reading 9).

A message (`print`, logging) in a traced map function is a TFP001 finding only when it shows such a value.
The blind held-out corpus found five false ones in EasyRec's `Input._preprocess`: a helper call on `self`
with the element made every configuration attribute read afterwards look like the element, and the keys of
a dict of sampled tensors looked like tensors. These tests pin both readings at the extractor, where the
taint is computed, and through `check`, including a rule other than TFP001 that reads the same taint.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tfpar_doctor.analysis.extract import extract
from tfpar_doctor.analysis.facts import CallFact
from tfpar_doctor.check import CheckSettings, run_check

CLASS_SOURCE = """
import logging
import tensorflow as tf


class Input:
    def _helper(self, x):
        return x

    def _preprocess(self, x):
        self._helper(x)
        print("config", self._name)
        for key, value in x.items():
            print("pair key", key)
            print("pair value", value)
        for name in x.keys():
            print("key", name)
        for item in x:
            print("item", item)
        parts = []
        parts.append(x)
        print("parts", parts)
        print("shape", x.shape)
        print("element", x)
        return x
"""


def _message_taints(source: str, function: str) -> dict[str, frozenset[str]]:
    """The first string argument of each `print` in `function` -> what its other arguments derive from."""
    facts = extract(source.encode(), "input.py", "input", "")
    calls: list[CallFact] = facts.functions[f"input.{function}"].calls
    out: dict[str, frozenset[str]] = {}
    for call in calls:
        if call.text == "print":
            label = call.args[0]
            out[str(getattr(label, "value", "?"))] = frozenset[str]().union(*call.tainted_args[1:])
    return out


def test_a_helper_method_handed_the_element_does_not_make_the_instance_the_element() -> None:
    taints = _message_taints(CLASS_SOURCE, "Input._preprocess")
    assert taints["config"] == frozenset()


def test_dict_keys_are_python_values_and_dict_values_are_the_elements() -> None:
    taints = _message_taints(CLASS_SOURCE, "Input._preprocess")
    assert taints["pair key"] == frozenset()
    assert taints["key"] == frozenset()
    assert taints["pair value"] == {"x"}


@pytest.mark.parametrize("label", ["item", "parts", "element"])
def test_values_that_may_hold_the_elements_tensors_stay_derived(label: str) -> None:
    """Iterating the element itself may give tensors (a tuple) or keys (a dict): still derived, as before;
    a local list the element was appended to holds it."""
    assert _message_taints(CLASS_SOURCE, "Input._preprocess")[label] == {"x"}


def test_static_shape_is_a_python_value() -> None:
    assert _message_taints(CLASS_SOURCE, "Input._preprocess")["shape"] == frozenset()


def _check(tmp_path: Path, source: str) -> set[tuple[str, int]]:
    path = tmp_path / "pipeline.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    result = run_check([path], CheckSettings(jobs=1, cache_dir=None))
    assert not result.internal_errors
    return {(f.code, f.location.line) for f in result.findings}


def test_configuration_after_a_helper_call_is_silent_and_the_element_still_fires(tmp_path: Path) -> None:
    found = _check(
        tmp_path,
        """\
        import logging
        import tensorflow as tf


        class Ranker:
            def _parse(self, record):
                return tf.io.parse_single_example(record, {"y": tf.io.FixedLenFeature([], tf.float32)})

            def _preprocess(self, record):
                features = self._parse(record)
                logging.info("label column: %s", self._label)
                for name, tensor in features.items():
                    logging.info("feature %s", name)
                    logging.info("value %s", tensor)
                return features

            def dataset(self, files):
                return tf.data.TFRecordDataset(files).map(self._preprocess, num_parallel_calls=4)
        """,
    )
    assert found == {("TFP001", 14)}


def test_numpy_on_configuration_after_a_helper_call_is_not_numpy_on_a_tensor(tmp_path: Path) -> None:
    """TFP003 reads the same taint: `np.asarray(self._mean)` is NumPy on configuration, which works at trace
    time; `np.asarray(image)` on the element fails there."""
    found = _check(
        tmp_path,
        """\
        import numpy as np
        import tensorflow as tf


        class Normalizer:
            def _decode(self, record):
                return tf.io.decode_png(record)

            def _preprocess(self, record):
                image = self._decode(record)
                mean = np.asarray(self._mean, dtype=np.float32)
                pixels = np.asarray(image)
                return tf.cast(image, tf.float32) - mean, pixels

            def dataset(self, files):
                return tf.data.TFRecordDataset(files).map(self._preprocess, num_parallel_calls=4)
        """,
    )
    assert found == {("TFP003", 12)}


DICT_SOURCE = """
import tensorflow as tf

NAMES = ("height", "width")


def parse(x):
    features = {}
    print("empty", features)
    for name in NAMES:
        features[name] = tf.strings.to_number(x[name])
    print("filled", features)
    nested = {"inner": {}}
    nested["inner"]["value"] = x
    print("nested", nested)
    counts = {}
    counts["names"] = len(NAMES)
    print("counts", counts)
    merged = {}
    merged.update(features)
    print("updated", merged)
    defaults = {}
    defaults.setdefault("label", x)
    print("defaulted", defaults)
    print("pair keys", [k for k, v in x.items()])
    print("pair values", [v for k, v in x.items()])
    print("key map", {k: 0 for k, v in x.items()})
    print("value map", {k: v for k, v in x.items()})
    print("constants", [0 for _ in x])
    print("items", [item for item in x])
    print("filtered keys", [k for k, v in x.items() if v is not None])
    return features
"""


@pytest.mark.parametrize(("label", "derived"), [
    ("empty", False),  # flow order: the dict holds nothing of the element yet
    ("filled", True),
    ("nested", True),
    ("counts", False),  # filled with configuration
    ("updated", True),
    ("defaulted", True),
])
def test_a_local_dict_holds_what_is_stored_into_it(label: str, derived: bool) -> None:
    """`features[name] = tensor` makes the local dict hold the element, like `parts.append(tensor)` does a
    list, from that statement on; so do `update` and `setdefault`."""
    assert _message_taints(DICT_SOURCE, "parse")[label] == (frozenset({"x"}) if derived else frozenset())


@pytest.mark.parametrize(("label", "derived"), [
    ("pair keys", False),  # only the dict's keys: Python values, as in `for k, v in x.items()`
    ("pair values", True),
    ("key map", False),
    ("value map", True),
    ("constants", False),  # holds no loop variable at all
    ("items", True),  # iterating the element itself may give tensors
    ("filtered keys", False),  # a condition on the tensors filters the keys, it stores none
])
def test_a_comprehension_holds_what_its_element_expression_derives_from(label: str, derived: bool) -> None:
    assert _message_taints(DICT_SOURCE, "parse")[label] == (frozenset({"x"}) if derived else frozenset())


def test_a_printed_dict_of_the_elements_tensors_fires_and_its_key_list_does_not(tmp_path: Path) -> None:
    found = _check(
        tmp_path,
        """\
        import numpy as np
        import tensorflow as tf


        def scale(features):
            names = [name for name, _ in features.items()]
            print("features:", names)
            scaled = {}
            for name in names:
                scaled[name] = features[name] * 2.0
            print("scaled:", scaled)
            return scaled, np.stack(list(scaled.values()))


        ds = tf.data.Dataset.from_tensor_slices({"a": [1.0], "b": [2.0]}).map(scale, num_parallel_calls=4)
        """,
    )
    assert found == {("TFP001", 11), ("TFP003", 12)}
