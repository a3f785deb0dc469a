"""The probe's target in the child process: import `file.py:make_dataset` or `package.module:make_dataset`,
parse `--arg key=value`, and turn what goes wrong into a `ProbeFailure` the parent reports (never a traceback
of ours). Light: no TensorFlow here.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import sys
import traceback
from types import ModuleType
from typing import Any


class ProbeFailure(Exception):
    """A failure to report: kind (see child.py), message, and the user's traceback when their code raised."""

    def __init__(self, kind: str, message: str, tb: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.tb = tb


def user_traceback(exc: BaseException) -> str:
    """The traceback without the probe's own frames."""
    here = os.path.dirname(os.path.abspath(__file__)) + os.sep
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename.startswith((here, "<frozen")):
        tb = tb.tb_next
    lines = traceback.format_exception(type(exc), exc, tb)
    return "".join(lines)


def parse_args(items: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        key, _, raw = item.partition("=")
        try:
            value: Any = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            value = raw
        out[key.strip()] = value
    return out


def _user_raised(what: str, exc: BaseException) -> ProbeFailure:
    return ProbeFailure("user", f"importing {what} raised {type(exc).__name__}: {exc}", user_traceback(exc))


def _import_file(module_part: str) -> ModuleType:
    path = os.path.abspath(module_part)
    if not os.path.isfile(path):
        raise ProbeFailure("target", f"no such file: {module_part}")
    directory = os.path.dirname(path)
    if directory not in sys.path:
        sys.path.insert(0, directory)  # sibling imports work as with `python file.py`
    name = os.path.splitext(os.path.basename(path))[0]
    if not name.isidentifier() or name in sys.modules:
        name = f"_tfpar_target_{abs(hash(path))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ProbeFailure("target", f"cannot import {module_part} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:  # noqa: BLE001
        sys.modules.pop(name, None)
        if isinstance(exc, SyntaxError):
            raise ProbeFailure("user", f"{module_part} does not parse: {exc}", user_traceback(exc)) from None
        raise _user_raised(module_part, exc) from None
    return module


def _import_module(module_part: str) -> ModuleType:
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        return importlib.import_module(module_part)
    except ModuleNotFoundError as exc:
        if exc.name and (module_part == exc.name or module_part.startswith(exc.name + ".")):
            raise ProbeFailure(
                "target",
                f"no module named {module_part!r} (run from the project directory, or give a file path)",
            ) from None
        raise _user_raised(module_part, exc) from None
    except BaseException as exc:  # noqa: BLE001
        raise _user_raised(module_part, exc) from None


def _attribute(module: ModuleType, module_part: str, attr: str) -> Any:
    obj: Any = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            candidates = sorted(
                n
                for n, v in vars(module).items()
                if callable(v) and not n.startswith("_") and getattr(v, "__module__", None) == module.__name__
            )
            hint = f" (callables there: {', '.join(candidates[:8])})" if candidates else ""
            raise ProbeFailure("target", f"{module_part} has no attribute {attr!r}{hint}")
        obj = getattr(obj, part)
    return obj


def load_target(target: str) -> Any:
    """The callable `target` names; raises ProbeFailure with a message for the user."""
    module_part, sep, attr = target.rpartition(":")
    if not sep or not module_part or not attr:
        raise ProbeFailure(
            "target",
            f"target {target!r} must look like path/to/file.py:make_dataset or package.module:make_dataset",
        )
    is_file = module_part.endswith(".py") or os.sep in module_part or "/" in module_part
    module = _import_file(module_part) if is_file else _import_module(module_part)
    obj = _attribute(module, module_part, attr)
    if not callable(obj):
        raise ProbeFailure(
            "target", f"{target} is a {type(obj).__name__}, not a callable returning a tf.data.Dataset"
        )
    return obj
