"""The check pipeline: discover -> facts -> project index -> rules -> findings."""

from __future__ import annotations

import os
import stat
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tfpar_doctor.analysis.discover import iter_python_files
from tfpar_doctor.analysis.facts import ModuleFacts, parse_error
from tfpar_doctor.analysis.modules import names_for
from tfpar_doctor.analysis.scopes import FileScopes
from tfpar_doctor.analysis.suppress import scan_suppressions
from tfpar_doctor.model import Finding
from tfpar_doctor.rules.context import Context, Options
from tfpar_doctor.selection import FileSuppressions, apply_suppressions
from tfpar_doctor.settings import CheckSettings
from tfpar_doctor.sources import Sources, content_key, may_suppress

if TYPE_CHECKING:
    from tfpar_doctor.analysis.prefilter import ScanMemo
    from tfpar_doctor.cache import FactsCache


# Libraries whose API knowledge/tfdata.py describes by qualified name. Their names are never followed
# into source files, even when their source is part of the checked tree (checking TensorFlow itself):
# the knowledge tables know `tensorflow.data.Dataset.map`, not its private implementation, and parsing
# TensorFlow's internals one module at a time took minutes.
_DESCRIBED_LIBRARIES = frozenset({"tensorflow", "keras", "tf_keras", "tensorflow_datasets"})


@dataclass
class CheckResult:
    findings: list[Finding]
    files: list[str] = field(default_factory=list)
    # Bugs of ours met while checking (a crash in extraction or in a rule), contained so that the
    # other files and rules still report; the command line exits 2 when there are any.
    internal_errors: list[str] = field(default_factory=list)


def display_path(path: Path) -> str:
    """Paths as users typed them: relative to the working directory when below it.

    The same answers as `os.path.relpath`, without its two `abspath` calls per path where the answer is
    plain (a run shows thousands of paths)."""
    text = os.fspath(path)
    if os.path.isabs(text):
        cwd = os.getcwd()
        if cwd != os.sep:
            norm = os.path.normpath(text)
            if norm == cwd:
                return "."
            prefix = cwd + os.sep
            return norm[len(prefix):] if norm.startswith(prefix) else text
    elif not text.startswith("..") and os.sep + "." not in text and not text.startswith("." + os.sep):
        return text
    try:
        relative = os.path.relpath(text)
    except ValueError:
        return text
    return text if relative.startswith("..") else relative


# Files above this size are almost always generated (protobuf modules, data tables) and hold no
# pipeline; libcst needs roughly a minute per megabyte on a busy machine, so larger files become a
# TFP900 finding instead of stalling pre-commit. README.md "Limits" documents it.
MAX_FILE_BYTES = 1_000_000
# The start of the TFP900 message for a crash of ours while analysing a file.
INTERNAL_ERROR = "internal error while analysing this file"


class UnreadableFile(Exception):
    """A file that is there but cannot be analysed; the message is shown to the user."""


def read_source(path: Path) -> bytes:
    """The bytes of a regular file no larger than MAX_FILE_BYTES; OSError or UnreadableFile otherwise."""
    # O_NONBLOCK: opening a FIFO that happens to be named `*.py` must not wait for a writer forever.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(path, flags), "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("not a regular file")
        source = handle.read(MAX_FILE_BYTES + 1)
    if len(source) > MAX_FILE_BYTES:
        raise UnreadableFile(_too_large(max(len(source), info.st_size)))
    return source


def _too_large(size: int) -> str:
    return f"file too large to analyse ({size} bytes > {MAX_FILE_BYTES} bytes)"


