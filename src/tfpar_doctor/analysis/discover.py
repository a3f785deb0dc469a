"""Which files to check: walk the given paths, skip what users never want linted.

Excludes use .gitignore syntax (pathspec.GitIgnoreSpec): a pattern without a slash matches a name at
any depth (`build`, `*_pb2.py`), one with a slash is anchored at the configuration's directory
(`fixtures/`, `src/gen/*.py`). `.gitignore` files are honoured the way git does: each one applies below
its directory, a deeper one overrides a shallower one, and `!pattern` re-includes.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

# Directories no one wants linted; .gitignore and configured excludes come on top of these.
DEFAULT_EXCLUDED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__", "node_modules", ".mypy_cache",
     ".ruff_cache", ".pytest_cache", ".tfpar_doctor_cache", ".eggs", "site-packages", ".ipynb_checkpoints"}
)
DEFAULT_EXCLUDE = (*sorted(f"{name}/" for name in DEFAULT_EXCLUDED_DIRS), "*.egg-info/")
PYTHON_SUFFIXES = (".py", ".pyi")


def _spec(patterns: Iterable[str]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(list(patterns))


@dataclass
class Excludes:
    """Configured excludes, anchored at `root`, plus the .gitignore files met on the way."""

    root: Path = field(default_factory=Path.cwd)
    patterns: Sequence[str] = DEFAULT_EXCLUDE
    respect_gitignore: bool = True
    force: bool = False  # apply to files named explicitly too (pre-commit passes each file)
    _spec: pathspec.PathSpec | None = None
    _gitignores: dict[Path, pathspec.PathSpec | None] = field(default_factory=dict)
    _chains: dict[Path, list[tuple[Path, pathspec.GitIgnoreSpec]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self._spec = _spec(self.patterns)

    def excluded(self, path: Path, is_dir: bool, anchor: Path | None = None) -> bool:
        """Whether `path` is excluded. `anchor` is a directory the user named although it is excluded:
        below it, patterns are matched relative to it, so only what is excluded inside it is skipped."""
        # os.path.realpath, not Path.resolve: resolve() raises RuntimeError on a symlink loop.
        resolved = Path(os.path.realpath(path))
        return self._configured(resolved, is_dir, anchor) or (
            self.respect_gitignore and self._git_ignored(resolved, is_dir, anchor)
        )

    def _configured(self, resolved: Path, is_dir: bool, anchor: Path | None) -> bool:
        assert self._spec is not None
        try:
            relative = resolved.relative_to(anchor or self.root).as_posix()
        except ValueError:
            relative = resolved.as_posix().lstrip("/")
        if relative in ("", "."):
            return False
        return self._spec.match_file(relative + ("/" if is_dir else ""))

    def _git_ignored(self, resolved: Path, is_dir: bool, anchor: Path | None) -> bool:
        verdict = False
        for directory, spec in self._chain(resolved.parent):
            if anchor is not None and not directory.is_relative_to(anchor):
                continue
            relative = resolved.relative_to(directory).as_posix() + ("/" if is_dir else "")
            decided = _last_match(spec, relative)
            if decided is not None:
                verdict = decided
        return verdict

    def _chain(self, parent: Path) -> list[tuple[Path, pathspec.GitIgnoreSpec]]:
        """The .gitignore files that apply in `parent`, outermost first (cached: every file of a
        directory shares them, and finding the git root costs a stat per ancestor)."""
        chain = self._chains.get(parent)
        if chain is None:
            chain = []
            for directory in _gitignore_dirs(parent / "_"):
                spec = self._gitignore(directory)
                if spec is not None:
                    chain.append((directory, spec))
            self._chains[parent] = chain
        return chain

    def _gitignore(self, directory: Path) -> pathspec.PathSpec | None:
        if directory not in self._gitignores:
            spec = None
            try:
                lines = (directory / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
                spec = _spec(lines)
            except OSError:
                pass
            self._gitignores[directory] = spec
        return self._gitignores[directory]


def _last_match(spec: pathspec.PathSpec, relative: str) -> bool | None:
    """What one .gitignore says about a path: True ignored, False re-included (`!pattern`), None silent.

    (pathspec's `check_file` does the same where it exists; this loop works with every release.)"""
    decided: bool | None = None
    for pattern in spec.patterns:
        if pattern.include is not None and pattern.match_file(relative) is not None:
            decided = pattern.include
    return decided


def _gitignore_dirs(resolved: Path) -> list[Path]:
    """Directories whose .gitignore may apply to `resolved`: from the git root (if any) down."""
    parents = list(resolved.parents)
    for index, parent in enumerate(parents):
        if (parent / ".git").exists():
            return list(reversed(parents[: index + 1]))
    # Not in a git repository: only the file's own directory counts (as ruff and git itself do not
    # apply .gitignore outside a repository, this is the conservative middle ground).
    return [resolved.parent]


def _is_special(path: Path) -> bool:
    """A FIFO, socket or device named `*.py`: reading it could block forever, so the walk skips it.

    A dangling symlink or a symlink loop is not special: reading it fails and check reports it (TFP900).
    """
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def iter_python_files(paths: Iterable[Path], excludes: Excludes | None = None) -> Iterator[Path]:
    """Python files under `paths` in a deterministic order.

    Explicit files are always taken unless `excludes.force` is set; directories are walked in sorted
    order, skipping excluded and git-ignored entries.
    """
    excludes = excludes or Excludes(respect_gitignore=False)
    seen: set[Path] = set()
    for path in paths:
        if path.is_file():
            if path not in seen and not (excludes.force and excludes.excluded(path, is_dir=False)):
                seen.add(path)
                yield path
            continue
        if excludes.force and excludes.excluded(path, is_dir=True):
            continue
        # A directory named on the command line is checked even if excluded (as ruff does), except
        # for what is excluded inside it.
        anchor = Path(os.path.realpath(path)) if excludes.excluded(path, is_dir=True) else None
        for directory, dirnames, filenames in os.walk(path, followlinks=False):
            here = Path(directory)
            dirnames[:] = sorted(
                d for d in dirnames
                if d != ".git" and not excludes.excluded(here / d, is_dir=True, anchor=anchor)
            )
            for name in sorted(filenames):
                if name.endswith(PYTHON_SUFFIXES) and not _is_special(here / name):
                    file = here / name
                    if file not in seen and not excludes.excluded(file, is_dir=False, anchor=anchor):
                        seen.add(file)
                        yield file
