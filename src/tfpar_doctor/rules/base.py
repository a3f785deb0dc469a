"""What a rule is: a code, a name, its documentation, and a pure function of the analysed project."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from tfpar_doctor.analysis.prefilter import SiteNeeds
from tfpar_doctor.model import Finding, Location, Severity
from tfpar_doctor.rules.context import Context


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """The sections every rule documents (ruff's headings); rendered by `rule`, SARIF and reports."""

    what: str
    why: str
    example: str
    use_instead: str
    fix_safety: str
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    doc: RuleDoc
    check: Callable[[Context], Iterable[Finding]]
    enabled_by_default: bool = True
    # The sites the rule reports at or reads, declared here so that the prefilter keeps a file for the
    # selected rules only (analysis/prefilter.py); the default, every dataset method, is never wrong.
    needs: SiteNeeds = SiteNeeds()


def finding(rule: Rule, message: str, location: Location, **extra: Any) -> Finding:
    """A Finding for this rule; `extra` fills the optional fields of `Finding`."""
    return Finding(code=rule.code, name=rule.name, message=message, location=location,
                   severity=rule.severity, **extra)


def display(path: str, line: int) -> str:
    return f"{path}:{line}"
