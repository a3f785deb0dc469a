"""Score the probe on the blind corpus: verdicts against labels.json, recommended levels against
ground_truth.json (measured independently by ground_truth.py), and the wall time per pipeline.

    python bench/probe_corpus/score_probe.py [files...]    # writes bench/probe_corpus/probe_scores.json
    python bench/probe_corpus/score_probe.py --rescore     # levels again from the saved probe_scores.json,
                                                           # after ground_truth.py has measured more sites

Needs an idle machine: a busy one makes the probe answer `inconclusive` (counted as wrong here).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from tfpar_doctor.probe import runner

HERE = Path(__file__).resolve().parent
WITHIN = 0.10  # the recommended level's measured throughput within 10% of the best measured level


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*")
    parser.add_argument("--out", default=str(HERE / "probe_scores.json"))
    parser.add_argument("--rescore", action="store_true")
    args = parser.parse_args()
    labels = json.loads((HERE / "labels.json").read_text())
    truth_path = HERE / "ground_truth.json"
    truth = json.loads(truth_path.read_text()) if truth_path.exists() else {}
    if args.rescore:
        rows = json.loads(Path(args.out).read_text())
        for row in rows:
            row.pop("level_ok", None)
            row.pop("level_ratio", None)
            gt = truth.get(row["file"], {}).get(str(row["line"]))
            if gt and row.get("best_level") in gt:
                best = max(gt.values())
                row["level_ok"] = gt[row["best_level"]] >= (1 - WITHIN) * best
                row["level_ratio"] = round(gt[row["best_level"]] / best, 3) if best else None
        return report(rows, args.out)
    names = args.files or sorted(labels)
    cores = len(os.sched_getaffinity(0))
    rows = []
    for name in names:
        options = runner.ProbeOptions(target=f"{HERE / name}:make_dataset", cores=cores)
        start = time.monotonic()
        try:
            run = runner.run_probe(options)
        except runner.ProbeError as exc:
            print(f"{name}: ERROR {exc.kind}: {exc.message[:200]}", flush=True)
            for line, label in labels[name].items():
                rows.append({"file": name, "line": int(line), "expected": label["verdict"], "got": "error"})
            continue
        wall = time.monotonic() - start
        seen = {site.site.line: site for site in run.sites if Path(site.site.path).name == name}
        for line, label in labels[name].items():
            site = seen.get(int(line))
            got = site.verdict.value if site else "missing"
            row = {"file": name, "line": int(line), "expected": label["verdict"], "got": got,
                   "confidence": site.confidence if site else None, "wall": round(wall, 1),
                   "best_level": site.best_level if site else None,
                   "calibration": run.calibration.get("speedup")}
            gt = truth.get(name, {}).get(str(line))
            if gt and site and site.best_level in gt:
                best = max(gt.values())
                row["level_ok"] = gt[site.best_level] >= (1 - WITHIN) * best
                row["level_ratio"] = round(gt[site.best_level] / best, 3) if best else None
            rows.append(row)
            mark = "OK " if got == label["verdict"] else "BAD"
            print(f"{name}:{line} {mark} got {got:<18} expected {label['verdict']:<18} "
                  f"conf {row.get('confidence')} best {row.get('best_level')} level_ok {row.get('level_ok')} "
                  f"wall {wall:.1f}s", flush=True)
            if got != label["verdict"] and site:
                for reason in site.reasons:
                    print("      ", reason)
    return report(rows, args.out)


def report(rows: list[dict], out: str) -> int:
    right = sum(r["expected"] == r["got"] for r in rows)
    levels = [r["level_ok"] for r in rows if "level_ok" in r]
    for row in rows:
        if row.get("level_ok") is False:
            print(f"level: {row['file']}:{row['line']} recommended {row['best_level']} gives "
                  f"{row['level_ratio']:.0%} of the best measured level")
    print(f"\nverdicts: {right}/{len(rows)} ({right / max(len(rows), 1):.0%}); "
          f"recommended level within {WITHIN:.0%} of the best: {sum(levels)}/{len(levels)}")
    Path(out).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
