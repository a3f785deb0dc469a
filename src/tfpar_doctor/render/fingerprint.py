"""Identities of findings that survive moved code (SARIF's partialFingerprints, GitLab's fingerprint).

A finding is known by its rule, its file (as the CI system names it), the text of the reported line with
whitespace collapsed, and its occurrence number among findings with the same three: not by its line
number, so an alert keeps its identity when code above it moves.
"""

from __future__ import annotations

import hashlib


class Fingerprints:
    """`next(code, uri, line_text)`: the fingerprint of the next finding, numbering repeats."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def next(self, code: str, uri: str, line_text: str) -> str:
        base = f"{code}\0{uri}\0{' '.join(line_text.split())}"
        occurrence = self._seen.get(base, 0)
        self._seen[base] = occurrence + 1
        return hashlib.sha256(base.encode("utf-8")).hexdigest()[:32] + f":{occurrence}"
