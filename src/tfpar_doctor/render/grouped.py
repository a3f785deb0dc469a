"""`grouped` output: findings under a heading per file, as ruff's `grouped` format prints them."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from tfpar_doctor.model import Applicability, Finding


def _mark(f: Finding) -> str:
    if f.fix is None:
        return ""
    return "[*] " if f.fix.applicability is Applicability.SAFE else "[-] "


def render_grouped(findings: Sequence[Finding]) -> str:
    """`path:` then `  line:column CODE [*] message` per finding, positions aligned, a blank line after."""
    out: list[str] = []
    for path, group in groupby(sorted(findings, key=Finding.sort_key), key=lambda f: f.location.path):
        found = list(group)
        width = max(len(f"{f.location.line}:{f.location.column}") for f in found)
        out.append(f"{path}:")
        for f in found:
            position = f"{f.location.line}:{f.location.column}"
            out.append(f"  {position:<{width}} {f.code} {_mark(f)}{f.message}")
        out.append("")
    return "\n".join(out) + ("\n" if out else "")
