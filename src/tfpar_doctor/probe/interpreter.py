"""The Python that runs the pipeline: a free-threaded build, and whether the GIL is enabled at run time.

On a free-threaded build (PEP 703, `python3.13t`) with the GIL disabled, per-element Python can run on several
cores at once, so the probe never assumes `gil-bound` there: the measurement decides (`SiteMeasurements.
gil_enabled`). A free-threaded build can still run with the GIL (`PYTHON_GIL=1`, or an extension module that
is not marked free-threading safe re-enables it at import): hence the run-time check, after the pipeline's
imports.
"""

from __future__ import annotations

import platform
import sys
import sysconfig
from typing import Any


def describe() -> dict[str, Any]:
    """`{"implementation", "version", "free_threaded_build", "gil_enabled"}` of the running interpreter."""
    free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    is_enabled = getattr(sys, "_is_gil_enabled", None)  # Python 3.13+
    gil_enabled = bool(is_enabled()) if callable(is_enabled) else True
    return {
        "implementation": platform.python_implementation(),
        "version": platform.python_version(),
        "free_threaded_build": free_threaded,
        "gil_enabled": gil_enabled,
    }


def summary(info: dict[str, Any]) -> str:
    """One line for the terminal: "CPython 3.11.7 (GIL)" or "CPython 3.13.1 free-threaded, GIL disabled"."""
    if not info:
        return ""
    head = f"{info.get('implementation', 'Python')} {info.get('version', '')}".strip()
    if not info.get("free_threaded_build"):
        return f"{head} (with the GIL)"
    state = "enabled at run time" if info.get("gil_enabled", True) else "disabled"
    return f"{head} free-threaded build, GIL {state}"
