"""Loading: the checked files' facts, from the cache or parsed in the process pool, with the prefilter
skipping the files that cannot hold a finding. Everything here is about getting `ModuleFacts` cheaply;
what the facts mean is the pipeline's business (check/pipeline.py)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tfpar_doctor.analysis.facts import ModuleFacts, parse_error
from tfpar_doctor.analysis.modules import names_for
from tfpar_doctor.analysis.suppress import scan_suppressions
from tfpar_doctor.check.files import (
    INTERNAL_ERROR,
    MAX_FILE_BYTES,
    UnreadableFile,
    _too_large,
    describe_exception,
    display_path,
    read_or_none,
    read_source,
)
from tfpar_doctor.check.prefilter_steps import prefilter
from tfpar_doctor.settings import CheckSettings
from tfpar_doctor.sources import Sources, content_key, may_suppress

if TYPE_CHECKING:
    from tfpar_doctor.cache import FactsCache


def load_facts(path: Path, source: bytes | None = None) -> ModuleFacts:
    module, package, _ = names_for(path)
    shown = display_path(path)
    try:
        if source is None:
            source = read_source(path)
        elif len(source) > MAX_FILE_BYTES:
            raise UnreadableFile(_too_large(len(source)))
    except OSError as exc:
        return parse_error(shown, module, package, f"cannot read the file: {exc.strerror or exc}", 1, 1)
    except UnreadableFile as exc:
        return parse_error(shown, module, package, str(exc), 1, 1)
    # libcst is imported here, in the worker that parses, not at start-up: a warm run never needs it.
    from tfpar_doctor.analysis.extract import extract

    try:
        facts = extract(source, shown, module, package)
        if may_suppress(source):  # cheap test first: most files have no suppression comment
            scan = scan_suppressions(source, shown)
            facts.suppressions, facts.file_suppression = scan.lines, scan.file
    except Exception as exc:  # noqa: BLE001 - a bug of ours must cost one file, not the whole run
        message = f"{INTERNAL_ERROR}: {describe_exception(exc)}; please report this tfpar-doctor bug"
        return parse_error(shown, module, package, message, 1, 1)
    return facts


def _crashed_here(facts: ModuleFacts) -> bool:
    """Facts of a file our own code failed on: never cached, so that a fixed tfpar-doctor retries it."""
    return bool(facts.error and facts.error[0].startswith(INTERNAL_ERROR))


def _crashed(item: tuple[Path, bytes | None], message: str) -> ModuleFacts:
    """The TFP900 facts of a file whose analysis took its worker process down."""
    path = item[0]
    module, package, _ = names_for(path)
    text = f"{INTERNAL_ERROR}: {message}; please report this tfpar-doctor bug"
    return parse_error(display_path(path), module, package, text, 1, 1)


def _warn(message: str) -> None:
    sys.stderr.write(f"tfpar-doctor: warning: {message}\n")


def open_cache(settings: CheckSettings) -> FactsCache | None:
    if settings.cache_dir is None:
        return None
    from tfpar_doctor.cache import FactsCache

    return FactsCache(settings.cache_dir, _warn)


def _cached(cache: FactsCache, path: Path, content: str) -> tuple[str, ModuleFacts | None]:
    """The cache key of a file's facts and the facts when cached, named as `path` is shown from here."""
    from tfpar_doctor.cache import relabel

    module, package, _ = names_for(path)
    key = cache.key(content, module, package)
    hit = cache.get(key)
    return key, relabel(hit, display_path(path)) if hit is not None else None


def load_cached(path: Path, cache: FactsCache | None, source: bytes | None = None) -> ModuleFacts:
    """`load_facts` through the cache (for modules the index loads on demand)."""
    if cache is None:
        return load_facts(path, source)
    source = source if source is not None else read_or_none(path)
    if source is None:
        return load_facts(path)
    key, facts = _cached(cache, path, content_key(source))
    if facts is None:
        facts = load_facts(path, source)
        if not _crashed_here(facts):
            cache.put(key, facts)
    return facts


