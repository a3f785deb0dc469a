"""The probe command's own logic without a child process: progress events, exit codes, output files."""

from __future__ import annotations

import io
import json

from rich.console import Console

from tfpar_doctor.probe import cli, runner

from .test_results import sample_run


class FakeRunner:
    """Stands in for tfpar_doctor.probe.runner: replays events, then returns a run or raises."""

    ProbeError = runner.ProbeError
    ProbeOptions = runner.ProbeOptions
    parse_levels = staticmethod(runner.parse_levels)

    def __init__(self, error: runner.ProbeError | None = None) -> None:
        self.error = error
        self.options = None

    def run_probe(self, options, on_event):
        self.options = options
        for event in (
            {"event": "stage", "text": "importing TensorFlow"},
            {"event": "plan", "total": 4},
            {"event": "tick", "text": "a"},
            {"event": "plan_more", "extra": 2},
            {"event": "warning", "text": "levels above 2 [need] a pool"},
            {"event": "tick", "text": "b"},
        ):
            on_event(event)
        if self.error is not None:
            raise self.error
        return sample_run()


def run(monkeypatch, fake, **kw):
    import tfpar_doctor.probe.runner as real

    monkeypatch.setattr(real, "run_probe", fake.run_probe)
    out, err = io.StringIO(), io.StringIO()
    code = cli.run_cli(console=Console(file=out, width=120), err_console=Console(file=err, width=120), **kw)
    return code, out.getvalue(), err.getvalue()


def test_success_prints_tables_and_writes_results(monkeypatch, tmp_path):
    fake = FakeRunner()
    out_file = tmp_path / "r.json"
    code, out, err = run(
        monkeypatch, fake, target="pipe.py:make", args=["n=3"], levels="1,2,auto", output=out_file, cores=2
    )
    assert code == 0
    assert "verdict: gil-bound" in out and f"results written to {out_file}" in out
    assert "levels above 2 [need] a pool" in err  # markup escaped
    assert json.loads(out_file.read_text())["sites"][0]["verdict"] == "gil-bound"
    assert fake.options.levels == ["1", "2", "autotune"] and fake.options.args == ["n=3"]
    assert fake.options.memory_limit and fake.options.memory_limit > 0


def test_user_error_shows_its_traceback(monkeypatch):
    error = runner.ProbeError(
        "user", "the pipeline raised ValueError: bad [record]", "Traceback...\nValueError: x"
    )
    code, _, err = run(monkeypatch, FakeRunner(error), target="pipe.py:make", args=[])
    assert code == 3
    assert "the pipeline raised an exception" in err and "bad [record]" in err
    assert "traceback from the pipeline's code" in err and "ValueError: x" in err


def test_hang_shows_the_last_output(monkeypatch):
    error = runner.ProbeError("hang", "no progress for 5 s", log="still reading shard 7")
    code, _, err = run(monkeypatch, FakeRunner(error), target="pipe.py:make", args=[])
    assert code == 3 and "pipeline hung" in err and "still reading shard 7" in err


def test_exit_codes():
    assert runner.ProbeError("target", "").exit_code == 2
    assert runner.ProbeError("tf-missing", "").exit_code == 2
    assert runner.ProbeError("usage", "").exit_code == 2
    assert runner.ProbeError("memory", "").exit_code == 3
    assert runner.ProbeError("crash", "").exit_code == 3
    assert runner.ProbeError("internal", "").exit_code == 4


def test_unwritable_output(monkeypatch, tmp_path):
    code, _, err = run(
        monkeypatch, FakeRunner(), target="pipe.py:make", args=[], output=tmp_path / "missing-dir" / "r.json"
    )
    assert code == 2 and "cannot write" in err


def test_json_output(monkeypatch, capsys):
    code, _, _ = run(monkeypatch, FakeRunner(), target="pipe.py:make", args=[], json_output=True)
    assert code == 0
    assert json.loads(capsys.readouterr().out)["target"] == "/tmp/pipe.py:make_dataset"


def test_a_bug_of_ours_is_one_line_not_a_traceback(monkeypatch):
    class Broken(FakeRunner):
        def run_probe(self, options, on_event):
            raise RuntimeError("oops")

    code, _, err = run(monkeypatch, Broken(), target="pipe.py:make", args=[])
    assert code == 4
    assert "internal error in tfpar-doctor" in err and "RuntimeError: oops" in err
    assert "Traceback" not in err
