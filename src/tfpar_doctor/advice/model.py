"""What the advisor hands to the renderers: advice tied to one call site."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from tfpar_doctor.model import Location


@dataclass(frozen=True, slots=True)
class Replacement:
    """One Python call in a per-element body and the TensorFlow expression that replaces it."""

    path: str
    line: int
    python: str  # the statement or call as written
    tensorflow: str  # the rewritten statement or expression
    note: str = ""


@dataclass(frozen=True, slots=True)
class Advice:
    """One thing to change at one call site, with the code to write and what it should gain."""

    kind: str  # a key of knowledge.rewrites.ADVICE_TITLES
    title: str
    site: Location  # the dataset call this advice is for
    summary: str  # why, in one or two sentences, with numbers when there are some
    code: str = ""  # a copyable block; empty when the advice is a sentence
    finding_codes: tuple[str, ...] = ()  # the findings that asked for it
    measured_speedup: float | None = None  # from the probe, on the probed machine
    measured: str = ""  # how that number was obtained, in words
    replacements: tuple[Replacement, ...] = ()
    notes: tuple[str, ...] = ()  # what to check, what stays Python, caveats

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
