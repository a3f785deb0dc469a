"""Which files to check: walk the given paths, skip what users never want linted."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

# Directories no one wants linted; .gitignore and configured excludes come on top of these.
DEFAULT_EXCLUDED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__", "node_modules", ".mypy_cache",
     ".ruff_cache", ".pytest_cache", ".tfpar_doctor_cache", ".eggs", "site-packages", ".ipynb_checkpoints"}
)
PYTHON_SUFFIXES = (".py", ".pyi")


def iter_python_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Python files under `paths` in a deterministic order; explicit files are always taken."""
    seen: set[Path] = set()
    for path in paths:
        if path.is_file():
            if path not in seen:
                seen.add(path)
                yield path
            continue
        for directory, dirnames, filenames in os.walk(path, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if d not in DEFAULT_EXCLUDED_DIRS and not d.endswith(".egg-info"))
            for name in sorted(filenames):
                if name.endswith(PYTHON_SUFFIXES):
                    file = Path(directory) / name
                    if file not in seen:
                        seen.add(file)
                        yield file
