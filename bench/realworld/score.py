"""Score `tfpar-doctor check` against the blind labels of the real-code corpus.

The labels (`repos/*.json`) were written by readers of the rule catalogue who never saw the analyzer. Files
are rebuilt from pinned snapshots first (`rebuild.py`). The checker runs as a user runs it, three ways:

- `tree`: the whole corpus as one tree (the monorepo case: many projects with same-name scripts);
- `project`: each repository on its own;
- `file`: each file on its own.

A file's findings must be the same in all three (a file's findings depend only on it and what it imports);
`score.py` reports every file where they differ. Precision and recall are computed on the `tree` run, per
rule, for the TFP101 family (TFP101/102/103 taken as one) and overall. Entries in a repository's `ambiguous`
list score neither way.

Usage:
  python bench/realworld/score.py [--src DIR] [--modes tree,project,file] [--json OUT] [--show]
`--src` runs the checker from another source tree (e.g. a worktree of an older commit, to keep the first,
blind score reproducible). Exit code 0 (scores are printed; nothing is asserted).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOS = HERE / "repos"
FILES = HERE / "files"
SRC = HERE.parent.parent / "src"
FAMILY = {"TFP101", "TFP102", "TFP103"}
NOT_SCORED_PREFIXES = ("TFP4", "TFP9")

Key = tuple[str, int, str]  # (corpus path, line, code)


@dataclass
class Labels:
    expected: set[Key]
    ambiguous: set[Key]
    files: list[str]  # corpus paths (<owner>__<name>/<path>)
    projects: dict[str, list[str]]  # folder -> its corpus paths


def load_labels(directory: Path = REPOS, labeller: str | None = None) -> Labels:
    expected: set[Key] = set()
    ambiguous: set[Key] = set()
    files: list[str] = []
    projects: dict[str, list[str]] = {}
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if labeller is not None and data.get("labeller") != labeller:
            continue
        folder = data["repo"].replace("/", "__")
        own = [f"{folder}/{p}" for p in data["files"]]
        projects[folder] = own
        files.extend(own)
        for entry in data.get("findings", []):
            expected.add((f"{folder}/{entry['path']}", int(entry["line"]), entry["code"]))
        for entry in data.get("ambiguous", []):
            ambiguous.add((f"{folder}/{entry['path']}", int(entry["line"]), entry["code"]))
    return Labels(expected, ambiguous, files, projects)


def run_check(paths: list[str], src: Path) -> set[Key]:
    """Findings of one `check` run over `paths` (relative to files/), as the command line prints them."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    # --no-respect-gitignore: the corpus sits under this repository's bench/realworld/.gitignore (`files/`),
    # which would exclude every module a checked file imports, and with it the findings that lie there (a
    # base class's traced method reported when its subclass's map is checked alone). In its own repository
    # nothing excludes those modules.
    command = [sys.executable, "-m", "tfpar_doctor", "check", *paths, "--output-format", "json", "--no-cache",
               "--exit-zero", "--no-respect-gitignore"]
    done = subprocess.run(command, cwd=FILES, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"score: check failed ({done.returncode}) on {paths[:3]}...:\n{done.stderr[-2000:]}")
    found: set[Key] = set()
    for item in json.loads(done.stdout or "[]"):
        code = item["code"]
        if code.startswith(NOT_SCORED_PREFIXES):
            continue
        found.add((item["location"]["path"], int(item["location"]["line"]), code))
    return found


def by_file(keys: Iterable[Key]) -> dict[str, set[Key]]:
    grouped: dict[str, set[Key]] = defaultdict(set)
    for key in keys:
        grouped[key[0]].add(key)
    return grouped


def family(keys: Iterable[Key]) -> set[Key]:
    return {(p, line, "TFP10x" if code in FAMILY else code) for p, line, code in keys}


def prf(found: set[Key], expected: set[Key], ambiguous: set[Key]) -> dict[str, float | int]:
    scored = found - ambiguous
    tp = len(scored & expected)
    fp = len(scored - expected)
    fn = len(expected - found)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 3), "recall": round(recall, 3)}


