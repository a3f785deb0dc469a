"""The check pipeline, in two halves:

- loading (`loading.py`, `prefilter_steps.py`, `files.py`): which files, their bytes (`sources.py`), the
  prefilter, the facts cache and the process pool; the result is plain `ModuleFacts`;
- the pure pipeline (`pipeline.py`): facts -> each file's import scope -> rules -> suppressions -> findings.

`run.py` joins them; the commands (`check_command.py`, `report.py`, the language server) call the names
below. Settings come from `tfpar_doctor.settings`.
"""

from __future__ import annotations

from tfpar_doctor.check.files import (
    INTERNAL_ERROR,
    MAX_FILE_BYTES,
    UnreadableFile,
    describe_exception,
    display_path,
    read_source,
)
from tfpar_doctor.check.loading import gather_facts, load_cached, load_facts
from tfpar_doctor.check.run import CheckResult, check_files, run_check
from tfpar_doctor.settings import CheckSettings

__all__ = [
    "INTERNAL_ERROR",
    "MAX_FILE_BYTES",
    "CheckResult",
    "CheckSettings",
    "UnreadableFile",
    "check_files",
    "describe_exception",
    "display_path",
    "gather_facts",
    "load_cached",
    "load_facts",
    "read_source",
    "run_check",
]
