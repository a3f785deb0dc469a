"""Round trip and validation of the probe results file (no TensorFlow needed)."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from tfpar_doctor.model import LevelResult, PhaseTime, ProbeRun, ProbeSite, SiteResult, Verdict
from tfpar_doctor.probe import results


def _level(level: str, par: int | None, eps: float, **kw) -> LevelResult:
    return LevelResult(
        level=level,
        parallelism=par,
        elements_per_second=eps,
        spread=0.03,
        cpu_cores=1.0,
        gil_contention=0.8,
        other_cpu_cores=0.02,
        repeats=3,
        **kw,
    )


def sample_run() -> ProbeRun:
    site = ProbeSite(
        path="/tmp/pipe.py",
        line=12,
        method="map",
        function="load",
        original_parallelism="autotune",
        runs_python=True,
        column=5,
        python_kind="py_function",
        stateful=True,
    )
    nested = ProbeSite("/tmp/pipe.py", 20, "map", "inner", None, False, nested=True)
    return ProbeRun(
        target="/tmp/pipe.py:make_dataset",
        tensorflow_version="2.21.0",
        python_version="3.11.7",
        cores=2,
        machine="Linux-x86_64",
        calibration={"ok": True, "speedup": 1.93, "rounds": [{"npc1": 50.0, "npc2": 96.5}]},
        sites=[
            SiteResult(
                site=site,
                verdict=Verdict.GIL_BOUND,
                confidence=0.9,
                reasons=("flat: 1.02x from 1 to 2", "1.0 cores", "GIL contention 0.81"),
                pipeline=[
                    _level("1", 1, 52.0, elements=156, build_seconds=0.2, threadpool_size=2,
                           peak_rss_bytes=900 << 20),
                    _level("2", 2, 53.0, threadpool_size=2),
                    _level("autotune", None, 51.0, autotuned_value=2),
                    _level("private:16", 16, 50.0, threadpool_size=16),
                ],
                isolated=[_level("1", 1, 60.0), _level("2", 2, 59.0)],
                best_level="1",
                best_speedup=1.0,
                multiprocessing_speedup=1.8,
                threadpool_size=2,
                multiprocessing={"workers": 2, "worker_startup_seconds": 0.21},
                autotuned_value=2,
                notes=("levels above 2 need a private thread pool",),
                signature="flat-contended",
                explain=[
                    {"signature": "trace-time", "matched": False, "why": "runs per-element Python"},
                    {"signature": "flat-contended", "matched": True, "verdict": "gil-bound", "why": "1.02x"},
                ],
                element_bytes=4096,
                unit="batches",
                memory={"budget_bytes": 8 << 30, "budget_source": "--memory-budget", "advice": None},
                stability={"rounds": 3, "round_verdicts": ["gil-bound"] * 3, "agreement": 1.0},
            ),
            SiteResult(site=nested, verdict=Verdict.INCONCLUSIVE, confidence=0.2, reasons=("nested",)),
        ],
        warnings=["machine busy"],
        duration_seconds=12.5,
        options={"levels": ["1", "2", "autotune"], "seconds": 1.0},
        interpreter={"implementation": "CPython", "version": "3.11.7", "free_threaded_build": False,
                     "gil_enabled": True},
        phases=[
            PhaseTime("start-up", 0.6),
            PhaseTime("TensorFlow import", 4.2),
            PhaseTime("rebuilds", 0.4, "pipe.py:12", "pipeline"),
            PhaseTime("windows", 6.1, "pipe.py:12", "pipeline 1", windows=5, measured_seconds=4.0),
            PhaseTime("process pool", 1.0, "pipe.py:12"),
            PhaseTime("shutdown", 0.2),
        ],
    )


def test_round_trip(tmp_path):
    run = sample_run()
    out = tmp_path / "results.json"
    results.dump(run, out)
    assert results.load(out) == run
    data = json.loads(out.read_text())
    assert data["schema_version"] == 1
    assert data["sites"][0]["verdict"] == "gil-bound"
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_minimal_file_uses_defaults(tmp_path):
    data = results.to_dict(sample_run())
    for site in data["sites"]:
        for key in ("pipeline", "isolated", "best_level", "multiprocessing", "notes"):
            site.pop(key)
        for key in ("nested", "column", "python_kind", "stateful"):
            site["site"].pop(key)
    data.pop("warnings")
    data.pop("options")
    data.pop("phases")  # files from before the phases were kept
    data["unknown_future_key"] = 1
    run = results.from_dict(data)
    assert run.warnings == [] and run.options == {} and run.phases == []
    assert run.sites[0].pipeline == [] and run.sites[0].site.nested is False


def test_a_phase_needs_only_its_name_and_seconds():
    data = results.to_dict(sample_run())
    data["phases"] = [{"name": "start-up", "seconds": 0.5}]
    assert results.from_dict(data).phases == [PhaseTime("start-up", 0.5)]


def test_non_finite_numbers_become_null(tmp_path):
    run = sample_run()
    run.sites[0].pipeline[0].gil_contention = float("nan")
    loaded = results.loads(results.dumps(run))
    assert loaded.sites[0].pipeline[0].gil_contention is None


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d.pop("target"), "$: missing required key 'target'"),
        (lambda d: d.update(cores="two"), "$.cores: expected int"),
        (lambda d: d.update(schema_version=99), "newer tfpar-doctor"),
        (lambda d: d["sites"][0].update(verdict="fast"), "$.sites[0].verdict: unknown verdict 'fast'"),
        (lambda d: d["sites"][0].update(confidence=3), "$.sites[0].confidence: must be between 0 and 1"),
        (
            lambda d: d["sites"][0]["pipeline"][1].pop("spread"),
            "$.sites[0].pipeline[1]: missing required key",
        ),
        (lambda d: d["sites"][1]["site"].update(line=None), "$.sites[1].site.line: expected int, got null"),
        (lambda d: d.update(sites={}), "$.sites: expected list"),
        (lambda d: d["phases"][3].pop("seconds"), "$.phases[3]: missing required key 'seconds'"),
        (lambda d: d["phases"][0].update(site=3), "$.phases[0].site: expected str"),
    ],
)
def test_invalid_content_names_the_place(mutate, message):
    data = results.to_dict(sample_run())
    mutate(data)
    with pytest.raises(results.ResultsError) as err:
        results.from_dict(data, "r.json")
    assert message in str(err.value)
    assert str(err.value).startswith("r.json: ")


def test_bad_files(tmp_path):
    with pytest.raises(results.ResultsError, match="no such file"):
        results.load(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(results.ResultsError, match="not valid JSON"):
        results.load(bad)
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(results.ResultsError, match="not UTF-8"):
        results.load(binary)
    top = tmp_path / "list.json"
    top.write_text("[]")
    with pytest.raises(results.ResultsError, match="expected an object"):
        results.load(top)


def test_reader_knows_every_field():
    """A field added to the probe dataclasses must be read back too."""
    data = results.to_dict(sample_run())
    assert set(data) == {f.name for f in fields(ProbeRun)}
    assert set(data["sites"][0]) == {f.name for f in fields(SiteResult)}
    assert set(data["sites"][0]["site"]) == {f.name for f in fields(ProbeSite)}
    assert set(data["sites"][0]["pipeline"][0]) == {f.name for f in fields(LevelResult)}
    assert set(data["phases"][0]) == {f.name for f in fields(PhaseTime)}
    assert results.from_dict(data) == sample_run()


def test_terminal_rendering():
    from rich.console import Console

    from tfpar_doctor.probe.show import show_run

    console = Console(record=True, width=120)
    show_run(sample_run(), console)
    text = console.export_text()
    assert "verdict: gil-bound" in text and "GIL-bound Python; confidence 0.90" in text
    assert "whole pipeline, this site varied" in text and "stage alone, from cached inputs" in text
    for column in ("el/s", "speedup", "CPU", "GIL", "other CPU"):
        assert column in text
    assert "private:16" in text and "autotune (→2)" in text
    assert "process pool of 2: 1.80x" in text
    assert "warning: machine busy" in text
    assert "batches/s" in text and "900 MiB" in text and "3 round(s), 100% agree" in text
    assert "CPython 3.11.7 (with the GIL)" in text and "signatures tried" not in text
    # where the 12.5 s went, one line (each site's phases as one entry); every phase with --explain
    assert "time: 12.5 s: start-up 0.6, TensorFlow import 4.2, site pipe.py:12 7.5, shutdown 0.2" in text
    assert "where the time went" not in text
    console = Console(record=True, width=120)
    show_run(sample_run(), console, explain=True)
    text = console.export_text()
    assert "signatures tried (matched: flat-contended)" in text and "· trace-time: runs per-element" in text
    assert "where the time went" in text
    row = next(line for line in text.splitlines() if "pipeline 1" in line)
    assert row.replace("│", " ").split() == ["windows", "pipe.py:12", "pipeline", "1", "6.10", "5", "4.00"]
    assert "process pool: the same Python function in a spawned process pool" in text
