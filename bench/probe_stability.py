"""Probe stability (issue 11 item 8): every pipeline of fixtures/probe and bench/probe_corpus probed N times.

    python bench/probe_stability.py [--runs 3] [--until 01:50] [--out bench/results/probe_stability.json]
                                    [--only fixtures|corpus] [PIPELINE ...]

Reports per-site agreement (the same verdict in every run; target: >= 97% of the sites, and every site
labelled gil-bound, scales or threadpool-capped), agreement with the labels, and the wall-time distribution
of one probe. Pipelines run one after another, each N times in a row, so that what finishes is complete;
with `--until HH:MM` (UTC) a pipeline is started only when its N runs fit before that time, judged from its
first run (the rest is listed as not run). Results are written after every run (the JSON under
bench/results/ is gitignored); the summary printed at the end is what goes in the README, with the machine.
Needs an idle machine: it measures the probe, and the probe measures the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from probe_accuracy import EXPECTED  # noqa: E402

from tfpar_doctor.model import LevelResult  # noqa: E402
from tfpar_doctor.probe import runner  # noqa: E402

FIXTURES = ROOT / "fixtures" / "probe"
CORPUS = ROOT / "bench" / "probe_corpus"
KEY_VERDICTS = ("gil-bound", "scales", "threadpool-capped")


def pipelines(only: str | None, names: list[str]) -> list[tuple[str, Path, dict[int, str]]]:
    """(name, file, {line: label}) for every fixture and corpus pipeline."""
    out: list[tuple[str, Path, dict[int, str]]] = []
    if only in (None, "fixtures"):
        for path in sorted(FIXTURES.glob("*.py")):
            if "def make_dataset" not in path.read_text():
                continue  # a helper module, not a pipeline
            out.append((f"fixtures/{path.name}", path, dict(EXPECTED.get(path.name, {}))))
    if only in (None, "corpus"):
        labels = json.loads((CORPUS / "labels.json").read_text())
        for name in sorted(labels):
            lines = {int(k): v["verdict"] for k, v in labels[name].items()}
            out.append((f"corpus/{name}", CORPUS / name, lines))
    if names:
        out = [p for p in out if any(n in p[0] for n in names)]
    # fixtures and corpus alternately: a run cut short by --until still covers both
    fixtures = [p for p in out if p[0].startswith("fixtures/")]
    corpus = [p for p in out if p[0].startswith("corpus/")]
    mixed = [p for pair in zip(corpus, fixtures, strict=False) for p in pair]
    n = min(len(corpus), len(fixtures))
    return mixed + corpus[n:] + fixtures[n:]


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": model,
        "cores": len(os.sched_getaffinity(0)),
        "load_average_at_start": os.getloadavg(),
    }


def probe_once(path: Path, cores: int) -> dict[str, Any]:
    options = runner.ProbeOptions(target=f"{path}:make_dataset", cores=cores)
    start = time.monotonic()
    load = os.getloadavg()[0]
    try:
        run = runner.run_probe(options)
    except runner.ProbeError as exc:
        return {"error": f"{exc.kind}: {exc.message[:300]}", "wall": round(time.monotonic() - start, 1)}
    return {
        "wall": round(time.monotonic() - start, 1),
        "load_average_before": load,
        "calibration": run.calibration.get("speedup"),
        "phases": [asdict(p) for p in run.phases],  # where the wall time went (bench/probe_phases.py)
        "sites": {
            f"{Path(s.site.path).name}:{s.site.line}": {
                "verdict": s.verdict.value,
                "confidence": s.confidence,
                "signature": s.signature,
                "rounds": (s.stability or {}).get("rounds"),
                "round_verdicts": (s.stability or {}).get("round_verdicts"),
                "best_level": s.best_level,
                # what the verdict rested on, so that a run that disagrees can be read afterwards
                "reasons": list(s.reasons),
                "pipeline": _curve(s.pipeline),
                "isolated": _curve(s.isolated),
            }
            for s in run.sites
        },
    }


def _curve(levels: list[LevelResult]) -> list[list[Any]]:
    """[level, elements/s, elements counted, process CPU cores, other processes' CPU cores] per level."""
    return [[lv.level, round(lv.elements_per_second, 2), lv.elements, round(lv.cpu_cores, 2),
             round(lv.other_cpu_cores, 2)] for lv in levels]


def summarise(data: dict[str, Any]) -> dict[str, Any]:
    sites: dict[str, dict[str, Any]] = {}
    walls, one_site_walls = [], []
    for name, entry in data["pipelines"].items():
        runs = [r for r in entry["runs"] if "sites" in r]
        walls += [r["wall"] for r in entry["runs"]]
        if runs and all(len(r["sites"]) == 1 for r in runs):
            one_site_walls += [r["wall"] for r in runs]
        keys = sorted({k for r in runs for k in r["sites"]})
        for key in keys:
            # a run that failed (the pipeline raised, hung ...) counts as a disagreeing "error" verdict
            verdicts = [r["sites"].get(key, {}).get("verdict", "missing") if "sites" in r else "error"
                        for r in entry["runs"]]
            line = int(key.rsplit(":", 1)[1])
            label = entry["labels"].get(str(line)) or entry["labels"].get(line)
            sites[f"{name}:{line}"] = {"verdicts": verdicts, "label": label,
                                       "agree": len(set(verdicts)) == 1, "runs": len(verdicts)}
    complete = {k: v for k, v in sites.items() if v["runs"] >= data["runs_wanted"]}
    agree = sum(v["agree"] for v in complete.values())
    key_sites = {k: v for k, v in complete.items() if v["label"] in KEY_VERDICTS}
    labelled = [v for v in complete.values() if v["label"]]
    right = sum(sum(x == v["label"] for x in v["verdicts"]) for v in labelled)

    def dist(xs: list[float]) -> dict[str, float] | None:
        if not xs:
            return None
        xs = sorted(xs)
        p90 = xs[min(len(xs) - 1, math.ceil(0.9 * len(xs)) - 1)]  # nearest rank
        return {"n": len(xs), "median": statistics.median(xs), "p90": p90,
                "min": xs[0], "max": xs[-1]}

    return {
        "sites_with_all_runs": len(complete),
        "sites_agreeing": agree,
        "agreement": round(agree / len(complete), 3) if complete else None,
        "key_sites": len(key_sites),
        "key_sites_agreeing": sum(v["agree"] for v in key_sites.values()),
        "verdicts_matching_labels": f"{right}/{sum(len(v['verdicts']) for v in labelled)}",
        "wall_seconds": dist(walls),
        "one_site_wall_seconds": dist(one_site_walls),
        "disagreeing": {k: v["verdicts"] for k, v in complete.items() if not v["agree"]},
        "not_run": [n for n, e in data["pipelines"].items() if not e["runs"]],
    }


def deadline(text: str | None) -> float | None:
    """Seconds since the epoch of the next HH:MM (UTC), or None."""
    if not text:
        return None
    now = dt.datetime.now(dt.timezone.utc)
    hour, minute = (int(x) for x in text.split(":"))
    at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if at < now - dt.timedelta(hours=12):
        at += dt.timedelta(days=1)
    return at.timestamp()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--until", default=None, help="HH:MM UTC: start no run that would end later")
    parser.add_argument("--only", choices=("fixtures", "corpus"), default=None)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "probe_stability.json"))
    args = parser.parse_args()
    end = deadline(args.until)
    cores = len(os.sched_getaffinity(0))
    todo = pipelines(args.only, args.names)
    data: dict[str, Any] = {"machine": machine(), "runs_wanted": args.runs, "started": time.time(),
                            "pipelines": {n: {"labels": {str(k): v for k, v in lab.items()}, "runs": []}
                                          for n, _, lab in todo}}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    for name, path, _ in todo:
        entry = data["pipelines"][name]
        for i in range(args.runs):
            if end is not None and i > 0:
                per_run = entry["runs"][0]["wall"]
                if time.time() + per_run * (args.runs - i) > end:
                    entry["stopped"] = "the remaining runs would not finish before --until"
                    break
            if end is not None and i == 0 and time.time() + 25 * args.runs > end:
                entry["stopped"] = "not started: too close to --until"
                break
            result = probe_once(path, cores)
            entry["runs"].append(result)
            verdicts = {k: v["verdict"] for k, v in result.get("sites", {}).items()}
            print(f"{name} run {i + 1}: {result['wall']:.1f}s {verdicts or result.get('error')}", flush=True)
            data["summary"] = summarise(data)
            out.write_text(json.dumps(data, indent=1))
    data["machine"]["load_average_at_end"] = os.getloadavg()
    data["finished"] = time.time()
    data["summary"] = summarise(data)
    out.write_text(json.dumps(data, indent=1))
    print(json.dumps(data["summary"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
