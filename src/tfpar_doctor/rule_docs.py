"""A rule's documentation, written once in its module (`RuleDoc`) and rendered for every reader:
`tfpar-doctor rule` (terminal text, JSON), SARIF `help`, and the reports (Markdown)."""

from __future__ import annotations

from typing import Any

from tfpar_doctor.rules.base import Rule

# The headings users know from ruff, in order; `example`/`use_instead` are code.
SECTIONS: tuple[tuple[str, str, bool], ...] = (
    ("what", "What it does", False),
    ("why", "Why is this bad?", False),
    ("example", "Example", True),
    ("use_instead", "Use instead", True),
    ("fix_safety", "Fix safety", False),
)


def _default_state(rule: Rule) -> str:
    if rule.enabled_by_default:
        return "on by default"
    return f"off by default (enable with --select {rule.code})"


def markdown(rule: Rule) -> str:
    header = f"{rule.summary}. Severity: {rule.severity.value}; {_default_state(rule)}."
    parts = [f"# {rule.name} ({rule.code})", "", header, ""]
    for attribute, heading, is_code in SECTIONS:
        text = getattr(rule.doc, attribute)
        parts.append(f"## {heading}")
        parts.extend(("```python", text, "```") if is_code else (text,))
        parts.append("")
    parts.append("## References")
    parts.extend(f"- {ref}" for ref in rule.doc.references)
    return "\n".join(parts) + "\n"


def text(rule: Rule) -> str:
    """Plain text for the terminal: headings underlined, code indented by four spaces."""
    parts = [f"{rule.code} {rule.name}", "=" * len(f"{rule.code} {rule.name}"),
             f"{rule.summary}. Severity: {rule.severity.value}; {_default_state(rule)}.", ""]
    for attribute, heading, is_code in SECTIONS:
        body = getattr(rule.doc, attribute)
        parts.extend((heading, "-" * len(heading)))
        indented = "\n".join("    " + line if line else "" for line in body.splitlines())
        parts.append(indented if is_code else body)
        parts.append("")
    parts.extend(("References", "-" * len("References")))
    parts.extend(f"- {ref}" for ref in rule.doc.references)
    return "\n".join(parts) + "\n"


def as_dict(rule: Rule) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "summary": rule.summary,
        "severity": rule.severity.value,
        "enabled_by_default": rule.enabled_by_default,
        "what": rule.doc.what,
        "why": rule.doc.why,
        "example": rule.doc.example,
        "use_instead": rule.doc.use_instead,
        "fix_safety": rule.doc.fix_safety,
        "references": list(rule.doc.references),
        "markdown": markdown(rule),
    }
