"""Rebuild the real-code corpus from fetched repository snapshots.

Each `repos/<owner>__<name>.json` pins a public repository at a commit and lists the files of it that are in
the corpus. The code itself is not in git (its licences vary): this script extracts exactly those blobs from
bare git snapshots into `files/<owner>__<name>/<path>`, which is gitignored.

Snapshots are looked up under --mirrors (default: /work/.mirror, where the search tool's `fetch` puts them:
`<mirrors>/<owner>+<name>/...` holding a bare git directory) or any directory given with --mirror-of
`owner/name=PATH`. A repository whose snapshot is missing, or lacks the pinned commit, is reported and
skipped: fetch it first.

Usage: python bench/realworld/rebuild.py [--mirrors DIR] [--clean]
Exit codes: 0 every file rebuilt, 1 some repository could not be rebuilt, 2 bad manifest.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOS = HERE / "repos"
FILES = HERE / "files"


@dataclass(frozen=True)
class Pinned:
    repo: str
    commit: str
    files: tuple[str, ...]

    @property
    def folder(self) -> str:
        return self.repo.replace("/", "__")


def load_manifest(directory: Path = REPOS) -> list[Pinned]:
    pinned: list[Pinned] = []
    for path in sorted(directory.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            pinned.append(Pinned(data["repo"], data["commit"], tuple(data["files"])))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SystemExit(f"rebuild: {path.name}: not a valid repository manifest ({exc})") from None
    return pinned


def git_dirs(mirrors: Path, repo: str) -> list[Path]:
    """Bare git directories that may hold `repo` (the fetch tool nests them one or two levels down)."""
    base = mirrors / repo.replace("/", "+")
    if not base.is_dir():
        return []
    candidates = [base, *sorted(p for p in base.rglob("*") if p.is_dir() and (p / "HEAD").is_file())]
    return [c for c in candidates if (c / "HEAD").is_file() and (c / "objects").is_dir()]


def blob(git_dir: Path, commit: str, path: str) -> bytes | None:
    done = subprocess.run(
        ["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"], capture_output=True, check=False
    )
    return done.stdout if done.returncode == 0 else None


def rebuild(pinned: Pinned, mirrors: Path, overrides: dict[str, Path]) -> list[str]:
    """Extracts one repository's files; returns what went wrong (empty when all is well)."""
    dirs = [overrides[pinned.repo]] if pinned.repo in overrides else git_dirs(mirrors, pinned.repo)
    if not dirs:
        return [f"{pinned.repo}: no snapshot under {mirrors} (fetch github:{pinned.repo} first)"]
    problems: list[str] = []
    for path in pinned.files:
        data = next((b for d in dirs if (b := blob(d, pinned.commit, path)) is not None), None)
        if data is None:
            problems.append(f"{pinned.repo}: {path} not found at {pinned.commit[:12]}")
            continue
        _write(pinned, path, data)
    # The packages around the listed files, as in the repository: imports resolve from a file's package, so
    # `lidbox/data/steps.py` needs `lidbox/data/__init__.py` to import `lidbox.features` the way Python does.
    # These files are not labelled; score.py reports findings in them separately.
    for init in sorted(_package_inits(pinned.files) - set(pinned.files)):
        data = next((b for d in dirs if (b := blob(d, pinned.commit, init)) is not None), None)
        if data is not None:
            _write(pinned, init, data)
    return problems


def _write(pinned: Pinned, path: str, data: bytes) -> None:
    target = FILES / pinned.folder / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _package_inits(files: tuple[str, ...]) -> set[str]:
    inits: set[str] = set()
    for path in files:
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            inits.add("/".join([*parts[:depth], "__init__.py"]))
    return inits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--mirror-of", action="append", default=[], metavar="OWNER/NAME=PATH")
    parser.add_argument("--clean", action="store_true", help="delete files/ first")
    args = parser.parse_args(argv)
    overrides = {}
    for item in args.mirror_of:
        repo, _, path = item.partition("=")
        overrides[repo] = Path(path)
    if args.clean and FILES.exists():
        shutil.rmtree(FILES)
    problems: list[str] = []
    pinned = load_manifest()
    for entry in pinned:
        problems.extend(rebuild(entry, args.mirrors, overrides))
    total = sum(len(p.files) for p in pinned)
    for problem in problems:
        print(f"rebuild: {problem}", file=sys.stderr)
    print(f"{len(pinned)} repositories, {total} files pinned, {len(problems)} problems; files in {FILES}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
