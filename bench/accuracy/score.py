"""Score tfpar-doctor against the blind, hand-labelled corpus in bench/accuracy/corpus.

Every top-level directory of the corpus is one small project. For each, we chdir into it
and call ``tfpar_doctor.check.run_check([Path(".")], CheckSettings())`` (default
settings), so finding paths are relative to the project. Expected findings are the
``# expect: CODE[, CODE]`` trailing comments. Both sides are compared as sets of
``(project/path, code, line)``. TFP4xx/TFP9xx are not scored (TFP9xx findings are
listed separately, since an unparsable corpus file would invalidate the run).

Usage: python bench/accuracy/score.py [--json PATH]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

from tfpar_doctor.check import CheckSettings, run_check

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
SCORED = ("TFP001", "TFP002", "TFP003", "TFP004", "TFP005",
          "TFP101", "TFP102", "TFP103", "TFP104", "TFP105", "TFP301")
EXPECT_RE = re.compile(r"#\s*expect:\s*(TFP\d{3}(?:\s*,\s*TFP\d{3})*)\s*$")


def expected_for(project: Path) -> set[tuple[str, str, int]]:
    out = set()
    for path in sorted(project.rglob("*.py")):
        rel = path.relative_to(CORPUS).as_posix()
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = EXPECT_RE.search(line)
            if m:
                for code in m.group(1).split(","):
                    out.add((rel, code.strip(), lineno))
    return out


def found_for(project: Path):
    cwd = os.getcwd()
    os.chdir(project)
    try:
        result = run_check([Path(".")], CheckSettings())
    finally:
        os.chdir(cwd)
    findings = {}
    other = []
    for f in result.findings:
        rel = f"{project.name}/{Path(f.location.path).as_posix()}"
        key = (rel, f.code, f.location.line)
        if f.code in SCORED:
            findings.setdefault(key, f.message)
        else:
            other.append({"path": rel, "code": f.code, "line": f.location.line, "message": f.message})
    errors = [str(e) for e in (result.internal_errors or ())]
    return findings, other, errors


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", default=str(HERE / "results.json"))
    args = ap.parse_args(argv)

    expected: set = set()
    found: dict = {}
    other: list = []
    internal: dict = {}
    projects = sorted(p for p in CORPUS.iterdir() if p.is_dir())
    for project in projects:
        expected |= expected_for(project)
        f, o, e = found_for(project)
        found.update(f)
        other.extend(o)
        if e:
            internal[project.name] = e

    found_keys = set(found)
    tp = expected & found_keys
    fp = found_keys - expected
    fn = expected - found_keys

    rows = []
    for code in SCORED:
        e = sum(1 for k in expected if k[1] == code)
        fo = sum(1 for k in found_keys if k[1] == code)
        t = sum(1 for k in tp if k[1] == code)
        prec = t / fo if fo else None
        rec = t / e if e else None
        rows.append({"code": code, "expected": e, "found": fo, "tp": t,
                     "fp": fo - t, "fn": e - t, "precision": prec, "recall": rec})
    te, tf_, tt = len(expected), len(found_keys), len(tp)
    total = {"code": "ALL", "expected": te, "found": tf_, "tp": tt, "fp": tf_ - tt,
             "fn": te - tt, "precision": tt / tf_ if tf_ else None,
             "recall": tt / te if te else None}

    def fmt(x):
        return "   -  " if x is None else f"{x:6.2f}"

    print(f"corpus: {len(projects)} projects, "
          f"{sum(1 for _ in CORPUS.rglob('*.py'))} files\n")
    print(f"{'rule':7} {'exp':>4} {'found':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'recall':>6}")
    for r in rows + [total]:
        print(f"{r['code']:7} {r['expected']:4d} {r['found']:5d} {r['tp']:4d} {r['fp']:4d} "
              f"{r['fn']:4d} {fmt(r['precision'])} {fmt(r['recall'])}")

    def listing(keys, with_msg):
        items = []
        for k in sorted(keys, key=lambda k: (k[1], k[0], k[2])):
            item = {"path": k[0], "code": k[1], "line": k[2]}
            if with_msg:
                item["message"] = found[k]
            items.append(item)
        return items

    fps = listing(fp, True)
    fns = listing(fn, False)
    # For a false negative, show what the analyzer did report on that line, if anything.
    by_line = defaultdict(list)
    for k, msg in found.items():
        by_line[(k[0], k[2])].append(f"{k[1]}: {msg}")
    for item in fns:
        item["reported_on_line"] = by_line.get((item["path"], item["line"]), [])

    print("\nFalse positives (reported, not expected):")
    for i in fps:
        print(f"  {i['code']} {i['path']}:{i['line']}  {i['message']}")
    print("\nFalse negatives (expected, not reported):")
    for i in fns:
        extra = f"  [on this line: {'; '.join(c.split(':')[0] for c in i['reported_on_line'])}]" \
            if i["reported_on_line"] else ""
        print(f"  {i['code']} {i['path']}:{i['line']}{extra}")
    if other:
        print("\nUnscored findings (TFP4xx/TFP9xx):")
        for o in other:
            print(f"  {o['code']} {o['path']}:{o['line']}  {o['message']}")
    if internal:
        print("\nInternal errors:")
        for proj, errs in internal.items():
            for e in errs:
                print(f"  {proj}: {e}")

    out = {
        "corpus_projects": len(projects),
        "rules": rows,
        "total": total,
        "false_positives": fps,
        "false_negatives": fns,
        "true_positives": listing(tp, True),
        "unscored": other,
        "internal_errors": internal,
    }
    Path(args.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
