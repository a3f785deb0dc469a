"""Naming a hang: is a stalled pipeline the TFP201 hang (a per-element Python callback inside a call back
into TensorFlow's runtime)?

When the probe's supervisor sees no progress for `--stall-timeout` seconds, it asks the child for the
Python stacks of all its threads before killing it: the child armed `faulthandler` on SIGUSR1 (`arm`),
which writes them to its log from C, without needing the GIL or any lock a deadlocked thread may hold.
`diagnose` reads that dump. A thread is in the TFP201 shape when, from the oldest frame up, it has
TensorFlow's Python-callback dispatcher (`script_ops.py`: py_function, numpy_function, py_func; or
`from_generator`'s generator state), then a frame of the user's code (the callback body), then a frame of
TensorFlow or Keras again (a tf.function, a model call, `predict`, a dataset iterator): each such call
needs inter-op threads while it holds a tf.data pool thread (TensorFlow issues 32454, 34659).
"""

from __future__ import annotations

import faulthandler
import os
import re
import signal
import time
from dataclasses import dataclass

DUMP_SIGNAL = signal.SIGUSR1
# Frames of TensorFlow's per-element Python dispatch: the callback body runs right above them. Any frame
# of script_ops (py_function, numpy_function, py_func); of the generator machinery of `from_generator`
# only its per-element functions (`generator_py_func`...), not the dataset building around them.
_SCRIPT_OPS = "/tensorflow/python/ops/script_ops.py"
_GENERATOR_FILES = (
    "/tensorflow/python/data/ops/from_generator_op.py",
    "/tensorflow/python/data/ops/dataset_ops.py",
)
# Frames that are TensorFlow's (or Keras's) runtime, not the user's code.
_RUNTIME = ("/tensorflow/", "/keras/", "/tf_keras/", "/tensorflow_hub/")
# Runtime frames that only wrap the call the user made (error handlers, dispatch, decorators).
_WRAPPERS = ("/tensorflow/python/util/", "/keras/src/utils/traceback_utils.py", "/keras/src/ops/operation.py")
_FRAME = re.compile(r'^\s+File "(?P<path>[^"]+)", line (?P<line>\d+) in (?P<name>\S+)')
_THREAD = re.compile(r"^(?:Current thread|Thread) 0x[0-9a-f]+")


@dataclass(frozen=True, slots=True)
class Frame:
    path: str
    line: int
    name: str

    @property
    def runtime(self) -> bool:
        return any(part in self.path.replace(os.sep, "/") for part in _RUNTIME)

    @property
    def dispatch(self) -> bool:
        path = self.path.replace(os.sep, "/")
        return path.endswith(_SCRIPT_OPS) or (path.endswith(_GENERATOR_FILES) and "generator" in self.name)


@dataclass(frozen=True, slots=True)
class CallbackInTensorFlow:
    """One thread caught in the TFP201 shape."""

    callback: Frame  # the innermost frame of the user's callback body
    runtime: Frame  # the TensorFlow/Keras frame it is inside

    def describe(self) -> str:
        return (f"the per-element Python function `{self.callback.name}` "
                f"({self.callback.path}:{self.callback.line}) is inside a TensorFlow call "
                f"(`{self.runtime.name}` in {_short(self.runtime.path)})")


def arm() -> None:
    """In the probe's child: dump every thread's stack to stderr (the child's log) on DUMP_SIGNAL."""
    faulthandler.register(DUMP_SIGNAL, all_threads=True, chain=False)


def threads(dump: str) -> list[list[Frame]]:
    """The stacks of a faulthandler dump, each oldest frame first."""
    stacks: list[list[Frame]] = []
    current: list[Frame] | None = None
    for line in dump.splitlines():
        if _THREAD.match(line):
            current = []
            stacks.append(current)
            continue
        match = _FRAME.match(line)
        if match and current is not None:
            current.append(Frame(match["path"], int(match["line"]), match["name"]))
    return [list(reversed(stack)) for stack in stacks]


def diagnose(dump: str) -> list[CallbackInTensorFlow]:
    """The threads of `dump` whose per-element Python callback is inside a TensorFlow call."""
    found: list[CallbackInTensorFlow] = []
    for stack in threads(dump):
        hit = _callback_in_runtime(stack)
        if hit is not None:
            found.append(hit)
    return found


def _callback_in_runtime(stack: list[Frame]) -> CallbackInTensorFlow | None:
    """Oldest first: a dispatch frame, then user frames, then a runtime frame."""
    dispatched = False
    callback: Frame | None = None
    for position, frame in enumerate(stack):
        if frame.dispatch:
            dispatched, callback = True, None
        elif not dispatched:
            continue
        elif not frame.runtime:
            callback = frame
        elif callback is not None:
            return CallbackInTensorFlow(callback, _named_call(stack[position:]))
    return None


def _named_call(frames: list[Frame]) -> Frame:
    """The call the user made, past the decorators and dispatchers TensorFlow wraps around it
    (`traceback_utils.error_handler`, `dispatch`): `__call__` of a tf.function, `predict` of a model."""
    for frame in frames:
        if not frame.runtime:
            break
        if not any(part in frame.path.replace(os.sep, "/") for part in _WRAPPERS):
            return frame
    return frames[0]


def message(found: list[CallbackInTensorFlow]) -> str:
    """The sentence the probe's hang error adds when `diagnose` found something."""
    first = found[0]
    more = f" ({len(found)} threads like it)" if len(found) > 1 else ""
    return (f"this is the TFP201 hang: {first.describe()}{more}. A call back into TensorFlow from a "
            "per-element Python callback needs inter-op threads while it holds a tf.data pool thread; with "
            "parallel calls in flight the pools wait on each other (TensorFlow issues 32454, 34659). Move "
            "the call out of the callback (`tfpar-doctor rule TFP201`)")


def name_hang(pid: int, log_path: str, wait: float = 1.0) -> str | None:
    """In the supervisor, before killing a stalled child: ask it for its stacks and name the hang."""
    try:
        before = os.path.getsize(log_path)
        os.kill(pid, DUMP_SIGNAL)
    except OSError:
        return None
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(0.1)
    try:
        with open(log_path, encoding="utf-8", errors="replace") as fh:
            fh.seek(before)
            dump = fh.read()
    except OSError:
        return None
    found = diagnose(dump)
    return message(found) if found else None


def _short(path: str) -> str:
    normal = path.replace(os.sep, "/")
    for root in ("tensorflow/", "keras/", "tf_keras/"):
        position = normal.find("/" + root)
        if position != -1:
            return normal[position + 1:]
    return path
