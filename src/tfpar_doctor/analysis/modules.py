"""File paths <-> dotted module names, and on-demand loading of project modules by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from tfpar_doctor.analysis.extract import module_names
from tfpar_doctor.analysis.facts import ModuleFacts


def package_parts(path: Path) -> tuple[Path, list[str]]:
    """The directory imports resolve from, and the path parts below it (packages have __init__.py)."""
    parts = [path.name]
    directory = path.parent
    while (directory / "__init__.py").is_file() and directory.parent != directory:
        parts.insert(0, directory.name)
        directory = directory.parent
    return directory, parts


def names_for(path: Path) -> tuple[str, str, Path]:
    """(module, package, import root) for a file."""
    root, parts = package_parts(path)
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
