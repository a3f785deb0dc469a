"""Walks a dataset value upstream through the transformations that produced it."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.analysis.values import Attr, CallResult, FuncRef, Value
from tfpar_doctor.knowledge.tfdata import DATASET_METHODS as _DATASET_METHODS
from tfpar_doctor.rules.context import Context, SiteView

_MAX_STEPS = 64


def upstream(ctx: Context, value: Value | None) -> Iterator[SiteView]:
    """The dataset sites that feed `value`, nearest first (through variables and helper returns)."""
    if value is None:
        return
    by_id = {view.site.id: view for view in ctx.dataset_sites}
    stack: list[tuple[Value, int]] = [(value, 0)]
    seen: set[Value] = set()
    steps = 0
    while stack and steps < _MAX_STEPS:
        current, depth = stack.pop()
        steps += 1
        if current in seen or depth > 24:
            continue
        seen.add(current)
        for option in ctx.index.expand(current):
            if not isinstance(option, CallResult):
                continue
            view = by_id.get(option.site) if option.site else None
            if view is not None:
                yield view
                if view.site.receiver is not None:
                    stack.append((view.site.receiver, depth + 1))
                if view.site.method in ("zip", "concatenate", "sample_from_datasets", "choose_from_datasets"):
                    stack.extend((a, depth + 1) for a in view.site.args)
                continue
            if isinstance(option.callee, Attr) and option.callee.name in _DATASET_METHODS:
                # A transformation that is not a recorded site (filtered out): keep walking up.
                stack.append((option.callee.base, depth + 1))
                continue
            for returned in _returns_of(ctx, option):
                stack.append((returned, depth + 1))


def _returns_of(ctx: Context, call: CallResult) -> list[Value]:
    out: list[Value] = []
    for callee in ctx.index.expand(call.callee):
        if isinstance(callee, FuncRef) and callee.id in ctx.index.functions:
            out.extend(ctx.index.functions[callee.id].returns)
    return out
