"""Interception of dataset construction, in a child interpreter with TensorFlow (one run for all checks)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from .conftest import fixture, needs_tf

pytestmark = [needs_tf, pytest.mark.probe]

SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tensorflow as tf
    from tfpar_doctor.probe import intercept, child
    intercept.install()
    make = child.load_target(sys.argv[1])
    ds = make()
    first = [s.key for s in intercept.STATE.sites.values()]
    # a rebuild with an override: the site's parallelism changes, nothing else is recorded twice
    key = next(s.key for s in intercept.STATE.sites.values() if s.method == "map" and s.original_npc == "4")
    intercept.STATE.recording = False
    intercept.STATE.overrides = {key: intercept.Override(1)}
    ds2 = make()
    inner = ds2._datasets[0]._input_dataset  # zip -> filter -> map
    sites = [
        dict(line=s.line, method=s.method, function=s.function, npc=s.original_npc, nested=s.nested,
             runs_python=s.runs_python, kind=s.python_kind, stateful=s.stateful, py_funcs=len(s.py_funcs),
             recorded=len(s.recorded_inputs), path=os.path.basename(s.path))
        for s in intercept.STATE.sites.values()
    ]
    print(json.dumps(dict(sites=sites, same=len(first) == len(sites),
                          overridden=int(inner._num_parallel_calls.numpy()))))
    """
)


@pytest.fixture(scope="module")
def recorded():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, fixture("many_sites.py") + ":make_dataset"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_two_calls_on_one_line_are_two_sites(recorded):
    assert sum(1 for s in recorded["sites"] if s["line"] == 29 and s["method"] == "map") == 2


def by_line(recorded):
    return {(s["line"], s["method"]): s for s in recorded["sites"]}


def test_user_sites_with_lines_and_parallelism(recorded):
    sites = by_line(recorded)
    assert sites[(22, "map")]["npc"] == "4" and sites[(22, "map")]["function"] == "load"
    assert sites[(23, "filter")]["npc"] is None
    assert sites[(24, "interleave")]["npc"] == "autotune"
    assert (25, "flat_map") in sites
    assert (26, "from_generator") in sites
    assert sites[(27, "map")]["npc"] is None  # TF1 DatasetV1 map
    assert sites[(28, "map_and_batch")]["function"] == "make_dataset.<locals>.<lambda>"
    assert (
        sites[(30, "parallel_interleave")]["npc"] == "2"
        and sites[(30, "parallel_interleave")]["function"] == "read_shard"
    )
    assert all(s["path"] == "many_sites.py" for s in recorded["sites"])


def test_library_internal_calls_are_not_sites(recorded):
    # from_generator and map_and_batch call map/flat_map internally: none of those are recorded
    lines = sorted(s["line"] for s in recorded["sites"])
    assert lines == [13, 22, 23, 24, 25, 26, 27, 28, 29, 29, 30]
    assert recorded["same"]  # a rebuild records nothing new


def test_nested_map_inside_interleave_function(recorded):
    nested = by_line(recorded)[(13, "map")]
    assert nested["nested"] is True
    # read_shard is traced by interleave and by parallel_interleave: still one site
    assert sum(1 for s in recorded["sites"] if s["line"] == 13) == 1
    assert not by_line(recorded)[(24, "interleave")]["nested"]


def test_per_element_python_detected_from_the_graph(recorded):
    sites = by_line(recorded)
    load = sites[(22, "map")]
    assert load["runs_python"] and load["kind"] == "numpy_function" and load["stateful"] is True
    assert load["py_funcs"] >= 1
    assert not sites[(23, "filter")]["runs_python"]
    assert sites[(26, "from_generator")]["kind"] == "generator"
    assert sites[(13, "map")]["stateful"] is False


def test_override_applies_on_rebuild(recorded):
    assert recorded["overridden"] == 1