def score(found: set[Key], labels: Labels) -> dict[str, object]:
    codes = sorted({k[2] for k in labels.expected | found})
    per_rule = {
        code: prf(
            {k for k in found if k[2] == code}, {k for k in labels.expected if k[2] == code}, labels.ambiguous
        )
        for code in codes
    }
    fam_found = {k for k in family(found) if k[2] == "TFP10x"}
    fam_expected = {k for k in family(labels.expected) if k[2] == "TFP10x"}
    return {
        "overall": prf(found, labels.expected, labels.ambiguous),
        "tfp101_family": prf(fam_found, fam_expected, family(labels.ambiguous)),
        "per_rule": per_rule,
        "false_positives": sorted(found - labels.ambiguous - labels.expected),
        "false_negatives": sorted(labels.expected - found),
    }


def consistency(runs: dict[str, set[Key]], files: list[str]) -> list[dict[str, object]]:
    """Files whose findings differ between the run modes."""
    grouped = {mode: by_file(found) for mode, found in runs.items()}
    differing = []
    for file in files:
        seen = {mode: sorted(grouped[mode].get(file, set())) for mode in runs}
        if len({json.dumps(v) for v in seen.values()}) > 1:
            differing.append({"file": file, **seen})
    return differing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=SRC)
    parser.add_argument("--modes", default="tree,project,file")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--show", action="store_true", help="print every false positive and negative")
    parser.add_argument("--labeller", help="score only the repositories of one labeller (B, C, ...)")
    args = parser.parse_args(argv)
    labels = load_labels(labeller=args.labeller)
    missing = [f for f in labels.files if not (FILES / f).is_file()]
    if missing:
        print(
            f"score: {len(missing)} corpus files missing (run rebuild.py first), e.g. {missing[0]}",
            file=sys.stderr,
        )
        return 2
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    runs: dict[str, set[Key]] = {}
    if "tree" in modes:
        runs["tree"] = run_check(sorted(labels.projects), args.src)
    if "project" in modes:
        runs["project"] = set().union(*(run_check([folder], args.src) for folder in labels.projects))
    if "file" in modes:
        runs["file"] = set().union(*(run_check([file], args.src) for file in labels.files))
    main_run = runs.get("tree") or next(iter(runs.values()))
    labelled = set(labels.files)
    # Package `__init__.py` files that rebuild.py adds around the labelled files were never labelled.
    unlabelled = sorted(k for k in main_run if k[0] not in labelled)
    result = score({k for k in main_run if k[0] in labelled}, labels)
    result["unlabelled_files_findings"] = unlabelled
    result["consistency"] = consistency(runs, labels.files) if len(runs) > 1 else []
    result["corpus"] = {
        "repositories": len(labels.projects),
        "files": len(labels.files),
        "expected": len(labels.expected),
        "ambiguous": len(labels.ambiguous),
        "silent_files": len(set(labels.files) - {k[0] for k in labels.expected}),
        "expected_by_code": dict(sorted(Counter(k[2] for k in labels.expected).items())),
    }
    overall, fam = result["overall"], result["tfp101_family"]
    print(f"corpus: {json.dumps(result['corpus'])}")
    print(f"overall: {overall}")
    print(f"TFP101 family: {fam}")
    for code, numbers in result["per_rule"].items():  # type: ignore[attr-defined]
        print(f"  {code}: {numbers}")
    print(f"files whose findings differ between {', '.join(runs)}: {len(result['consistency'])}")
    print(f"findings in unlabelled package files (not scored): {len(unlabelled)}")
    if args.show:
        for label, keys in (("FP", result["false_positives"]), ("FN", result["false_negatives"])):
            for key in keys:  # type: ignore[attr-defined]
                print(f"{label} {key[0]}:{key[1]} {key[2]}")
        for item in result["consistency"]:  # type: ignore[attr-defined]
            print(f"DIFF {item}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=list), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
