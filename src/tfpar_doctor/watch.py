"""`check --watch`: check, then check again whenever a checked file or the configuration changes.

Changes are found by polling stat signatures (mtime, size) of the discovered files and the configuration,
twice a second: no file-watching dependency, and the same answer on every platform. Each round re-reads
the configuration and runs with the warm facts cache, so only edited files are parsed again. Ctrl-C ends
the watch with exit code 0.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

from tfpar_doctor.check_command import CheckRequest, UsageError, note, run_once, settings_for
from tfpar_doctor.settings import CheckSettings

POLL_SECONDS = 0.5
CLEAR_SCREEN = "\x1b[2J\x1b[3J\x1b[H"

Snapshot = dict[str, tuple[int, int]]


def snapshot(request: CheckRequest, settings: CheckSettings | None) -> Snapshot:
    """Stat signatures of what a round depends on: the checked files and the configuration files."""
    from tfpar_doctor.analysis.discover import iter_python_files

    paths: list[Path] = []
    # A directory removed while walking: the next poll sees the tree as it is.
    with contextlib.suppress(OSError):
        paths.extend(iter_python_files(request.targets, settings.excludes if settings else None))
    root = settings.project_root if settings and settings.project_root else Path.cwd()
    paths.extend((root / "pyproject.toml", *(p / ".gitignore" for p in (root, Path.cwd()))))
    if request.config is not None:
        paths.append(request.config)
    signatures: Snapshot = {}
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            continue
        signatures[os.path.abspath(path)] = (info.st_mtime_ns, info.st_size)
    return signatures


def _settings(request: CheckRequest) -> CheckSettings | None:
    """The configuration as it is now; None (with the message printed) when it is broken."""
    try:
        return settings_for(request)
    except UsageError as exc:
        note(f"tfpar-doctor: error: {exc}")
        return None


def _round(request: CheckRequest, settings: CheckSettings) -> None:
    """One check, screen cleared first."""
    if sys.stdout.isatty():
        sys.stdout.write(CLEAR_SCREEN)
    note(f"[{time.strftime('%H:%M:%S')}] Checking {' '.join(map(str, request.targets))}")
    try:
        run_once(request, settings)
    except UsageError as exc:  # e.g. a file that cannot be written by --fix
        note(f"tfpar-doctor: error: {exc}")
    sys.stdout.flush()


def watch(request: CheckRequest, settings: CheckSettings, poll: float = POLL_SECONDS) -> int:
    """Check, then again after every change, until Ctrl-C. The snapshot is taken before each check, so
    an edit made while it runs starts the next one."""
    current: CheckSettings | None = settings
    try:
        while True:
            before = snapshot(request, current)
            if current is not None:
                _round(request, current)
            note("Watching for file changes (Ctrl-C to stop).")
            while snapshot(request, current) == before:
                time.sleep(poll)
            current = _settings(request)  # the configuration may be what changed
    except KeyboardInterrupt:
        note("Stopped watching.")
        return 0
