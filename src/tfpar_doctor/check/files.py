"""Reading checked files and naming them, as every later step of `check` needs them."""

from __future__ import annotations

import os
import stat
import traceback
from pathlib import Path


def display_path(path: Path) -> str:
    """Paths as users typed them: relative to the working directory when below it.

    The same answers as `os.path.relpath`, without its two `abspath` calls per path where the answer is
    plain (a run shows thousands of paths)."""
    text = os.fspath(path)
    if os.path.isabs(text):
        cwd = os.getcwd()
        if cwd != os.sep:
            norm = os.path.normpath(text)
            if norm == cwd:
                return "."
            prefix = cwd + os.sep
            return norm[len(prefix):] if norm.startswith(prefix) else text
    elif not text.startswith("..") and os.sep + "." not in text and not text.startswith("." + os.sep):
        return text
    try:
        relative = os.path.relpath(text)
    except ValueError:
        return text
    return text if relative.startswith("..") else relative


# Files above this size are almost always generated (protobuf modules, data tables) and hold no
# pipeline; libcst needs roughly a minute per megabyte on a busy machine, so larger files become a
# TFP900 finding instead of stalling pre-commit. README.md "Limits" documents it.
MAX_FILE_BYTES = 1_000_000
# The start of the TFP900 message for a crash of ours while analysing a file.
INTERNAL_ERROR = "internal error while analysing this file"


class UnreadableFile(Exception):
    """A file that is there but cannot be analysed; the message is shown to the user."""


def read_source(path: Path) -> bytes:
    """The bytes of a regular file no larger than MAX_FILE_BYTES; OSError or UnreadableFile otherwise."""
    # O_NONBLOCK: opening a FIFO that happens to be named `*.py` must not wait for a writer forever.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(path, flags), "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("not a regular file")
        source = handle.read(MAX_FILE_BYTES + 1)
    if len(source) > MAX_FILE_BYTES:
        raise UnreadableFile(_too_large(max(len(source), info.st_size)))
    return source


def _too_large(size: int) -> str:
    return f"file too large to analyse ({size} bytes > {MAX_FILE_BYTES} bytes)"


def describe_exception(exc: BaseException) -> str:
    """`KeyError: 'x' (extract.py:123)`: enough for a bug report, without a traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


def read_or_none(path: Path) -> bytes | None:
    try:
        return read_source(path)
    except (OSError, UnreadableFile):
        return None  # load_facts reads it again and says what is wrong (TFP900)
