"""The probe never falls over: bad targets, failing, hanging, leaking and infinite pipelines, no "
"TensorFlow."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tfpar_doctor.probe import runner

from .conftest import fixture, group_alive, needs_tf

# These runs judge no verdict (errors, limits, bounds): one round of short windows is enough.
FAST = ["--seconds", "0.2", "--repeat", "1", "--levels", "1,2", "--no-multiprocessing", "--extra-rounds", "0",
        "--max-rounds", "1"]


# ------------------------------------------------------------------ no child process needed


def test_importing_the_cli_imports_nothing_heavy():
    code = (
        "import sys, tfpar_doctor.probe.cli, tfpar_doctor.probe.results, tfpar_doctor.probe.verdict;"
        "heavy = [m for m in ('tensorflow', 'psutil', 'gilknocker', 'numpy') if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_missing_file(invoke):
    result = invoke("no/such/file.py:make_dataset")
    assert result.exit_code == 2
    assert "no such file: no/such/file.py" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("target", ["make_dataset", "pipe.py:", ":make"])
def test_malformed_target(invoke, target):
    result = invoke(target)
    assert result.exit_code == 2
    assert "must look like path/to/file.py:make_dataset" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--levels", "1,two"], "not a level"),
        (["--arg", "novalue"], "expected key=value"),
        (["--site", "pipe.py"], "expected FILE:LINE"),
        (["--memory-limit", "lots"], "not a size"),
        (["--memory-budget", "0"], "--memory-budget: the size must be positive"),
    ],
)
def test_usage_errors(invoke, args, message):
    result = invoke(fixture("gil_bound.py") + ":make_dataset", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_missing_extra_is_named(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "tensorflow" else real(name, *a)
    )
    with pytest.raises(runner.ProbeError) as err:
        runner.check_extra()
    assert err.value.exit_code == 2
    assert "pip install 'tfpar-doctor[probe]'" in err.value.message


def test_levels_parsing():
    assert runner.parse_levels("1,2,4,auto", 2) == ["1", "2", "4", "autotune"]
    assert runner.parse_levels("2,cores,private:16", 4) == ["1", "2", "4", "private:16"]
    assert runner.default_levels(2) == ["1", "2", "autotune"]
    assert runner.default_levels(8) == ["1", "2", "4", "8", "autotune"]
    assert runner.default_levels(6) == ["1", "2", "4", "6", "autotune"]


# ------------------------------------------------------------------ through the child process


@needs_tf
@pytest.mark.probe
def test_tensorflow_not_installed(tmp_path):
    fake = tmp_path / "tensorflow"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('No module named tensorflow (fake for the test)')\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run(
        [sys.executable, "-m", "tfpar_doctor.probe", fixture("gil_bound.py") + ":make_dataset", *FAST],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 2, out.stderr
    assert "pip install 'tfpar-doctor[probe]'" in out.stderr
    assert "Traceback" not in out.stderr


BROKEN_SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    from tfpar_doctor.probe import child, intercept

    def quiet(event, **data):
        pass

    out = {}
    for name, target, site in json.loads(sys.argv[1]):
        intercept.STATE.sites.clear()
        args = ["speed=3"] if name == "bad-arg" else []
        cfg = dict(target=target, args=args, levels=["1"], seconds=0.1, repeat=1, elements=None, site=site,
                   cores=2, multiprocessing=False)
        try:
            child.run(cfg, quiet)
            out[name] = {"kind": None}
        except child.ProbeFailure as exc:
            out[name] = {"kind": exc.kind, "message": exc.message, "traceback": exc.tb}
    print(json.dumps(out))
    """
)

BROKEN = {
    "not-dataset": ("broken/not_dataset.py:make_dataset", None),
    "not-callable": ("broken/not_dataset.py:NOT_CALLABLE", None),
    "no-attribute": ("broken/not_dataset.py:make_pipeline", None),
    "import-error": ("broken/import_error.py:make_dataset", None),
    "empty": ("broken/empty.py:make_dataset", None),
    "no-site": ("broken/infinite.py:make_dataset", "infinite.py:99"),
    "bad-arg": ("broken/infinite.py:make_dataset", None),
}


