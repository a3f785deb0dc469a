"""The one registry of `rule` output formats: a name, what it is for, and its emitter.

`tfpar-doctor rule --output-format` offers exactly these names and looks the chosen one up here, as `check`
does in `check_formats.py` and `report` in `report_formats.py`; adding a format means adding one emitter
and one row below. Every emitter receives the same `RuleDocs` and returns the whole text to print,
trailing newline included. The documentation itself is written once per rule and rendered by
`rule_docs.py` (which SARIF and the reports use too); this module only picks and joins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line imports this module at start-up for the names of the formats
    from tfpar_doctor.rules.base import Rule


@dataclass(frozen=True)
class RuleDocs:
    """What every format renders: the rules asked for, in the order asked."""

    rules: Sequence[Rule]
    # `--all` or several codes: JSON prints an array; a single code prints its object alone.
    as_list: bool


@dataclass(frozen=True)
class RuleFormat:
    name: str
    description: str
    emit: Callable[[RuleDocs], str]


def _text(docs: RuleDocs) -> str:
    from tfpar_doctor import rule_docs

    return "\n".join(rule_docs.text(r) for r in docs.rules)


def _markdown(docs: RuleDocs) -> str:
    from tfpar_doctor import rule_docs

    return "\n".join(rule_docs.markdown(r) for r in docs.rules)


def _json(docs: RuleDocs) -> str:
    import json

    from tfpar_doctor import rule_docs

    data = [rule_docs.as_dict(r) for r in docs.rules]
    return json.dumps(data if docs.as_list else data[0], indent=2) + "\n"


RULE_FORMATS: dict[str, RuleFormat] = {
    fmt.name: fmt
    for fmt in (
        RuleFormat("text", "headings underlined, code indented: for the terminal", _text),
        RuleFormat("markdown", "the same sections as Markdown (the text of SARIF help and the reports)",
                   _markdown),
        RuleFormat("json", "one object per rule (an array for --all or several codes)", _json),
    )
}
DEFAULT_FORMAT = "text"


def render(name: str, docs: RuleDocs) -> str:
    """The documentation of `docs.rules` in the format named `name` (a key of RULE_FORMATS)."""
    return RULE_FORMATS[name].emit(docs)
