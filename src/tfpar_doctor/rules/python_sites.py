"""Shared by TFP101-TFP103 and TFP105: dataset sites whose function runs per-element Python."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypedDict

from tfpar_doctor.analysis.semantics import Callback, PythonSummary
from tfpar_doctor.analysis.values import CallResult, Const, FuncRef
from tfpar_doctor.knowledge import tfdata
from tfpar_doctor.model import BodyClass, Classification, Location, Related
from tfpar_doctor.rules.context import Context, SiteView
from tfpar_doctor.rules.lineage import upstream

MAP_LIKE = (*tfdata.PER_ELEMENT_TRANSFORMS, "map_and_batch", "parallel_interleave")


class FindingContext(TypedDict):
    """The Finding fields every per-element-Python site rule fills the same way."""

    call_site: Location
    function: str | None
    related: tuple[Related, ...]
    classification: Classification | None


@dataclass(slots=True)
class PythonSite:
    view: SiteView
    callbacks: list[Callback]

    @property
    def summary(self) -> PythonSummary | None:
        summaries = [c.summary for c in self.callbacks if c.summary is not None]
        if len(summaries) != len(self.callbacks) or not summaries:
            return None
        kinds = {s.kind for s in summaries}
        if len(kinds) != 1:
            return None
        return summaries[0]

    @property
    def kind(self) -> BodyClass:
        summary = self.summary
        return summary.kind if summary is not None else BodyClass.UNKNOWN

    @property
    def function_names(self) -> str:
        names = [f.name for c in self.callbacks for f in c.functions]
        names += [c.library.replace("numpy.", "np.") for c in self.callbacks if c.library]
        return ", ".join(f"`{n}`" for n in dict.fromkeys(names)) or "a Python function (not resolved)"

    def where(self) -> str:
        cb = self.callbacks[0]
        return f"{cb.wrapper} at {cb.location.path}:{cb.location.line}"

    def related(self) -> tuple[Related, ...]:
        out: list[Related] = []
        for cb in self.callbacks:
            out.append(Related(cb.location, f"{cb.wrapper} runs Python per element here"))
            for func in cb.functions:
                out.append(Related(func.location, f"`{func.name}` is the per-element Python function"))
            if cb.summary is not None:
                for evidence in cb.summary.evidence[:2]:
                    if evidence.location is not None:
                        out.append(Related(evidence.location, evidence.description))
        return tuple(dict.fromkeys(out))

    def evidence_text(self) -> str:
        summary = self.summary
        if summary is None or not summary.evidence:
            return ""
        first = summary.evidence[0]
        line = f" (line {first.location.line})" if first.location else ""
        return f"{first.description}{line}"

    def requested(self) -> str:
        """num_parallel_calls as the map asks for it: "AUTOTUNE" or the number."""
        _, value = self.view.parallelism
        return "AUTOTUNE" if value == -1 else str(value)

    def finding_context(self) -> FindingContext:
        summary = self.summary
        return {
            "call_site": self.view.site.location,
            "function": self.function_id(),
            "related": self.related(),
            "classification": summary.classification() if summary else None,
        }

    def function_id(self) -> str | None:
        for cb in self.callbacks:
            for func in cb.functions:
                return f"{func.path}:{func.name}"
        return None


def python_sites(ctx: Context) -> Iterator[PythonSite]:
    for view in ctx.sites(*MAP_LIKE):
        callbacks = view.traced.callbacks
        if callbacks:
            yield PythonSite(view, callbacks)


def threadpool_lifted(ctx: Context, view: SiteView) -> bool:
    """`private_threadpool_size` or `use_unbounded_threadpool=True` applies to this site's pipeline."""
    unbounded = dict(view.site.kwargs).get(tfdata.UNBOUNDED_THREADPOOL_KEYWORD)
    if unbounded is not None and not (isinstance(unbounded, Const) and unbounded.value in (False, None)):
        return True
    return pipeline_sets(ctx, view, tfdata.PRIVATE_THREADPOOL)


def pipeline_sets(ctx: Context, view: SiteView, setting: str) -> bool:
    """A tf.data.Options setting applies to this site's pipeline.

    The pipeline is the function that builds it, and any `with_options(...)` downstream of the site
    whose options are set where that call is made or by a helper that returns them.
    """
    site = view.site
    if _sets(ctx, site.scope, setting):
        return True
    for other in ctx.sites("with_options"):
        if not any(up.site.id == site.id for up in upstream(ctx, other.site.receiver)):
            continue
        if _sets(ctx, other.site.scope, setting):
            return True
        for arg in other.site.args[:1]:
            for option in ctx.index.expand(arg):
                if isinstance(option, CallResult) and any(
                    _sets(ctx, c.id, setting)
                    for c in ctx.index.expand(option.callee)
                    if isinstance(c, FuncRef)
                ):
                    return True  # options built by a helper: `with_options(make_options())`
    return False


def _sets(ctx: Context, function_id: str, setting: str) -> bool:
    func = ctx.index.functions.get(function_id)
    return func is not None and setting in func.dataset_options
