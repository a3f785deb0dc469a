"""Resolves the generator behind `Dataset.from_generator(...)` (TFP104, TFP005)."""

from __future__ import annotations

from tfpar_doctor.analysis.facts import FunctionFacts
from tfpar_doctor.analysis.semantics import PythonSummary
from tfpar_doctor.analysis.values import CallResult, FuncRef, Sym
from tfpar_doctor.rules.context import Context, SiteView


def generator_functions(ctx: Context, view: SiteView) -> list[FunctionFacts]:
    """Generator functions that `from_generator`'s argument runs (a lambda around one, a partial...)."""
    index = ctx.index
    if view.site.function is None:
        return []
    found: list[FunctionFacts] = []
    for target in index.targets(view.site.function):
        func = target.function
        if func.is_generator:
            found.append(func)
            continue
        for returned in func.returns:
            for option in index.expand(returned):
                if not isinstance(option, CallResult):
                    continue
                for callee in index.expand(option.callee):
                    if isinstance(callee, Sym) and callee.name in index.classes:
                        member = index.member(callee, "__iter__")
                        if member is not None:
                            found.extend(t.function for t in index.targets(member) if t.function.is_generator)
                for callee_target in _direct(ctx, option):
                    if callee_target.is_generator:
                        found.append(callee_target)
    return list({f.id: f for f in found}.values())


def _direct(ctx: Context, call: CallResult) -> list[FunctionFacts]:
    out: list[FunctionFacts] = []
    for callee in ctx.index.expand(call.callee):
        if isinstance(callee, FuncRef) and callee.id in ctx.index.functions:
            out.append(ctx.index.functions[callee.id])
    return out


def generator_summary(ctx: Context, view: SiteView) -> PythonSummary | None:
    functions = generator_functions(ctx, view)
    return ctx.semantics.python(functions) if functions else None
