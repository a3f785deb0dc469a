"""The check pipeline: discover -> facts -> project index -> rules -> findings."""

from __future__ import annotations

import os
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


def display_path(path: Path) -> str:
    """Paths as users typed them: relative to the working directory when below it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def load_facts(path: Path, source: bytes | None = None) -> ModuleFacts:
    module, package, _ = names_for(path)
    shown = display_path(path)
    if source is None:
        try:
            source = path.read_bytes()
        except OSError as exc:
            return parse_error(shown, module, package, f"cannot read the file: {exc.strerror or exc}", 1, 1)
    facts = extract(source, shown, module, package)
    if b"noqa" in source:  # cheap test first: most files have no suppression comment
        scan = scan_suppressions(source, shown)
        facts.suppressions, facts.file_suppression = scan.lines, scan.file
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
    for rule in settings.rules:
        for found in rule.check(context):
            if found.location.path not in wanted:
                continue
            key = (found.code, found.location.path, found.location.line, found.location.column)
            findings.setdefault(key, found)
    suppressions = {
        m.path: FileSuppressions(tuple(m.suppressions), m.file_suppression)
        for m in modules.values()
        if m.path in wanted and (m.suppressions or m.file_suppression is not None)
    }
    selected = {rule.code for rule in settings.rules}
    unused_rule = next((rule for rule in settings.rules if rule.code == "TFP901"), None)
    kept = apply_suppressions(findings.values(), suppressions, settings.per_file_ignores, unused_rule, selected)
    return CheckResult(kept, reported)
