"""Suppression comments: `# noqa`, `# noqa: TFP101, TFP102`, `# tfpar-doctor: noqa[: codes]`.

Comments are found with `tokenize`, so `"# noqa"` inside a string or docstring is text, not a
suppression. Codes of other linters (`# noqa: F401, TFP101`) are kept: they decide nothing here,
but a line-level `# noqa: F401` must not silence tfpar-doctor either.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

from tfpar_doctor.analysis.facts import Suppression
from tfpar_doctor.model import Location

# flake8's grammar: `noqa` then optionally `:` and codes separated by commas or spaces.
_CODE_LIST = r"(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*)"
_NOQA = re.compile(rf"#\s*noqa(?::\s*{_CODE_LIST})?", re.IGNORECASE)
_FILE_NOQA = re.compile(rf"#\s*tfpar-doctor\s*:\s*noqa(?::\s*{_CODE_LIST})?", re.IGNORECASE)
_SPLIT = re.compile(r"[,\s]+")


def _codes(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(dict.fromkeys(code.upper() for code in _SPLIT.split(text.strip()) if code))


@dataclass(slots=True)
class Scan:
    lines: list[Suppression] = field(default_factory=list)
    file: tuple[str, ...] | None = None  # `# tfpar-doctor: noqa[: codes]`: None none, () every code
    file_location: Location | None = None  # the first file-level comment


def scan_suppressions(source: bytes, path: str) -> Scan:
    """The suppression comments of a module's source.

    Never raises: a file that does not tokenize keeps the comments found before the error.
    """
    line_level: list[Suppression] = []
    file_level: tuple[str, ...] | None = None
    file_location: Location | None = None
    try:
        for token in tokenize.tokenize(io.BytesIO(source).readline):
            if token.type != tokenize.COMMENT:
                continue
            text = token.string
            row, col = token.start
            location = Location(path, row, col + 1, row, col + len(text))
            whole = _FILE_NOQA.match(text)
            if whole:
                codes = _codes(whole.group("codes"))
                # Several file-level comments add up; a bare one silences everything.
                if file_level is None:
                    file_level, file_location = codes, location
                elif file_level and codes:
                    file_level = tuple(dict.fromkeys((*file_level, *codes)))
                else:
                    file_level = ()
                continue
            match = _NOQA.search(text)
            if match:
                codes = _codes(match.group("codes"))
                # The location covers the suppression part of the comment only, so TFP901 points at it.
                start = col + match.start()
                line_level.append(
                    Suppression(row, codes, Location(path, row, start + 1, row, col + match.end()))
                )
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, LookupError, ValueError):
        pass
    return Scan(line_level, file_level, file_location)


def file_noqa_location(path: str) -> Location | None:
    """Where a file's `# tfpar-doctor: noqa` comment is (read again: only needed to report it)."""
    try:
        with open(path, "rb") as handle:
            return scan_suppressions(handle.read(), path).file_location
    except OSError:
        return None
