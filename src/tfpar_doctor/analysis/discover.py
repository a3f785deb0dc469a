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
    _chains: dict[str, list[tuple[str, pathspec.PathSpec]]] = field(default_factory=dict)
    _root: str = ""
    _git_roots: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self._root = str(self.root)
        self._spec = _spec(self.patterns)

    def excluded(self, path: Path, is_dir: bool, anchor: Path | None = None) -> bool:
        """Whether `path` is excluded. `anchor` is a directory the user named although it is excluded:
        below it, patterns are matched relative to it, so only what is excluded inside it is skipped."""
        # os.path.realpath, not Path.resolve: resolve() raises RuntimeError on a symlink loop.
        real_anchor = os.path.realpath(anchor) if anchor is not None else None
        return self.excluded_real(os.path.realpath(path), is_dir, real_anchor)

    def excluded_real(self, resolved: str, is_dir: bool, anchor: str | None = None) -> bool:
        """`excluded` for a path and anchor already resolved by `os.path.realpath` (the walk resolves
        each directory once, not each file: that was a system call per path component per file)."""
        return self._configured(resolved, is_dir, anchor) or (
            self.respect_gitignore and self._git_ignored(resolved, is_dir, anchor)
        )

    def _configured(self, resolved: str, is_dir: bool, anchor: str | None) -> bool:
        assert self._spec is not None
        relative = _below(resolved, anchor or self._root)
        if relative is None:
            relative = resolved.lstrip("/")
        if relative in ("", "."):
            return False
        return self._spec.match_file(relative + ("/" if is_dir else ""))

    def _git_ignored(self, resolved: str, is_dir: bool, anchor: str | None) -> bool:
        verdict = False
        for directory, spec in self._chain(os.path.dirname(resolved)):
            if anchor is not None and _below(directory, anchor) is None:
                continue
            relative = _below(resolved, directory)
            if relative is None:
                continue
            decided = _last_match(spec, relative + ("/" if is_dir else ""))
            if decided is not None:
                verdict = decided
        return verdict

    def _chain(self, parent: str) -> list[tuple[str, pathspec.PathSpec]]:
        """The .gitignore files that apply in `parent`, outermost first: from the git root down, or only
        `parent`'s own outside a repository (git itself applies none there; ruff neither). Cached: every
        file of a directory shares them."""
        chain = self._chains.get(parent)
        if chain is None:
            root = self._git_root(parent)
            directories = [parent] if root is None or root == parent else _between(root, parent)
            chain = []
            for directory in directories:
                spec = self._gitignore(Path(directory))
                if spec is not None:
                    chain.append((directory, spec))
            self._chains[parent] = chain
        return chain

    def _git_root(self, directory: str) -> str | None:
        """The nearest enclosing directory with a `.git` (one stat per directory per run)."""
        if directory not in self._git_roots:
            if os.path.exists(os.path.join(directory, ".git")):
                root: str | None = directory
            else:
                up = os.path.dirname(directory)
                root = None if up == directory else self._git_root(up)
            self._git_roots[directory] = root
        return self._git_roots[directory]

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


def _below(path: str, directory: str) -> str | None:
    """`path` relative to `directory` in POSIX form ("" for the directory itself), None when outside it."""
    if path == directory:
        return ""
    prefix = directory if directory.endswith(os.sep) else directory + os.sep
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix):]
    return relative if os.sep == "/" else relative.replace(os.sep, "/")


def _last_match(spec: pathspec.PathSpec, relative: str) -> bool | None:
    """What one .gitignore says about a path: True ignored, False re-included (`!pattern`), None silent.

    (pathspec's `check_file` does the same where it exists; this loop works with every release.)"""
    decided: bool | None = None
    for pattern in spec.patterns:
        if pattern.include is not None and pattern.match_file(relative) is not None:
            decided = pattern.include
    return decided


def _between(top: str, directory: str) -> list[str]:
    """`top`, then each directory down to `directory` (which is below `top`)."""
    out = [directory]
    while out[-1] != top:
        up = os.path.dirname(out[-1])
        if up == out[-1]:
            break
        out.append(up)
    return out[::-1]


def iter_python_files(paths: Iterable[Path], excludes: Excludes | None = None) -> Iterator[Path]:
    """Python files under `paths` in a deterministic order.

    Explicit files are always taken unless `excludes.force` is set; directories are walked depth first in
    sorted order (the files of a directory, then its subdirectories), skipping excluded and git-ignored
    entries. Symlinked directories are not followed; symlinked files are taken, and a dangling one too
    (reading it fails, and check reports it as TFP900). A FIFO, socket or device named `*.py` is skipped:
    reading it could block forever.
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
        real = os.path.realpath(path)
        anchor = real if excludes.excluded_real(real, is_dir=True) else None
        for file in _walk(path, real, excludes, anchor):
            if file not in seen:
                seen.add(file)
                yield file


def _walk(directory: Path, real: str, excludes: Excludes, anchor: str | None) -> Iterator[Path]:
    """Files of one directory tree (`real`: the directory's resolved path, so entries resolve by a join)."""
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return
    subdirectories: list[tuple[os.DirEntry[str], str]] = []
    for entry in entries:
        name = entry.name
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        link = entry.is_symlink()
        resolved = os.path.realpath(entry.path) if link else os.path.join(real, name)
        if is_dir:
            if not link and name != ".git" and not excludes.excluded_real(resolved, True, anchor):
                subdirectories.append((entry, resolved))
            continue
        if not name.endswith(PYTHON_SUFFIXES) or _is_special(entry):
            continue
        if not excludes.excluded_real(resolved, False, anchor):
            yield Path(entry.path)
    for entry, resolved in subdirectories:
        yield from _walk(Path(entry.path), resolved, excludes, anchor)


def _is_special(entry: os.DirEntry[str]) -> bool:
    """A FIFO, socket or device named `*.py` (after symlinks). A regular file costs no system call
    (d_type); a dangling symlink or a loop is not special: reading it fails and check reports it."""
    try:
        if entry.is_file():
            return False
        info = entry.stat()
    except OSError:
        return False
    return not stat.S_ISREG(info.st_mode)
