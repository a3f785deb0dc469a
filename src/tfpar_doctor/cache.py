"""The facts cache: per-file `ModuleFacts` in `.tfpar_doctor_cache/`, so unchanged files are not parsed again.

The cache lives at the project root (the directory of the configuration file, as ruff keeps
`.ruff_cache`), so checking the project from another directory reuses it; `--cache-dir` and
$TFPAR_DOCTOR_CACHE_DIR move it (tfpar_doctor.settings.cache_dir_for decides).

An entry's key is a hash of everything the facts depend on: the file's bytes, the module names written
into the facts, and a fingerprint of the analyzer itself (tool version, the source of
`analysis/` and `knowledge/`, Python and libcst versions). Nothing else feeds extraction today; a
setting that ever does must be added to `fingerprint()`. A new fingerprint starts a fresh directory and
removes the old ones, so the cache never serves facts of another analyzer.

The path is written into the facts too, as the user named the file; it is a label, not an input, so it
is not in the key: facts read under another name (from another working directory) are relabelled.

Entries are pickles written atomically (temporary file + rename), so parallel runs at worst both write
the same entry. A corrupt or unreadable entry is ignored with one warning and rewritten; a cache that
cannot be written to is skipped with one warning. The cache never changes findings, only their speed.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tfpar_doctor import __version__
from tfpar_doctor.analysis.facts import ModuleFacts
from tfpar_doctor.model import Location

if TYPE_CHECKING:
    from tfpar_doctor.analysis.prefilter import ScanMemo
    from tfpar_doctor.sources import Manifest

T = TypeVar("T")

CACHE_DIR_NAME = ".tfpar_doctor_cache"
# https://bford.info/cachedir/: backup tools and `tar --exclude-caches` skip directories with this tag.
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by tfpar-doctor.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
_PACKAGE = Path(__file__).resolve().parent
# The code whose output is cached: a change to any of it makes old entries wrong.
_FACT_SOURCES = ("analysis", "knowledge")


def fingerprint() -> str:
    digest = hashlib.blake2b(digest_size=16)
    try:
        libcst_version = metadata.version("libcst")
    except metadata.PackageNotFoundError:
        libcst_version = "?"
    versions = f"{__version__}|{sys.version}|libcst {libcst_version}|pickle {pickle.HIGHEST_PROTOCOL}"
    digest.update(versions.encode())
    for folder in _FACT_SOURCES:
        for source in sorted((_PACKAGE / folder).glob("*.py")):
            digest.update(source.name.encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


class FactsCache:
    def __init__(self, directory: Path, warn: Callable[[str], None], version: str | None = None) -> None:
        self.directory = directory
        self.version = version or fingerprint()
        self.entries = directory / f"facts-{self.version}"
        self._warn = warn
        self._warned_corrupt = False
        self._writable = True
        self._prepared = False
        self._compiles: set[str] | None = None
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(content: str, module: str, package: str) -> str:
        """The key of a file's facts: its content key (`content_key`) and the module names written into
        them. Not the path: facts cached from one working directory serve another (`relabel`)."""
        text = f"{content}\0{module}\0{package}"
        return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()

    def _table(self, name: str, kind: type[T]) -> T | None:
        """One of the cache's run-wide tables (a pickle of `kind`); None when there is none yet or it is
        damaged (which warns once): a lost table only costs redoing its work."""
        try:
            with open(self.entries / name, "rb") as handle:
                value = pickle.load(handle)
            if not isinstance(value, kind):
                raise TypeError(f"expected {kind.__name__}, found {type(value).__name__}")
            return value
        except FileNotFoundError:
            return None
        except Exception as exc:  # noqa: BLE001 - any damage only costs redoing the work
            self._corrupt(exc)
            return None

    def stat_manifest(self) -> Manifest:
        """Content keys of files by stat signature (see tfpar_doctor.sources); empty when there is none."""
        return self._table("stat-manifest.pickle", dict) or {}

    def save_stat_manifest(self, manifest: Manifest) -> None:
        self._write(self.entries / "stat-manifest.pickle", manifest)

    def scan_memo(self, methods: Iterable[str]) -> ScanMemo:
        """The prefilter's scans of earlier runs for this set of site methods (empty when there are none)."""
        from tfpar_doctor.analysis.prefilter import ScanMemo

        memo = self._table(self._memo_name(methods), ScanMemo)
        if memo is None:
            return ScanMemo()
        memo.changed = False
        return memo

    def save_scan_memo(self, methods: Iterable[str], memo: ScanMemo) -> None:
        if memo.changed:
            memo.changed = False
            self._write(self.entries / self._memo_name(methods), memo)

    @staticmethod
    def _memo_name(methods: Iterable[str]) -> str:
        signature = hashlib.blake2b(",".join(sorted(methods)).encode(), digest_size=8).hexdigest()
        return f"scans-{signature}.pickle"

    def compiles(self) -> set[str]:
        """Content keys of files already known to compile (the prefilter's syntax check)."""
        if self._compiles is None:
            self._compiles = self._table("compiles.pickle", set) or set()
        return self._compiles

    def add_compiles(self, keys: Iterable[str]) -> None:
        known = self.compiles()
        new = set(keys) - known
        if not new or not self._writable:
            return
        known |= new
        self._write(self.entries / "compiles.pickle", known)

    def _corrupt(self, exc: BaseException) -> None:
        if not self._warned_corrupt:
            self._warned_corrupt = True
            self._warn(f"ignoring a corrupt cache entry ({type(exc).__name__}: {exc}) in {self.directory}; "
                       "it will be rebuilt (`tfpar-doctor clean` removes the cache)")

    def _entry(self, key: str) -> Path:
        return self.entries / key[:2] / key

    def get(self, key: str) -> ModuleFacts | None:
        entry = self._entry(key)
        try:
            with open(entry, "rb") as handle:
                facts = pickle.load(handle)
            if not isinstance(facts, ModuleFacts):
                raise TypeError(f"expected ModuleFacts, found {type(facts).__name__}")
        except FileNotFoundError:
            self.misses += 1
            return None
        except Exception as exc:  # noqa: BLE001 - any damage to an entry only costs a parse
            self.misses += 1
            self._corrupt(exc)
            with contextlib.suppress(OSError):
                entry.unlink()
            return None
        self.hits += 1
        return facts

    def put(self, key: str, facts: ModuleFacts) -> None:
        self._write(self._entry(key), facts)

    def _write(self, entry: Path, value: object) -> None:
        if not self._writable:
            return
        try:
            if not self._prepared:
                self._prepare()
            entry.parent.mkdir(exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, entry)
            except BaseException:
                os.unlink(temporary)
                raise
        except (OSError, pickle.PicklingError, RecursionError) as exc:
            self._writable = False
            self._warn(f"cannot write the cache in {self.directory} ({exc}); continuing without it "
                       "(use --no-cache to silence this)")

    def _prepare(self) -> None:
        self.entries.mkdir(parents=True, exist_ok=True)
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(CACHEDIR_TAG, encoding="ascii")
        gitignore = self.directory / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("# Created by tfpar-doctor.\n*\n", encoding="ascii")
        # Entries of other analyzer versions can never be read again.
        for old in self.directory.glob("facts-*"):
            if old != self.entries and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        self._prepared = True


