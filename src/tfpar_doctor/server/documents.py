"""Checking one open document as `check` would check its file: the configuration found from the file's
directory, cross-module names resolved from disk, the facts cache at the project root, and the editor's
unsaved text in place of the file's bytes."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tfpar_doctor.model import Finding


@dataclass
class DocumentCheck:
    """A document's findings (those located in it) and the run's internal errors."""

    path: Path
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def same_file(reported: str, path: Path) -> bool:
    return os.path.abspath(reported) == os.path.abspath(path)


def check_document(path: Path, text: str, use_cache: bool = True) -> DocumentCheck:
    """The findings of `path` with `text` as its content. A configuration error is an internal error of
    the run (shown to the user as a message, not as diagnostics)."""
    from tfpar_doctor.check import check_files
    from tfpar_doctor.config import ConfigError, resolve_settings
    from tfpar_doctor.settings import Layer, cache_dir_for

    try:
        settings = resolve_settings(Layer(), [path.parent], force_exclude=True)
    except ConfigError as exc:
        return DocumentCheck(path, errors=[str(exc)])
    if settings.excludes is not None and settings.excludes.excluded(path, False):
        return DocumentCheck(path)  # excluded in the configuration: as `check --force-exclude` does
    settings.cache_dir = cache_dir_for(settings.project_root) if use_cache else None
    settings.jobs = 1  # one document: a pool would only cost start-up time
    settings.sources[path] = text.encode("utf-8", errors="surrogateescape")
    result = check_files([path], settings)
    found = [f for f in result.findings if same_file(f.location.path, path)]
    return DocumentCheck(path, found, list(result.internal_errors))
