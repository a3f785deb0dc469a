"""Where a probe's wall time goes (issue 11: a one-site probe under 20 s on 2 cores, start-up included).

    python bench/probe_phases.py [--runs 3] [--out bench/results/probe_phases.json] PIPELINE ...

Each PIPELINE (a file with `make_dataset`) is probed as bench/probe_stability.py probes it (default options,
the machine's schedulable cores), `--runs` times in a row, one probe at a time. The 1-minute load average is
read before and after every probe: the probe measures the machine, and other work shows in its time too.
Prints a Markdown table: per pipeline, the median seconds of every phase over the runs (a site's phases by
name; "windows overhead" is the part of the measuring windows that was not counted: fresh iterators, first
elements, warm-ups, iterator release), the median wall time, and the load. Medians of the phases need not add
up to the median wall time; each run's phases add up to its own (the JSON keeps them all).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import probe_stability  # this script's directory is on sys.path

from tfpar_doctor.probe import phases

ROOT = Path(__file__).resolve().parents[1]

WINDOWED = ("windows", "extra rounds", "calibration", "first elements")


def probe_once(path: Path, cores: int) -> dict[str, Any]:
    """One probe as bench/probe_stability.py runs and records it (phases included), and the load after it."""
    result = probe_stability.probe_once(path, cores)
    result["load_after"] = os.getloadavg()[0]
    return result


def rows_of(result: dict[str, Any]) -> dict[str, float]:
    """One run's seconds per table row: the run's phases by name, a site's as "site: NAME"."""
    rows: dict[str, float] = {}
    overhead = 0.0
    for p in result["phases"]:
        key = f"site: {p['name']}" if p["site"] else p["name"]
        rows[key] = rows.get(key, 0.0) + p["seconds"]
        if p["windows"] and p["name"] in WINDOWED:
            overhead += p["seconds"] - p["measured_seconds"]
    rows["(windows overhead, in the rows above)"] = overhead
    return rows


def table(data: dict[str, Any]) -> str:
    names = list(data["pipelines"])
    per: dict[str, list[dict[str, float]]] = {
        n: [rows_of(r) for r in data["pipelines"][n] if "phases" in r] for n in names
    }
    seen = {key for runs in per.values() for rows in runs for key in rows}
    names_in_order = list(phases.PHASES)
    sites_start = names_in_order.index("rebuilds")  # the run's phases before the sites', then after
    order = [k for k in names_in_order[:sites_start] if k in seen]
    order += [f"site: {k}" for k in names_in_order if f"site: {k}" in seen]
    order += [k for k in names_in_order[sites_start:] if k in seen]
    order.append("(windows overhead, in the rows above)")
    head = "| phase | " + " | ".join(Path(n).name for n in names) + " |"
    lines = [head, "|---|" + "---:|" * len(names)]
    for key in order:
        cells = []
        for n in names:
            values = [rows.get(key, 0.0) for rows in per[n]]
            cells.append(f"{statistics.median(values):.2f}" if values else "-")
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    for label, field in (("wall (median)", "wall"), ("load before (1 min)", "load_average_before"),
                         ("load after (1 min)", "load_after")):
        cells = []
        for n in names:
            values = [r[field] for r in data["pipelines"][n] if field in r]
            cells.append(f"{statistics.median(values):.2f}" if values else "-")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("pipelines", nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "probe_phases.json"))
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    data: dict[str, Any] = {"cores": cores, "started": time.time(), "pipelines": {}}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    for name in args.pipelines:
        runs = data["pipelines"].setdefault(name, [])
        for i in range(args.runs):
            result = probe_once(Path(name).resolve(), cores)
            runs.append(result)
            verdicts = {site: v["verdict"] for site, v in result.get("sites", {}).items()}
            print(f"{name} run {i + 1}: {result['wall']:.1f} s, load "
                  f"{result.get('load_average_before', 0):.2f} -> {result['load_after']:.2f}, "
                  f"{verdicts or result.get('error')}", flush=True)
            out.write_text(json.dumps(data, indent=1))
    print(table(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
