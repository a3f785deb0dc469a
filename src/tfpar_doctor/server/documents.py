"""Checking open documents as `check` would check their files: the configuration found from the files'
directory, imports resolved from disk the way `check` resolves them, the facts cache at the project root,
and the editor's unsaved text in place of each open file's bytes.

The open documents of one project are checked together, so that a finding that lies in one file but is
caused by another (a helper traced by a map elsewhere) is published in the file where it lies, as `check`
reports it, as soon as both are open.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tfpar_doctor.model import Finding


@dataclass
class DocumentChecks:
    """Findings by open document (every document checked gets an entry, maybe empty), and the run's
    internal or configuration errors."""

    findings: dict[Path, list[Finding]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def check_documents(path: Path, open_documents: Mapping[Path, str], use_cache: bool = True) -> DocumentChecks:
    """The findings of `path` and of the other open documents of its project (`open_documents` holds the
    texts of all open documents, `path`'s among them). A configuration error is reported as an error of
    the run (shown to the user as a message, not as diagnostics)."""
    from tfpar_doctor.check import check_files
    from tfpar_doctor.config import ConfigError, resolve_settings
    from tfpar_doctor.settings import Layer, cache_dir_for

    try:
        settings = resolve_settings(Layer(), [path.parent], force_exclude=True)
    except ConfigError as exc:
        return DocumentChecks({path: []}, [str(exc)])
    root = settings.project_root or Path.cwd()
    together = [
        other for other in open_documents
        if other == path or _below(other, root) and _same_root(other, root)
    ]
    excludes = settings.excludes
    checked = [p for p in together if excludes is None or not excludes.excluded(p, False)]
    out = DocumentChecks({p: [] for p in together})
    if not checked:
        return out  # excluded in the configuration: as `check --force-exclude` does
    settings.cache_dir = cache_dir_for(settings.project_root) if use_cache else None
    settings.jobs = 1  # a few documents: a pool would only cost start-up time
    for p in checked:
        settings.sources[p] = open_documents[p].encode("utf-8", errors="surrogateescape")
    result = check_files(checked, settings)
    by_path = {os.path.abspath(p): p for p in together}
    for found in result.findings:
        document = by_path.get(os.path.abspath(found.location.path))
        if document is not None:
            out.findings[document].append(found)
    out.errors.extend(result.internal_errors)
    return out


def _below(path: Path, root: Path) -> bool:
    return os.path.abspath(path).startswith(os.path.join(os.path.abspath(root), ""))


def _same_root(path: Path, root: Path) -> bool:
    """Whether `path` belongs to the project at `root` (its own configuration is not a nested one)."""
    from tfpar_doctor.config import ConfigError, project_root

    try:
        return project_root(path.parent) == Path(os.path.abspath(root)).resolve()
    except ConfigError:
        return False
