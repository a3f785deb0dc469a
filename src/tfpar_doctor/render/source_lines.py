"""The lines of checked files as renderers quote them, each file read once per run."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


def python_lines(text: str) -> list[str]:
    """Lines as Python (and so every finding's line number) counts them: ended by \\n, \\r\\n or \\r only.

    str.splitlines also splits at form feeds, \\v, \\x1c-\\x1e, \\x85 and \\u2028, which would shift
    every snippet after one of them.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


class SourceLines:
    """`lines(path)`: a file's lines (None when it cannot be read); `given` texts (stdin) win over disk."""

    def __init__(self, given: Mapping[str, str] | None = None) -> None:
        self._cache: dict[str, list[str] | None] = {
            path: python_lines(text) for path, text in (given or {}).items()
        }

    def __call__(self, path: str) -> list[str] | None:
        if path not in self._cache:
            try:
                self._cache[path] = python_lines(Path(path).read_text(encoding="utf-8", errors="replace"))
            except OSError:
                self._cache[path] = None
        return self._cache[path]

    def line(self, path: str, number: int) -> str:
        """One line's text ("" when the file or the line is not there)."""
        lines = self(path)
        return lines[number - 1] if lines is not None and 0 < number <= len(lines) else ""
