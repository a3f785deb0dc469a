"""What a report holds, per call site: the code, the findings, the probe's measurements and the advice.

Built by `tfpar_doctor.report`, read by every report renderer (HTML, Markdown, JSON): plain dataclasses,
so that the renderers depend on this data and never on the pipeline that builds it.
"""

from __future__ import annotations

import enum
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from tfpar_doctor.advice.model import Advice
from tfpar_doctor.advice.rewrite_measured import not_recommended
from tfpar_doctor.model import Finding, Location, Severity, SiteResult


@dataclass(slots=True)
class Snippet:
    path: str
    start_line: int
    lines: list[str]
    highlight: list[int]  # 1-based line numbers to mark
    caption: str


@dataclass(slots=True)
class ProbeInfo:
    """What a probe run measured on, shown next to every number that came from it."""

    target: str
    machine: str
    cores: int
    tensorflow_version: str
    python_version: str
    calibration_ok: bool | None
    calibration_speedup: float | None
    warnings: list[str]


@dataclass(slots=True)
class SiteSection:
    id: str  # stable anchor: "site-pipeline-py-41"
    location: Location
    title: str  # "pipeline.py:41 `.map(_tokens)`"
    method: str | None
    snippets: list[Snippet]
    findings: list[Finding]
    probe: SiteResult | None = None
    probe_index: int | None = None  # which of Report.probes measured it
    advice: list[Advice] = field(default_factory=list)

    @property
    def recommended(self) -> list[Advice]:
        """The advice the report recommends: all of it but a rewrite the probe measured no faster."""
        return [a for a in self.advice if not not_recommended(a, self.probe)]

    @property
    def not_recommended(self) -> list[Advice]:
        """Advice the probe measured no faster on the user's machine: shown apart, never as advice."""
        return [a for a in self.advice if not_recommended(a, self.probe)]


@dataclass(slots=True)
class Report:
    version: str
    paths: list[str]
    probes: list[ProbeInfo]
    sections: list[SiteSection]
    # Probe results for sites in files outside the checked paths (another tree, a moved file): listed, not
    # merged, since their findings and code were not checked.
    outside: list[str] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for s in self.sections for f in s.findings]

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for found in self.findings:
            out[found.severity.value] += 1
        return out

    def verdicts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for section in self.sections:
            if section.probe is not None:
                out[section.probe.verdict.value] = out.get(section.probe.verdict.value, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return _json_ready({
            "tool": "tfpar-doctor",
            "version": self.version,
            "paths": self.paths,
            "summary": {
                "sites": len(self.sections),
                "findings": len(self.findings),
                "by_severity": self.counts(),
                "verdicts": self.verdicts(),
                "advice": sum(len(s.recommended) for s in self.sections),
            },
            "probes": [asdict(p) for p in self.probes],
            "probe_sites_outside_paths": self.outside,
            "sites": [_section_dict(s) for s in self.sections],
        })


def rate_note(unit: str) -> str | None:
    """What a throughput counts, said once per measured site, when one pipeline element is not one element."""
    if unit == "batches":
        return ("Throughput is in batches/s: the pipeline is batched before it is read, so each element the "
                "probe counts is one batch.")
    return None


def in_unit(text: str, unit: str) -> str:
    """A probe sentence in the site's own unit: the probe writes "el/s", after .batch() it counts batches."""
    return text.replace(" el/s", f" {unit}/s")


def outside_note(outside: list[str]) -> str | None:
    """The probe results left out of the report because their files are not under the checked paths."""
    if not outside:
        return None
    noun = "site" if len(outside) == 1 else "sites"
    return (f"probe results for {len(outside)} {noun} in files outside the checked paths: "
            f"{', '.join(outside)} (not merged into this report: check those files to see them here)")


def _section_dict(section: SiteSection) -> dict[str, Any]:
    return {
        "id": section.id,
        "location": asdict(section.location),
        "title": section.title,
        "method": section.method,
        "snippets": [asdict(s) for s in section.snippets],
        "findings": [f.to_dict() for f in section.findings],
        "probe": asdict(section.probe) if section.probe is not None else None,
        "probe_index": section.probe_index,
        "advice": [a.to_dict() for a in section.recommended],
        "not_recommended": [a.to_dict() for a in section.not_recommended],
    }


def _json_ready(value: Any) -> Any:
    """Enums to their values, tuples to lists, non-finite floats to null (JSON has no NaN)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    return value
