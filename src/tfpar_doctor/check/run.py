"""`run_check` and `check_files`: loading, then the pipeline, for the commands and the library's users."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tfpar_doctor.analysis.discover import iter_python_files
from tfpar_doctor.check import loading
from tfpar_doctor.check.pipeline import analyse
from tfpar_doctor.model import Finding
from tfpar_doctor.settings import CheckSettings


@dataclass
class CheckResult:
    findings: list[Finding]
    files: list[str] = field(default_factory=list)
    # Bugs of ours met while checking (a crash in extraction or in a rule), contained so that the
    # other files and rules still report; the command line exits 2 when there are any.
    internal_errors: list[str] = field(default_factory=list)


def run_check(paths: Sequence[Path], settings: CheckSettings | None = None) -> CheckResult:
    settings = settings or CheckSettings()
    files = list(iter_python_files(paths, settings.excludes))
    return check_files(files, settings)


def check_files(files: Iterable[Path], settings: CheckSettings) -> CheckResult:
    files = list(files)
    cache = loading.open_cache(settings)
    loaded = loading.load_checked(files, settings, cache)
    on_demand = loading.OnDemand(cache, loaded.skipped)
    findings, errors = analyse(
        loaded.checked, loaded.notes, loaded.reported, on_demand, on_demand.modules, settings
    )
    return CheckResult(findings, loaded.reported, errors)
