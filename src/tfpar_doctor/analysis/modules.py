"""File paths <-> dotted module names (where a file's imports resolve from: analysis/scopes.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def module_names(path_parts: Sequence[str]) -> tuple[str, str]:
    """Module and package names for a file, given its path parts from the package root down."""
    parts = list(path_parts)
    stem = parts[-1].rsplit(".", 1)[0]
    if stem == "__init__":
        module = ".".join(parts[:-1]) or stem
        return module, module
    module = ".".join([*parts[:-1], stem])
    return module, ".".join(parts[:-1])


def package_parts(
    path: Path, memo: dict[Path, tuple[Path, list[str]]] | None = None
) -> tuple[Path, list[str]]:
    """The directory imports resolve from, and the path parts below it (packages have __init__.py).
    `memo` keeps each directory's answer for one run: the files of a package share it, and finding it
    costs a stat per enclosing package."""
    directory = path.parent
    known = memo.get(directory) if memo is not None else None
    if known is None:
        packages: list[str] = []
        root = directory
        while (root / "__init__.py").is_file() and root.parent != root:
            packages.insert(0, root.name)
            root = root.parent
        known = (root, packages)
        if memo is not None:
            memo[directory] = known
    return known[0], [*known[1], path.name]


def names_for(path: Path, memo: dict[Path, tuple[Path, list[str]]] | None = None) -> tuple[str, str, Path]:
    """(module, package, import root) for a file (`memo`: see `package_parts`)."""
    root, parts = package_parts(path, memo)
    module, package = module_names(parts)
    return module, package, root
