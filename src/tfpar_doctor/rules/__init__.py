"""The rule registry: every `tfpNNN_<name>.py` module in this package exports one RULE.

Adding a rule means adding one module; the registry finds it. Order is by code, so output and
documentation are stable.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from tfpar_doctor.rules.base import PythonBody, Rule

_RULE_MODULE = re.compile(r"tfp\d{3}_[a-z0-9_]+")


def _discover() -> tuple[Rule, ...]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if _RULE_MODULE.fullmatch(m.name))
    return tuple(importlib.import_module(f"{__name__}.{name}").RULE for name in names)


ALL_RULES: tuple[Rule, ...] = _discover()
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}


def python_body_of(code: str) -> PythonBody | None:
    """What a finding of rule `code` names in its `function`: a per-element Python body, or None."""
    rule = RULES_BY_CODE.get(code)
    return rule.python_body if rule is not None else None
