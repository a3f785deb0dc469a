"""Where an import leads, seen from one file: the way Python would resolve it for that file.

A file's findings must depend only on that file and what it imports, never on which other files happen to
be checked with it. Repositories hold many unrelated scripts with the same module name (`data.py`,
`utils.py`, `train.py` in sibling folders without `__init__.py`); a project-wide table keyed by module
name lets one shadow the other. So each checked file resolves absolute imports from its own location:

1. its own directory (`sys.path[0]` when it is run as a script) and its import root (the directory above
   its outermost package, `sys.path[0]` for `python -m pkg.mod`). When both hold a different module of
   that name, the import is ambiguous and resolves to nothing: the analysis stays silent about what it
   would have led to;
2. the working directory, as `python -m` and test runners add it.

Relative imports resolve against the importing file's package as usual.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from tfpar_doctor.analysis.facts import ModuleFacts
from tfpar_doctor.analysis.index import ProjectIndex
from tfpar_doctor.analysis.modules import package_parts


class DirectoryListings:
    """Directory entries read once per run: a tree of a thousand files has hundreds of directories, and
    most imported names (`os`, `numpy`) miss every one of them."""

    def __init__(self) -> None:
        self._entries: dict[Path, frozenset[str]] = {}

    def entries(self, directory: Path) -> frozenset[str]:
        known = self._entries.get(directory)
        if known is None:
            try:
                known = frozenset(os.listdir(directory))
            except OSError:
                known = frozenset()
            self._entries[directory] = known
        return known

    def locate(self, base: Path, parts: Sequence[str]) -> Path | None:
        """`base/a/b.py` or `base/a/b/__init__.py` for parts `a, b`, if that file exists."""
        for part in parts[:-1]:
            if part not in self.entries(base):
                return None
            base = base / part
        last = parts[-1]
        names = self.entries(base)
        if f"{last}.py" in names and (base / f"{last}.py").is_file():
            return base / f"{last}.py"
        if last in names and (base / last / "__init__.py").is_file():
            return base / last / "__init__.py"
        return None


class ImportScope:
    """Resolves dotted module names to files for one importing file (see the module docstring)."""

    def __init__(
        self,
        file: Path,
        listings: DirectoryListings,
        cwd: Path | None = None,
        packages: dict[Path, tuple[Path, list[str]]] | None = None,
    ) -> None:
        path = Path(os.path.abspath(file))
        root, _ = package_parts(path, packages)
        self.first: tuple[Path, ...] = tuple(dict.fromkeys((path.parent, root)))
        self.fallback = Path(os.path.abspath(cwd if cwd is not None else Path.cwd()))
        self._listings = listings
        self._found: dict[str, Path | None] = {}

    def find(self, name: str) -> Path | None:
        """The file of absolute module `name`, or None when it is not in the project or is ambiguous."""
        if name in self._found:
            return self._found[name]
        parts = name.split(".")
        found: Path | None = None
        if name and all(part.isidentifier() for part in parts):
            hits = list(dict.fromkeys(hit for d in self.first if (hit := self._listings.locate(d, parts))))
            if len(hits) == 1:
                found = hits[0]
            elif not hits and self.fallback not in self.first:
                found = self._listings.locate(self.fallback, parts)
        self._found[name] = found
        return found


def resolve_relative(importer: Path, name: str, listings: DirectoryListings) -> Path | None:
    """The file of a relative import (`.x`, `..pkg.y`) made by `importer`."""
    dots = len(name) - len(name.lstrip("."))
    base = importer.parent
    for _ in range(dots - 1):
        base = base.parent
    parts = [p for p in name[dots:].split(".") if p]
    if not parts or not all(p.isidentifier() for p in parts):
        return None
    return listings.locate(base, parts)


class FileScopes:
    """Builds, for each checked file, a project index of that file and what it imports.

    Facts are parsed once per file and shared by every scope that imports it (they do not depend on who
    imports them); name resolution is per importing directory (`ImportScope`)."""

    def __init__(
        self,
        load: Callable[[Path], ModuleFacts | None],
        described_libraries: frozenset[str] = frozenset(),
        cwd: Path | None = None,
    ) -> None:
        """`load`: the facts of a file; `described_libraries`: top-level names never followed into source
        (the knowledge tables describe their API by name)."""
        self._load = load
        self._described = described_libraries
        self._cwd = cwd
        self._listings = DirectoryListings()
        self._packages: dict[Path, tuple[Path, list[str]]] = {}
        self._scopes: dict[Path, ImportScope] = {}
        self._project_modules: dict[Path, dict[str, Path]] = {}

    def scope_of(self, file: Path) -> ImportScope:
        directory = Path(os.path.abspath(file)).parent
        scope = self._scopes.get(directory)
        if scope is None:
            scope = self._scopes[directory] = ImportScope(file, self._listings, self._cwd, self._packages)
        return scope

    def index_for(self, file: Path, facts: ModuleFacts) -> ProjectIndex:
        scope = self.scope_of(file)

        def find(name: str) -> ModuleFacts | None:
            if name.split(".", 1)[0] in self._described:
                return None
            path = scope.find(name)
            return self._load(path) if path is not None else None

        root = scope.first[-1]
        return ProjectIndex({facts.module: facts}, loader=find, deferred=lambda: self._modules_under(root))

    def _modules_under(self, root: Path) -> dict[str, Path]:
        """The modules importable from a file's import root (its top-level modules and the packages below
        it), by dotted name: the index reads those that name a class when it looks for the subclasses that
        override an abstract method. Listed once per root, and only when asked (most runs never ask)."""
        known = self._project_modules.get(root)
        if known is None:
            known = self._project_modules[root] = dict(_importable_modules(root, self._listings))
        return known


# A bound on the modules listed under one root: a script in a large directory must not cost a walk of it.
_MAX_PROJECT_MODULES = 5000


def _importable_modules(root: Path, listings: DirectoryListings) -> Iterator[tuple[str, Path]]:
    pending: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    count = 0
    while pending and count < _MAX_PROJECT_MODULES:
        directory, prefix = pending.pop()
        for entry in sorted(listings.entries(directory)):
            path = directory / entry
            if entry.endswith(".py") and entry[:-3].isidentifier():
                stem = entry[:-3]
                name = ".".join(prefix) if stem == "__init__" else ".".join((*prefix, stem))
                if name:
                    count += 1
                    yield name, path
            elif entry.isidentifier() and "__init__.py" in listings.entries(path):
                pending.append((path, (*prefix, entry)))