def describe_exception(exc: BaseException) -> str:
    """`KeyError: 'x' (extract.py:123)`: enough for a bug report, without a traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


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


def _crashed(item: tuple[Path, bytes | None], message: str) -> ModuleFacts:
    """The TFP900 facts of a file whose analysis took its worker process down."""
    path = item[0]
    module, package, _ = names_for(path)
    text = f"{INTERNAL_ERROR}: {message}; please report this tfpar-doctor bug"
    return parse_error(display_path(path), module, package, text, 1, 1)


def _read_or_none(path: Path) -> bytes | None:
    try:
        return read_source(path)
    except (OSError, UnreadableFile):
        return None  # load_facts reads it again and says what is wrong (TFP900)


def _warn(message: str) -> None:
    sys.stderr.write(f"tfpar-doctor: warning: {message}\n")


def _open_cache(settings: CheckSettings) -> FactsCache | None:
    if settings.cache_dir is None:
        return None
    from tfpar_doctor.cache import FactsCache

    return FactsCache(settings.cache_dir, _warn)


def _cache_key(cache: FactsCache, path: Path, content: str) -> str:
    module, package, _ = names_for(path)
    return cache.key(content, display_path(path), module, package)


def load_cached(path: Path, cache: FactsCache | None, source: bytes | None = None) -> ModuleFacts:
    """`load_facts` through the cache (for modules the index loads on demand)."""
    if cache is None:
        return load_facts(path, source)
    source = source if source is not None else _read_or_none(path)
    if source is None:
        return load_facts(path)
    key = _cache_key(cache, path, content_key(source))
    facts = cache.get(key)
    if facts is None:
        facts = load_facts(path, source)
        if not (facts.error and facts.error[0].startswith(INTERNAL_ERROR)):
            cache.put(key, facts)
    return facts


# Files per task of the byte-level checks below: enough to amortise sending work to a worker, few enough
# to balance the workers.
_BATCH = 24


def _flag_in_batches(
    table: Sources,
    indices: list[int],
    task: Callable[..., tuple[int, ...]],
    jobs: int,
    crashed: Callable[[tuple[bytes, ...]], tuple[int, ...]],
) -> list[tuple[int, bool]]:
    """(index, flagged) for each of `indices`. `task(*sources)` returns the positions of the sources it
    flags; it runs in the pool over batches of `_BATCH` files, and `crashed(sources)` answers for a batch
    whose worker died."""
    from tfpar_doctor.parallel import run_ordered

    batches = [indices[start : start + _BATCH] for start in range(0, len(indices), _BATCH)]
    items = [tuple(table.source(index) or b"" for index in batch) for batch in batches]
    flagged = run_ordered(
        task, items, jobs, lambda item, message: crashed(item), [sum(map(len, item)) for item in items]
    )
    return [(index, position in hits) for batch, hits in zip(batches, flagged) for position, index in enumerate(batch)]


def _drop_text_only_sites(
    table: Sources, wanted: list[bool], jobs: int, methods: frozenset[str], memo: ScanMemo | None
) -> None:
    """Candidates whose site tokens are all in docstrings or comments are skipped after all: CPython's
    parser tells (in the pool, once per content with the cache). They are then compile-checked like any
    skipped file, and the index still loads them on demand if a pipeline elsewhere imports them."""
    from functools import partial

    from tfpar_doctor.analysis.prefilter import without_code_sites

    todo: list[int] = []
    for index, want in enumerate(wanted):
        if not want:
            continue
        key = table.key(index)
        known = memo.code_sites.get(key) if memo is not None and key is not None else None
        if known is not None:
            wanted[index] = known
        elif table.source(index) is not None:
            todo.append(index)
    # a crashed batch flags nothing: every file in it is parsed, as without this step
    for index, text_only in _flag_in_batches(table, todo, partial(without_code_sites, methods), jobs, lambda _: ()):
        wanted[index] = not text_only
        key = table.key(index)
        if memo is not None and key is not None:
            memo.code_sites[key] = not text_only
            memo.changed = True


def _compile_skipped(table: Sources, wanted: list[bool], jobs: int, cache: FactsCache | None) -> None:
    """Files the prefilter skipped must still report TFP900: CPython compiles them (in the pool, and only
    once per content when the cache is on); one that fails goes back to the full parse (`wanted`)."""
    from tfpar_doctor.analysis.prefilter import failing_to_compile

    known = cache.compiles() if cache is not None else set()
    todo = [
        index
        for index, want in enumerate(wanted)
        if not want and (table.key(index) or "") not in known and table.source(index) is not None
    ]
    compiled: list[str] = []
    # a crashed batch fails every file in it: the full parse then judges each
    for index, failed in _flag_in_batches(table, todo, failing_to_compile, jobs, lambda item: tuple(range(len(item)))):
        key = table.key(index)
        if failed:
            wanted[index] = True
        elif key:
            compiled.append(key)
    if cache is not None:
        cache.add_compiles(compiled)


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
    table = Sources(files, settings.sources, _read_or_none, cache.stat_manifest() if cache is not None else None)
    wanted = [True] * len(files)
    if settings.prefilter:
        from tfpar_doctor.analysis.prefilter import Prefilter, module_file_resolver, site_methods_for

        methods = site_methods_for(rule.code for rule in settings.rules)
        memo = cache.scan_memo(methods) if cache is not None else None
        keys = [table.key(index) for index in range(len(files))] if cache is not None else None
        prefilter = Prefilter(module_file_resolver(), _read_or_none, methods, memo)
        wanted = prefilter.candidates(files, table.by_path(), keys)
        _drop_text_only_sites(table, wanted, jobs, methods, memo)
        if cache is not None and memo is not None:
            cache.save_scan_memo(methods, memo)
        _compile_skipped(table, wanted, jobs, cache)
    results: list[ModuleFacts | None] = [None] * len(files)
    todo: list[tuple[int, str | None]] = []
    for index, file in enumerate(files):
        if not wanted[index]:
            continue
        content = table.key(index) if cache is not None else None
        key = _cache_key(cache, file, content) if cache is not None and content is not None else None
        hit = cache.get(key) if cache is not None and key is not None else None
        if hit is not None:
            results[index] = hit
        else:
            todo.append((index, key))
    items = [(files[i], table.source(i)) for i, _ in todo]
    weights = [len(source or b"") for _, source in items]
    for (index, key), facts in zip(todo, run_ordered(load_facts, items, jobs, _crashed, weights)):
        results[index] = facts
        if cache is not None and key is not None and not (facts.error and facts.error[0].startswith(INTERNAL_ERROR)):
            cache.put(key, facts)
    if cache is not None:
        manifest = table.updated_manifest()
        if manifest is not None:
            cache.save_stat_manifest(manifest)
    return results, table


def run_check(paths: Sequence[Path], settings: CheckSettings | None = None) -> CheckResult:
    settings = settings or CheckSettings()
    files = list(iter_python_files(paths, settings.excludes))
    return check_files(files, settings)


def check_files(files: Iterable[Path], settings: CheckSettings) -> CheckResult:
    files = list(files)
    reported: list[str] = []
    checked: list[tuple[Path, ModuleFacts]] = []
    cache = _open_cache(settings)
    # Checked files the prefilter skipped: parsed only if an import leads into one, and then under the
    # path the user gave, so that related locations name it as typed.
    skipped: dict[str, Path] = {}
    notes: list[ModuleFacts] = []  # suppression comments of skipped files (TFP901 reads them)
    gathered, table = gather_facts(files, settings, cache)
    for index, (file, facts) in enumerate(zip(files, gathered)):
        if facts is None:
            skipped[os.path.abspath(file)] = file
            reported.append(display_path(file))
            # In a file without findings only a comment naming our codes or tool can matter (TFP901).
            if table.may_note(index):
                note = ModuleFacts(path=reported[-1], module="", package="")
                scan = scan_suppressions(table.source(index) or b"", note.path)
                note.suppressions, note.file_suppression = scan.lines, scan.file
                notes.append(note)
            continue
        reported.append(facts.path)
        checked.append((file, facts))
    loaded: dict[Path, ModuleFacts] = {}

    def load(path: Path) -> ModuleFacts:
        resolved = path.resolve()
        if resolved not in loaded:
            loaded[resolved] = load_cached(skipped.get(os.path.abspath(path), path), cache)
        return loaded[resolved]

    findings: dict[tuple[str, str, int, int], Finding] = {}
    modules = [facts for _, facts in checked]
    internal_errors = [
        f"{m.path}: {m.error[0]}" for m in modules if m.error and m.error[0].startswith(INTERNAL_ERROR)
    ]
    scopes = FileScopes(load, _DESCRIBED_LIBRARIES)
    # Each file is analysed in its own scope: itself and what it imports, resolved from its own location
    # (analysis/scopes.py), so that what a file's dataset sites cause never depends on which other files
    # are checked with it. A finding may lie in an imported module (a traced helper's `np.random` call):
    # it is reported there, unless the configuration excludes that file.
    checked_paths = set(reported)
    outside: dict[str, bool] = {}

    def reportable(path: str) -> bool:
        if path in checked_paths:
            return True
        if path not in outside:
            outside[path] = settings.excludes is None or not settings.excludes.excluded(Path(path), False)
        return outside[path]

    failures: dict[str, list[str]] = {}
    for file, facts in checked:
        context = Context(scopes.index_for(file, facts), Options(loop_threshold=settings.loop_threshold))
        for rule in settings.rules:
            try:
                for found in rule.check(context):
                    if not reportable(found.location.path):
                        continue
                    key = (found.code, found.location.path, found.location.line, found.location.column)
                    findings.setdefault(key, found)
            except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the other rules' findings
                failures.setdefault(rule.code, []).append(f"{describe_exception(exc)} on {facts.path}")
    for code, failed in failures.items():  # one line per broken rule, however many files it failed on
        more = f" (and {len(failed) - 1} more files)" if len(failed) > 1 else ""
        internal_errors.append(f"rule {code} failed: {failed[0]}{more}")
    located = {found.location.path for found in findings.values()}
    imported = [m for m in loaded.values() if m.path in located and m.path not in checked_paths]
    suppressions = {
        m.path: FileSuppressions(tuple(m.suppressions), m.file_suppression)
        for m in [*notes, *modules, *imported]
        if m.suppressions or m.file_suppression is not None
    }
    selected = {rule.code for rule in settings.rules}
    unused_rule = next((rule for rule in settings.rules if rule.code == "TFP901"), None)
    kept = apply_suppressions(findings.values(), suppressions, settings.per_file_ignores, unused_rule, selected)
    return CheckResult(kept, reported, internal_errors)
