"""File paths <-> dotted module names, and on-demand loading of project modules by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from tfpar_doctor.analysis.facts import ModuleFacts


def module_names(path_parts: Sequence[str]) -> tuple[str, str]:
    """Module and package names for a file, given its path parts from the package root down."""
    parts = list(path_parts)
    stem = parts[-1].rsplit(".", 1)[0]
    if stem == "__init__":
        module = ".".join(parts[:-1]) or stem
        return module, module
    module = ".".join([*parts[:-1], stem])
    return module, ".".join(parts[:-1])


def package_parts(path: Path, memo: dict[Path, tuple[Path, list[str]]] | None = None) -> tuple[Path, list[str]]:
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


class ModuleLocator:
    """Finds a module of the checked project by dotted name, the way `python file.py` would see it."""

    def __init__(self, roots: Iterable[Path], load: Callable[[Path], ModuleFacts | None]) -> None:
        self.roots: list[Path] = []
        for root in roots:
            resolved = root.resolve()
            if resolved not in self.roots:
                self.roots.append(resolved)
        self._load = load

    def __call__(self, name: str) -> ModuleFacts | None:
        if not name or name.startswith("."):
            return None
        relative = Path(*name.split("."))
        for root in self.roots:
            for candidate in (root / relative.with_suffix(".py"), root / relative / "__init__.py"):
                if candidate.is_file():
                    facts = self._load(candidate)
                    if facts is not None:
                        return facts
        return None
