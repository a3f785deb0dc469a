"""What a rule is: a code, a name, its documentation, and a pure function of the analysed project."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tfpar_doctor.analysis.prefilter import SiteNeeds
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
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


class PythonBody(enum.Enum):
    """What a rule's finding says about the function in its `function` field when that function is the
    per-element Python the advice rewrites or moves to processes. Listed in the order the advisor prefers
    them when several findings at one site name the body: the one that says why processes help first."""

    GIL_HOLDING = "gil-holding"  # a callback doing pure-Python work under parallel calls
    CALLBACK = "callback"  # any function behind py_function / numpy_function / py_func
    WAITING = "waiting"  # a callback that waits on I/O under parallel calls (the thread pool helps it)
    GENERATOR = "generator"  # the generator behind from_generator

    @property
    def is_callback(self) -> bool:
        """A function behind py_function & co: the process-pool rewrite can call it from a worker."""
        return self is not PythonBody.GENERATOR


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
    # The advice kinds the rule's findings ask for: every finding asks for all of them unless the rule names
    # a subset for one finding (tests/test_rule_fixtures.py holds every fixture finding to this list;
    # tests/test_rule_registry.py every kind to an advisor handler).
    advice: tuple[AdviceKind, ...] = ()
    # Set when a finding's `function` is the per-element Python body (None: a traced function, a class...).
    python_body: PythonBody | None = None


def finding(rule: Rule, message: str, location: Location, *,
            advice_kinds: Sequence[AdviceKind] | None = None, **extra: Any) -> Finding:
    """A Finding for this rule, asking for the rule's advice kinds (or the subset `advice_kinds`);
    `extra` fills the other optional fields of `Finding`."""
    kinds = rule.advice if advice_kinds is None else advice_kinds
    return Finding(code=rule.code, name=rule.name, message=message, location=location,
                   severity=rule.severity, advice_kinds=tuple(kind.value for kind in kinds), **extra)


def display(path: str, line: int) -> str:
    return f"{path}:{line}"
