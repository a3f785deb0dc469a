"""What a `check` run is told: the settings of one layer (config file or command line) and of the run.

Plain data with no behaviour, imported by `config` (which builds them), `selection` (which reads the
layers) and `check` (which runs with them); it imports none of those, so they form no cycle.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tfpar_doctor.analysis.discover import Excludes
    from tfpar_doctor.rules.base import Rule
    from tfpar_doctor.selection import PerFileIgnores

CACHE_DIR_NAME = ".tfpar_doctor_cache"
CACHE_DIR_ENV = "TFPAR_DOCTOR_CACHE_DIR"


@dataclass(frozen=True, slots=True)
class Layer:
    """One source of settings (the config file or the command line); None means "not given here"."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)  # RuleOption.attribute -> value


def default_rules() -> tuple[Rule, ...]:
    # Imported when settings are made, not when this module is: the command line imports it at start-up
    # for the cache's names, and loading every rule costs a fifth of a second.
    from tfpar_doctor.rules import ALL_RULES

    return tuple(r for r in ALL_RULES if r.enabled_by_default)


@dataclass
class CheckSettings:
    rules: tuple[Rule, ...] = field(default_factory=default_rules)
    loop_threshold: int = 32
    target_python: tuple[int, int] | None = None  # TFP202: None is below 3.14 (fork by default)
    per_file_ignores: PerFileIgnores | None = None
    excludes: Excludes | None = None
    # File contents given directly instead of read from disk: `check - --stdin-filename PATH`.
    sources: dict[Path, bytes] = field(default_factory=dict)
    # Speed (issue 4); none of these changes a finding. jobs: worker processes (None: one per core);
    # cache_dir: where per-file facts are kept (None: no cache); prefilter: skip files that cannot hold
    # a finding before parsing them (analysis/prefilter.py says why that is safe).
    jobs: int | None = None
    cache_dir: Path | None = None
    prefilter: bool = True
    # The project root: the directory of the configuration file, else the working directory. The cache
    # lives here by default, so that checking the project from another directory reuses it.
    project_root: Path | None = None


def cache_dir_for(project_root: Path | None, override: Path | None = None) -> Path:
    """Where the facts cache lives: `--cache-dir`, else $TFPAR_DOCTOR_CACHE_DIR, else the project root
    (as ruff keeps `.ruff_cache` next to its configuration), else the working directory."""
    if override is not None:
        return override
    from_env = os.environ.get(CACHE_DIR_ENV)
    if from_env:
        return Path(from_env)
    return (project_root or Path.cwd()) / CACHE_DIR_NAME
