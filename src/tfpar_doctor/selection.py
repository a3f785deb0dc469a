"""Which findings are reported: rule selection, per-file ignores, `# noqa`, and TFP901.

Selection is computed the way ruff layers it: start from the rules that are on by default, then for
each layer (the config file, then the command line) a `select` replaces the set, `extend-select`
adds to it and `ignore` removes from it. So the command line wins, and `--select TFP4` or `ALL`
turns on the advice rules that are off by default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from tfpar_doctor.analysis.facts import Suppression
from tfpar_doctor.analysis.suppress import file_noqa_location
from tfpar_doctor.model import Finding, Location
from tfpar_doctor.rules import ALL_RULES
from tfpar_doctor.rules.base import Rule
from tfpar_doctor.settings import Layer


def matches(selector: str, code: str) -> bool:
    return selector == "ALL" or code.startswith(selector)


def expand(selectors: Iterable[str]) -> set[str]:
    selectors = tuple(selectors)
    return {rule.code for rule in ALL_RULES if any(matches(s, rule.code) for s in selectors)}


def select_rules(layers: Sequence[Layer]) -> tuple[Rule, ...]:
    codes = {rule.code for rule in ALL_RULES if rule.enabled_by_default}
    for layer in layers:
        if layer.select is not None:
            codes = expand(layer.select)
        codes |= expand(layer.extend_select)
        codes -= expand(layer.ignore)
    return tuple(rule for rule in ALL_RULES if rule.code in codes)


@dataclass(frozen=True)
class PerFileIgnores:
    """`glob -> codes` entries; globs use .gitignore syntax relative to `root` (`tests/*`, `__init__.py`)."""

    root: Path
    entries: tuple[tuple[pathspec.GitIgnoreSpec, str, tuple[str, ...]], ...] = ()

    @classmethod
    def build(cls, root: Path, pairs: Iterable[tuple[str, Sequence[str]]]) -> PerFileIgnores:
        entries = tuple(
            (pathspec.GitIgnoreSpec.from_lines([pattern]), pattern, tuple(codes))
            for pattern, codes in pairs
        )
        return cls(root.resolve(), entries)

    def ignored(self, path: str) -> tuple[str, ...]:
        """The selectors ignored for a file (as reported: relative to the working directory)."""
        if not self.entries:
            return ()
        resolved = Path(path).resolve()
        try:
            relative = resolved.relative_to(self.root).as_posix()
        except ValueError:
            relative = Path(path).as_posix()
        out: list[str] = []
        for spec, _, codes in self.entries:
            if spec.match_file(relative):
                out.extend(codes)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class FileSuppressions:
    """What one file's comments suppress (see analysis.suppress)."""

    lines: tuple[Suppression, ...] = ()
    file: tuple[str, ...] | None = None


def _covers(codes: tuple[str, ...], code: str) -> bool:
    return not codes or code in codes


@dataclass
class _Used:
    """Which codes each suppression comment silenced (TFP901 reports the others)."""

    lines: dict[tuple[str, int], set[str]] = field(default_factory=dict)  # (path, line) -> codes
    files: dict[str, set[str]] = field(default_factory=dict)  # path -> codes of its file-level comment


def _drop_suppressed(
    findings: Iterable[Finding], suppressions: Mapping[str, FileSuppressions], used: _Used
) -> list[Finding]:
    kept: list[Finding] = []
    for found in findings:
        path = found.location.path
        own = suppressions.get(path, FileSuppressions())
        if own.file is not None and _covers(own.file, found.code):
            used.files.setdefault(path, set()).add(found.code)
            continue
        line = [s for s in own.lines if s.line == found.location.line and _covers(s.codes, found.code)]
        if line:
            for suppression in line:
                used.lines.setdefault((path, suppression.line), set()).add(found.code)
            continue
        kept.append(found)
    return kept


def _unused(
    suppressions: Mapping[str, FileSuppressions], used: _Used, report_unused: Rule, selected: set[str]
) -> list[Finding]:
    """TFP901 findings: codes in suppression comments that silenced nothing."""
    from tfpar_doctor.rules.tfp901_unused_suppression import unused_findings

    known = {rule.code for rule in ALL_RULES}
    out: list[Finding] = []
    for path, own in suppressions.items():
        if own.file is not None and _covers(own.file, report_unused.code):
            continue
        for suppression in own.lines:
            hit = used.lines.get((path, suppression.line), set())
            unused = [c for c in suppression.codes
                      if c != report_unused.code and _judged(c, selected, known) and c not in hit]
            if unused:
                out.append(unused_findings(suppression.location, unused, known))
        if own.file:
            hit = used.files.get(path, set())
            unused = [c for c in own.file if _judged(c, selected, known) and c not in hit]
            if unused:
                where = file_noqa_location(path) or Location(path, 1, 1, 1, 1)
                out.append(unused_findings(where, unused, known, file_level=True))
    return out


def _silenced_unused(found: Finding, suppressions: Mapping[str, FileSuppressions], code: str) -> bool:
    """A TFP901 finding is itself silenced by a suppression comment naming TFP901 on its line."""
    own = suppressions.get(found.location.path, FileSuppressions())
    return any(s.line == found.location.line and code in s.codes for s in own.lines)


def apply_suppressions(
    findings: Iterable[Finding],
    suppressions: Mapping[str, FileSuppressions],
    per_file_ignores: PerFileIgnores | None,
    report_unused: Rule | None,
    selected: Iterable[str],
) -> list[Finding]:
    """Drop suppressed and per-file-ignored findings; add TFP901 for suppressions that did nothing.

    `report_unused` is the TFP901 rule when it is selected. A code in a `# noqa` counts as unused only
    when it is a tfpar-doctor code of a selected rule (other linters' codes and rules that did not run
    cannot be judged) or not a tfpar-doctor code at all while looking like one (`TFP999`).
    """
    used = _Used()
    kept = _drop_suppressed(findings, suppressions, used)
    if report_unused is not None:
        kept.extend(_unused(suppressions, used, report_unused, set(selected)))
    if per_file_ignores is not None and per_file_ignores.entries:
        kept = [
            f for f in kept
            if not any(matches(s, f.code) for s in per_file_ignores.ignored(f.location.path))
        ]
    if report_unused is not None:
        code = report_unused.code
        kept = [f for f in kept if f.code != code or not _silenced_unused(f, suppressions, code)]
    return sorted(kept, key=Finding.sort_key)


def _judged(code: str, selected: set[str], known: set[str]) -> bool:
    if code in known:
        return code in selected
    return code.startswith("TFP")
