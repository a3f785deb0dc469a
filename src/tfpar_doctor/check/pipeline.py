"""The pure pipeline: facts -> each file's import scope (index) -> rules -> suppressions -> findings.

No file is read here and nothing is cached: the facts arrive from loading (check/loading.py), and a
module that an import leads into is asked of `load`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from tfpar_doctor.analysis.facts import ModuleFacts
from tfpar_doctor.analysis.scopes import FileScopes
from tfpar_doctor.check.files import INTERNAL_ERROR, describe_exception
from tfpar_doctor.model import Finding
from tfpar_doctor.rules.context import Context, Options
from tfpar_doctor.selection import FileSuppressions, apply_suppressions
from tfpar_doctor.settings import CheckSettings

# Libraries whose API knowledge/tfdata.py describes by qualified name. Their names are never followed
# into source files, even when their source is part of the checked tree (checking TensorFlow itself):
# the knowledge tables know `tensorflow.data.Dataset.map`, not its private implementation, and parsing
# TensorFlow's internals one module at a time took minutes.
_DESCRIBED_LIBRARIES = frozenset({"tensorflow", "keras", "tf_keras", "tensorflow_datasets"})

FindingKey = tuple[str, str, int, int]


class Reportable:
    """Whether a finding's file may be reported: a checked file, or an imported one the configuration
    does not exclude (a traced helper's `np.random` call is reported where it lies)."""

    def __init__(self, checked_paths: set[str], settings: CheckSettings) -> None:
        self._checked = checked_paths
        self._excludes = settings.excludes
        self._outside: dict[str, bool] = {}

    def __call__(self, path: str) -> bool:
        if path in self._checked:
            return True
        if path not in self._outside:
            self._outside[path] = self._excludes is None or not self._excludes.excluded(Path(path), False)
        return self._outside[path]


def run_rules(
    checked: list[tuple[Path, ModuleFacts]],
    scopes: FileScopes,
    settings: CheckSettings,
    reportable: Callable[[str], bool],
) -> tuple[dict[FindingKey, Finding], list[str]]:
    """Every selected rule over each checked file's scope: the findings (one per code and position) and
    one internal-error line per rule that raised."""
    findings: dict[FindingKey, Finding] = {}
    failures: dict[str, list[str]] = {}
    options = Options(loop_threshold=settings.loop_threshold, target_python=settings.target_python)
    for file, facts in checked:
        context = Context(scopes.index_for(file, facts), options)
        for rule in settings.rules:
            try:
                for found in rule.check(context):
                    if not reportable(found.location.path):
                        continue
                    key = (found.code, found.location.path, found.location.line, found.location.column)
                    findings.setdefault(key, found)
            except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the other rules' findings
                failures.setdefault(rule.code, []).append(f"{describe_exception(exc)} on {facts.path}")
    errors = []
    for code, failed in failures.items():  # one line per broken rule, however many files it failed on
        more = f" (and {len(failed) - 1} more files)" if len(failed) > 1 else ""
        errors.append(f"rule {code} failed: {failed[0]}{more}")
    return findings, errors


def suppress(
    findings: Iterable[Finding], commented: Iterable[ModuleFacts], settings: CheckSettings
) -> list[Finding]:
    """`# noqa` comments, file-level suppressions and per-file ignores applied; TFP901 added."""
    suppressions = {
        m.path: FileSuppressions(tuple(m.suppressions), m.file_suppression)
        for m in commented
        if m.suppressions or m.file_suppression is not None
    }
    selected = {rule.code for rule in settings.rules}
    unused_rule = next((rule for rule in settings.rules if rule.code == "TFP901"), None)
    return apply_suppressions(findings, suppressions, settings.per_file_ignores, unused_rule, selected)


def analyse(
    checked: list[tuple[Path, ModuleFacts]],
    notes: list[ModuleFacts],
    reported: list[str],
    load: Callable[[Path], ModuleFacts],
    loaded: Callable[[], list[ModuleFacts]],
    settings: CheckSettings,
) -> tuple[list[Finding], list[str]]:
    """The findings of the checked files and the internal errors met.

    Each file is analysed in its own scope: itself and what it imports, resolved from its own location
    (analysis/scopes.py), so that what a file's dataset sites cause never depends on which other files
    are checked with it. `load` gives the facts of a module an import leads into; `loaded` lists those
    loaded so far (their suppression comments apply to findings reported in them)."""
    modules = [facts for _, facts in checked]
    internal_errors = [
        f"{m.path}: {m.error[0]}" for m in modules if m.error and m.error[0].startswith(INTERNAL_ERROR)
    ]
    checked_paths = set(reported)
    scopes = FileScopes(load, _DESCRIBED_LIBRARIES)
    findings, rule_errors = run_rules(checked, scopes, settings, Reportable(checked_paths, settings))
    internal_errors.extend(rule_errors)
    located = {found.location.path for found in findings.values()}
    imported = [m for m in loaded() if m.path in located and m.path not in checked_paths]
    return suppress(findings.values(), [*notes, *modules, *imported], settings), internal_errors