def gather_facts(
    files: Sequence[Path], settings: CheckSettings, cache: FactsCache | None
) -> tuple[list[ModuleFacts | None], Sources]:
    """Facts of the checked files in their order (None for a file the prefilter skipped), and the table
    of their bytes.

    Bytes are read at most once (`Sources`): the prefilter scans them, the cache knows them by content
    key, and workers parse them (sending the bytes, not the path, keeps cache key and facts about the
    same content). With the cache on, an unchanged file is not read at all."""
    from tfpar_doctor.parallel import default_jobs, run_ordered

    jobs = settings.jobs if settings.jobs is not None else default_jobs()
    manifest = cache.stat_manifest() if cache is not None else None
    table = Sources(files, settings.sources, read_or_none, manifest)
    wanted = [True] * len(files)
    if settings.prefilter:
        wanted = prefilter(files, table, settings, cache, jobs, read_or_none)
    results: list[ModuleFacts | None] = [None] * len(files)
    todo: list[tuple[int, str | None]] = []
    for index, file in enumerate(files):
        if not wanted[index]:
            continue
        content = table.key(index) if cache is not None else None
        key, hit = (None, None) if cache is None or content is None else _cached(cache, file, content)
        if hit is not None:
            results[index] = hit
        else:
            todo.append((index, key))
    items = [(files[i], table.source(i)) for i, _ in todo]
    weights = [len(source or b"") for _, source in items]
    parsed = run_ordered(load_facts, items, jobs, _crashed, weights)
    for (index, key), facts in zip(todo, parsed, strict=True):
        results[index] = facts
        if cache is not None and key is not None and not _crashed_here(facts):
            cache.put(key, facts)
    if cache is not None:
        manifest = table.updated_manifest()
        if manifest is not None:
            cache.save_stat_manifest(manifest)
    return results, table


@dataclass
class Loaded:
    """The checked files' facts as the pipeline needs them."""

    reported: list[str] = field(default_factory=list)  # every checked file, as reported, in order
    checked: list[tuple[Path, ModuleFacts]] = field(default_factory=list)  # files parsed up front
    # Checked files the prefilter skipped: parsed only if an import leads into one, and then under the
    # path the user gave, so that related locations name it as typed.
    skipped: dict[str, Path] = field(default_factory=dict)
    notes: list[ModuleFacts] = field(default_factory=list)  # suppression comments of skipped files (TFP901)


def load_checked(files: Sequence[Path], settings: CheckSettings, cache: FactsCache | None) -> Loaded:
    """The facts of `files` (parsed, cached or skipped by the prefilter), sorted for the pipeline."""
    gathered, table = gather_facts(files, settings, cache)
    loaded = Loaded()
    for index, (file, facts) in enumerate(zip(files, gathered, strict=True)):
        if facts is None:
            loaded.skipped[os.path.abspath(file)] = file
            loaded.reported.append(display_path(file))
            # In a file without findings only a comment naming our codes or tool can matter (TFP901).
            if table.may_note(index):
                note = ModuleFacts(path=loaded.reported[-1], module="", package="")
                scan = scan_suppressions(table.source(index) or b"", note.path)
                note.suppressions, note.file_suppression = scan.lines, scan.file
                loaded.notes.append(note)
            continue
        loaded.reported.append(facts.path)
        loaded.checked.append((file, facts))
    return loaded


class OnDemand:
    """Facts of the modules that imports lead into, each loaded once (through the cache); a checked file
    the prefilter skipped is loaded under the path the user gave."""

    def __init__(self, cache: FactsCache | None, skipped: dict[str, Path]) -> None:
        self._cache = cache
        self._skipped = skipped
        self._loaded: dict[Path, ModuleFacts] = {}

    def __call__(self, path: Path) -> ModuleFacts:
        resolved = path.resolve()
        if resolved not in self._loaded:
            self._loaded[resolved] = load_cached(self._skipped.get(os.path.abspath(path), path), self._cache)
        return self._loaded[resolved]

    def modules(self) -> list[ModuleFacts]:
        return list(self._loaded.values())
