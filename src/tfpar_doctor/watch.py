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


def _round(request: CheckRequest) -> CheckSettings | None:
    """One check, screen cleared first; the settings it ran with (None when the configuration is bad)."""
    if sys.stdout.isatty():
        sys.stdout.write(CLEAR_SCREEN)
    note(f"[{time.strftime('%H:%M:%S')}] Checking {' '.join(map(str, request.targets))}")
    try:
        settings = settings_for(request)
        run_once(request, settings)
    except UsageError as exc:
        note(f"tfpar-doctor: error: {exc}")
        return None
    sys.stdout.flush()
    return settings


def watch(request: CheckRequest, settings: CheckSettings, poll: float = POLL_SECONDS) -> int:
    del settings  # each round resolves the configuration again: it may be what changed
    try:
        while True:
            current = _round(request)
            note("Watching for file changes (Ctrl-C to stop).")
            before = snapshot(request, current)
            while snapshot(request, current) == before:
                time.sleep(poll)
    except KeyboardInterrupt:
        note("Stopped watching.")
        return 0
