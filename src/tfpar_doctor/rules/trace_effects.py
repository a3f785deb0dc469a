"""Shared by TFP001-TFP004: effects found while walking the traced functions of every dataset site."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.model import Finding, Related
from tfpar_doctor.rules.base import Rule, finding
from tfpar_doctor.rules.context import Context


def effect_findings(ctx: Context, rule: Rule, kind: str, advice: str) -> Iterator[Finding]:
    reported: set[tuple[int, int, str]] = set()
    for view in ctx.sites():
        for effect in view.traced.effects:
            if effect.kind != kind:
                continue
            key = (effect.location.line, effect.location.column, effect.location.path)
            if key in reported:
                continue
            reported.add(key)
            site = view.site
            yield finding(
                rule,
                f"`{effect.function.name}` is traced once by `.{site.method}()` "
                f"({site.location.path}:{site.location.line}): {effect.description}",
                effect.location,
                advice=advice,
                call_site=site.location,
                function=f"{effect.function.path}:{effect.function.name}",
                related=(
                    Related(site.location, f"`.{site.method}()` traces `{effect.function.name}` here"),
                    Related(effect.function.location, f"`{effect.function.name}` is defined here"),
                ),
            )
