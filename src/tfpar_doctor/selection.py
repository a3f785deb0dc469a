"""Which findings are reported: rule selection, per-file ignores, `# noqa`, and TFP901.

Selection is computed the way ruff layers it: start from the rules that are on by default, then for
each layer (the config file, then the command line) a `select` replaces the set, `extend-select`
adds to it and `ignore` removes from it. So the command line wins, and `--select TFP4` or `ALL`
turns on the advice rules that are off by default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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
    selected = set(selected)
    known = {rule.code for rule in ALL_RULES}
    used: dict[tuple[str, int], set[str]] = {}
    file_used: dict[str, set[str]] = {}
    kept: list[Finding] = []
    for found in findings:
        path = found.location.path
        own = suppressions.get(path, FileSuppressions())
        if own.file is not None and _covers(own.file, found.code):
            file_used.setdefault(path, set()).add(found.code)
            continue
        line = [s for s in own.lines if s.line == found.location.line and _covers(s.codes, found.code)]
        if line:
            for suppression in line:
                used.setdefault((path, suppression.line), set()).add(found.code)
            continue
        kept.append(found)
    if report_unused is not None:
        from tfpar_doctor.rules.tfp901_unused_suppression import unused_findings

        for path, own in suppressions.items():
            if own.file is not None and _covers(own.file, report_unused.code):
                continue
            for suppression in own.lines:
                hit = used.get((path, suppression.line), set())
                unused = [c for c in suppression.codes
                          if c != report_unused.code and _judged(c, selected, known) and c not in hit]
                if unused:
                    kept.append(unused_findings(suppression.location, unused, known))
            if own.file:
                hit = file_used.get(path, set())
                unused = [c for c in own.file if _judged(c, selected, known) and c not in hit]
                if unused:
                    where = file_noqa_location(path) or Location(path, 1, 1, 1, 1)
                    kept.append(unused_findings(where, unused, known, file_level=True))
    if per_file_ignores is not None and per_file_ignores.entries:
        kept = [
            f for f in kept
            if not any(matches(s, f.code) for s in per_file_ignores.ignored(f.location.path))
        ]
    # A TFP901 finding is itself silenced by a suppression comment naming TFP901 on its line.
    out: list[Finding] = []
    for found in kept:
        if report_unused is not None and found.code == report_unused.code:
            own = suppressions.get(found.location.path, FileSuppressions())
            if any(s.line == found.location.line and report_unused.code in s.codes for s in own.lines):
                continue
        out.append(found)
    return sorted(out, key=Finding.sort_key)


def _judged(code: str, selected: set[str], known: set[str]) -> bool:
    if code in known:
        return code in selected
    return code.startswith("TFP")