@pytest.fixture(scope="module")
def broken():
    cases = [(name, fixture(target), site) for name, (target, site) in BROKEN.items()]
    cases.append(("no-module", "no_such_package.pipelines:make_dataset", None))
    out = subprocess.run(
        [sys.executable, "-c", BROKEN_SCRIPT, json.dumps(cases)], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@needs_tf
@pytest.mark.probe
@pytest.mark.parametrize(
    "name, kind, message",
    [
        ("not-dataset", "not-dataset", "returned builtins.list, not a tf.data.Dataset"),
        ("not-callable", "target", "is a int, not a callable"),
        ("no-attribute", "target", "has no attribute 'make_pipeline' (callables there: make_dataset)"),
        ("import-error", "user", "No module named 'helpers_that_do_not_exist'"),
        ("empty", "empty", "returned an empty dataset"),
        ("no-site", "target", "no call site at infinite.py:99; sites found: "),
        ("no-module", "target", "no module named 'no_such_package.pipelines'"),
        ("bad-arg", "usage", "unexpected keyword argument 'speed' (pass arguments with --arg key=value)"),
    ],
)
def test_broken_targets(broken, name, kind, message):
    assert broken[name]["kind"] == kind, broken[name]
    assert message in broken[name]["message"]
    assert runner.ProbeError(kind, "").exit_code == (2 if kind in ("target", "not-dataset", "usage") else 3)


@needs_tf
@pytest.mark.probe
def test_import_error_traceback_is_the_users(broken):
    tb = broken["import-error"]["traceback"]
    assert "import_error.py" in tb and "tfpar_doctor/probe" not in tb


def test_module_that_does_not_exist_fails_before_starting_tensorflow(invoke):
    result = invoke("no_such_package.pipelines:make_dataset", *FAST)
    assert result.exit_code == 2
    assert "no module named 'no_such_package.pipelines'" in result.output


@needs_tf
@pytest.mark.probe
def test_exception_after_n_elements_shows_the_users_traceback(invoke):
    result = invoke(
        fixture("broken/raises_after.py") + ":make_dataset",
        "--seconds",
        "0.3",
        "--repeat",
        "1",
        "--levels",
        "1",
        "--no-multiprocessing",
    )
    assert result.exit_code == 3, result.output
    assert "corrupt record 30" in result.output
    assert "raises_after.py" in result.output  # the user's frame
    assert "tfpar_doctor/probe/child.py" not in result.output  # not ours
    assert not group_alive(runner.LAST_CHILD_PID)


@needs_tf
@pytest.mark.probe
def test_hang_is_killed_with_its_process_tree(invoke):
    result = invoke(fixture("broken/hangs.py") + ":make_dataset", *FAST, "--stall-timeout", "5")
    assert result.exit_code == 3, result.output
    assert "no progress for 5 s" in result.output
    assert not group_alive(runner.LAST_CHILD_PID)


@needs_tf
@pytest.mark.probe
def test_total_timeout(invoke):
    result = invoke(fixture("broken/hangs.py") + ":make_dataset", *FAST, "--timeout", "6")
    assert result.exit_code == 3
    assert "--timeout 6 s" in result.output
    assert not group_alive(runner.LAST_CHILD_PID)


@needs_tf
@pytest.mark.probe
def test_memory_limit(invoke):
    result = invoke(fixture("broken/memory_hog.py") + ":make_dataset", *FAST, "--memory-limit", "1200M")
    assert result.exit_code == 3, result.output
    assert "over --memory-limit 1200 MiB" in result.output
    assert not group_alive(runner.LAST_CHILD_PID)


@needs_tf
@pytest.mark.probe
def test_infinite_dataset_is_bounded(invoke, tmp_path):
    out = tmp_path / "r.json"
    result = invoke(
        fixture("broken/infinite.py") + ":make_dataset",
        "--arg",
        "scale=3",
        "--elements",
        "200",
        *FAST,
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    from tfpar_doctor.probe import results

    run = results.load(out)
    assert len(run.sites) == 1
    assert all(lv.elements <= 200 * lv.repeats for lv in run.sites[0].pipeline)
    assert run.options["args"] == {"scale": "3"}


@needs_tf
@pytest.mark.probe
def test_native_crash(invoke):
    result = invoke(fixture("broken/crash.py") + ":make_dataset", *FAST)
    assert result.exit_code == 3, result.output
    assert "died from signal 11" in result.output
    assert "reading the first elements" in result.output
    assert not group_alive(runner.LAST_CHILD_PID)