def clean(directory: Path) -> bool:
    """Removes a tfpar-doctor cache directory; False when there was none. Refuses directories without
    our CACHEDIR.TAG, so a mistyped path cannot delete someone's files."""
    if not directory.is_dir():
        return False
    tag = directory / "CACHEDIR.TAG"
    if not tag.is_file() or "tfpar-doctor" not in tag.read_text(encoding="ascii", errors="replace"):
        raise ValueError(f"{directory} does not look like a tfpar-doctor cache (no CACHEDIR.TAG of ours)")
    shutil.rmtree(directory)
    return True


def relabel(facts: ModuleFacts, path: str) -> ModuleFacts | None:
    """`facts` of the same file as named from another working directory: every `path` that named it
    names it as `path` now (Locations, and the `path` fields of the facts). None when the facts are too
    deeply nested to walk (the caller parses the file again)."""
    old = facts.path
    if old == path:
        return facts
    # By id, with the original kept alive so that its id cannot be reused by a new object meanwhile.
    seen: dict[int, tuple[object, object]] = {}

    def walk(value: object) -> object:
        if isinstance(value, (str, int, float, bool, type(None), enum.Enum)):
            return value
        known = seen.get(id(value))
        if known is not None:
            return known[1]
        out: object = value
        if isinstance(value, Location):
            out = replace(value, path=path) if value.path == old else value
        elif isinstance(value, list):
            value[:] = [walk(item) for item in value]
        elif isinstance(value, tuple):
            items = tuple(walk(item) for item in value)
            out = value if all(a is b for a, b in zip(items, value, strict=True)) else items
        elif isinstance(value, dict):
            for key in value:
                value[key] = walk(value[key])
        elif isinstance(value, (set, frozenset)):
            out = type(value)(walk(item) for item in value)
        elif is_dataclass(value) and not isinstance(value, type):
            out = _relabel_fields(value, old, path, walk)
        seen[id(value)] = (value, out)
        return out

    try:
        relabelled = walk(facts)
    except RecursionError:
        return None
    assert isinstance(relabelled, ModuleFacts)
    return relabelled


def _relabel_fields(value: Any, old: str, path: str, walk: Callable[[object], object]) -> object:
    changes = {}
    for item in fields(value):
        current = getattr(value, item.name)
        new = path if item.name == "path" and current == old else walk(current)
        if new is not current:
            changes[item.name] = new
    if not changes:
        return value
    if value.__dataclass_params__.frozen:
        return replace(value, **changes)
    for name, new in changes.items():
        setattr(value, name, new)
    return value
