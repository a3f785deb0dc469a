"""TFP401 missing-prefetch (advice, off by default)."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.analysis.facts import FunctionFacts
from tfpar_doctor.analysis.values import CallResult, FuncRef, Value
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.model import Finding, Related, Severity
from tfpar_doctor.rules.base import Rule, RuleDoc, finding
from tfpar_doctor.rules.context import Context, SiteView

# Keras methods that consume a dataset, and where the dataset goes (position, keyword).
_CONSUMERS: dict[str, tuple[tuple[int, str], ...]] = {
    "fit": ((0, "x"), (-1, "validation_data")),
    "evaluate": ((0, "x"),),
    "predict": ((0, "x"),),
}
# Transformations that may follow `prefetch` without undoing it.
_TRANSPARENT_TAIL = frozenset({"with_options"})


def _tails(ctx: Context, by_id: dict[str, SiteView], value: Value | None) -> Iterator[SiteView]:
    """The last transformations that produce `value`, when they are dataset sites of this project."""
    if value is None:
        return
    for option in ctx.index.expand(value):
        if not isinstance(option, CallResult) or option.site is None:
            continue
        view = by_id.get(option.site)
        if view is None:
            continue
        if view.site.method in _TRANSPARENT_TAIL:
            yield from _tails(ctx, by_id, view.site.receiver)
        else:
            yield view


def _transformed_later(ctx: Context) -> set[str]:
    """Functions whose returned dataset some caller transforms further (their tail is not the end)."""
    out: set[str] = set()
    for view in ctx.dataset_sites:
        if view.site.receiver is None:
            continue
        for option in ctx.index.expand(view.site.receiver):
            if isinstance(option, CallResult):
                for callee in ctx.index.expand(option.callee):
                    if isinstance(callee, FuncRef):
                        out.add(callee.id)
    return out


def _handed_over(ctx: Context, func: FunctionFacts) -> Iterator[tuple[Value, str]]:
    """Datasets this function returns, fits/evaluates, or iterates, with how it uses them."""
    for returned in func.returns:
        yield returned, f"returned by `{func.name}`"
    for call in func.calls:
        places = _CONSUMERS.get(call.method or "")
        if not places:
            continue
        for position, keyword in places:
            value = call.argument(position, keyword) if position >= 0 else call.kwarg(keyword)
            if value is not None:
                yield value, f"passed to `.{call.method}()`"
    for loop in func.loops:
        if loop.kind == "for" and loop.iterable is not None:
            yield loop.iterable, f"iterated by a `for` loop at line {loop.location.line}"


def check(ctx: Context) -> Iterator[Finding]:
    by_id = {view.site.id: view for view in ctx.dataset_sites}
    if not by_id:
        return
    intermediate = _transformed_later(ctx)
    reported: set[str] = set()
    for func in list(ctx.index.functions.values()):
        for value, how in _handed_over(ctx, func):
            if how.startswith("returned") and func.id in intermediate:
                continue
            for view in _tails(ctx, by_id, value):
                site = view.site
                if site.method == "prefetch" or site.id in reported:
                    continue
                reported.add(site.id)
                yield finding(
                    RULE,
                    f"the dataset {how} ends with `.{site.method}()`, not `.prefetch()`: preparing the next "
                    "element overlaps the consumer's work only through the small buffer that tf.data's "
                    "`inject_prefetch` optimisation may add",
                    site.location,
                    advice="End the pipeline with `.prefetch(tf.data.AUTOTUNE)` so that input preparation "
                    "overlaps the training step with a buffer the autotuner sizes.",
                    call_site=site.location,
                    related=(Related(func.location, f"`{func.name}` hands the dataset over"),),
                )


RULE = Rule(
    code="TFP401",
    name="missing-prefetch",
    severity=Severity.INFO,
    summary="A dataset handed to training, iteration or a caller does not end with prefetch",
    doc=RuleDoc(
        what="Finds datasets that a function returns (and no caller in the project transforms further), "
        "passes to Keras `fit`/`evaluate`/`predict`, or iterates in a `for` loop, whose last "
        "transformation is not `prefetch` (`with_options` after it is fine).",
        why="`prefetch` decouples the producer from the consumer: while the model trains on one batch, "
        "tf.data prepares the next. Without it, input and training take turns unless tf.data's "
        "`inject_prefetch` optimisation (on by default in recent releases) adds a small buffer after the "
        "last stage; an explicit `prefetch(tf.data.AUTOTUNE)` states the overlap and lets the autotuner "
        "size it. Advice, off by default: the automatic buffer often suffices.",
        example="import tensorflow as tf\n\n"
        "def make_train(paths):\n"
        "    ds = tf.data.Dataset.from_tensor_slices(paths)\n"
        "    return ds.batch(32)",
        use_instead="import tensorflow as tf\n\n"
        "def make_train(paths):\n"
        "    ds = tf.data.Dataset.from_tensor_slices(paths)\n"
        "    return ds.batch(32).prefetch(tf.data.AUTOTUNE)",
        fix_safety="No automatic fix: where the pipeline ends is a design decision (a caller may add "
        "more stages).",
        references=(
            "https://www.tensorflow.org/guide/data_performance#prefetching",
            "https://www.tensorflow.org/api_docs/python/tf/data/experimental/OptimizationOptions",
        ),
    ),
    check=check,
    advice=(AdviceKind.PREFETCH,),
    enabled_by_default=False,
)
