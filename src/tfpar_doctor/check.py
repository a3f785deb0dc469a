"""The check pipeline: discover -> facts -> project index -> rules -> findings."""

from __future__ import annotations

import os
import re
import stat
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tfpar_doctor.analysis.discover import Excludes, iter_python_files
from tfpar_doctor.analysis.extract import extract, parse_error
from tfpar_doctor.analysis.facts import ModuleFacts
from tfpar_doctor.analysis.index import ProjectIndex
from tfpar_doctor.analysis.modules import ModuleLocator, names_for
from tfpar_doctor.analysis.suppress import scan_suppressions
from tfpar_doctor.model import Finding
from tfpar_doctor.rules import ALL_RULES
from tfpar_doctor.rules.base import Rule
from tfpar_doctor.rules.context import Context, Options
from tfpar_doctor.selection import FileSuppressions, PerFileIgnores, apply_suppressions

_MAY_SUPPRESS = re.compile(rb"noqa", re.IGNORECASE)


@dataclass
class CheckSettings:
    rules: tuple[Rule, ...] = tuple(r for r in ALL_RULES if r.enabled_by_default)
    loop_threshold: int = 32
    per_file_ignores: PerFileIgnores | None = None
    excludes: Excludes | None = None
    # File contents given directly instead of read from disk: `check - --stdin-filename PATH`.
    sources: dict[Path, bytes] = field(default_factory=dict)


@dataclass
class CheckResult:
    findings: list[Finding]
    files: list[str] = field(default_factory=list)
    # Bugs of ours met while checking (a crash in extraction or in a rule), contained so that the
    # other files and rules still report; the command line exits 2 when there are any.
    internal_errors: list[str] = field(default_factory=list)


def display_path(path: Path) -> str:
    """Paths as users typed them: relative to the working directory when below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


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
    try:
        facts = extract(source, shown, module, package)
        if _MAY_SUPPRESS.search(source):  # cheap test first: most files have no suppression comment
            scan = scan_suppressions(source, shown)
            facts.suppressions, facts.file_suppression = scan.lines, scan.file
    except Exception as exc:  # noqa: BLE001 - a bug of ours must cost one file, not the whole run
        message = f"{INTERNAL_ERROR}: {describe_exception(exc)}; please report this tfpar-doctor bug"
        return parse_error(shown, module, package, message, 1, 1)
    return facts


def run_check(paths: Sequence[Path], settings: CheckSettings | None = None) -> CheckResult:
    settings = settings or CheckSettings()
    files = list(iter_python_files(paths, settings.excludes))
    return check_files(files, settings)


def check_files(files: Iterable[Path], settings: CheckSettings) -> CheckResult:
    files = list(files)
    modules: dict[str, ModuleFacts] = {}
    reported: list[str] = []
    roots: list[Path] = []
    for file in files:
        facts = load_facts(file, settings.sources.get(file))
        reported.append(facts.path)
        # Two files may claim one module name (scripts in different folders): keep both by path.
        key = facts.module if facts.module not in modules else f"{facts.module}@{facts.path}"
        modules[key] = facts
        _, _, root = names_for(file)
        roots.extend((root, file.parent))
    loaded: dict[Path, ModuleFacts] = {}

    def load(path: Path) -> ModuleFacts | None:
        resolved = path.resolve()
        if resolved not in loaded:
            loaded[resolved] = load_facts(path)
        return loaded[resolved]

    index = ProjectIndex(modules, loader=ModuleLocator([*roots, Path.cwd()], load))
    context = Context(index, Options(loop_threshold=settings.loop_threshold))
    wanted = set(reported)
    findings: dict[tuple[str, str, int, int], Finding] = {}
    internal_errors = [
        f"{m.path}: {m.error[0]}" for m in modules.values() if m.error and m.error[0].startswith(INTERNAL_ERROR)
    ]
    for rule in settings.rules:
        try:
            for found in rule.check(context):
                if found.location.path not in wanted:
                    continue
                key = (found.code, found.location.path, found.location.line, found.location.column)
                findings.setdefault(key, found)
        except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the other rules' findings
            internal_errors.append(f"rule {rule.code} failed: {describe_exception(exc)}")
    suppressions = {
        m.path: FileSuppressions(tuple(m.suppressions), m.file_suppression)
        for m in modules.values()
        if m.path in wanted and (m.suppressions or m.file_suppression is not None)
    }
    selected = {rule.code for rule in settings.rules}
    unused_rule = next((rule for rule in settings.rules if rule.code == "TFP901"), None)
    kept = apply_suppressions(findings.values(), suppressions, settings.per_file_ignores, unused_rule, selected)
    return CheckResult(kept, reported, internal_errors)
