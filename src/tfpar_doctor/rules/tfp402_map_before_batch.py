"""TFP402 map-before-batch (advice, off by default)."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.analysis.values import CallResult
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.knowledge.vectorisable import ELEMENTWISE_OPS
from tfpar_doctor.model import Finding, Related, Severity
from tfpar_doctor.rules.base import Rule, RuleDoc, finding
from tfpar_doctor.rules.context import Context, SiteView


def _cheap_elementwise(ctx: Context, view: SiteView) -> list[str] | None:
    """The ops of a map's traced function when all of them work the same on a batch, else None."""
    traced = view.traced
    if not traced.functions or traced.callbacks or traced.effects or traced.stateful or traced.randomness:
        return None
    ops: list[str] = []
    traced_ids = {f.id for f in traced.functions}
    for func in traced.functions:
        if func.loops:
            return None
        for call in func.calls:
            if ctx.index.qualified_name(call.callee) in ELEMENTWISE_OPS:
                ops.append(call.text)
                continue
            targets = ctx.index.targets(call.callee)
            if targets and all(t.function.id in traced_ids for t in targets):
                continue  # a project helper: its own calls are checked as one of traced.functions
            return None
    # A function with no recognised op (a restructuring lambda, or arithmetic the facts do not record)
    # is left alone: nothing shows that it does per-element work worth moving.
    return list(dict.fromkeys(ops)) or None


def check(ctx: Context) -> Iterator[Finding]:
    by_id = {view.site.id: view for view in ctx.dataset_sites}
    for batch in ctx.sites("batch"):
        if batch.site.receiver is None:
            continue
        for option in ctx.index.expand(batch.site.receiver):
            if not isinstance(option, CallResult) or option.site is None:
                continue
            view = by_id.get(option.site)
            if view is None or view.site.method != "map":
                continue
            ops = _cheap_elementwise(ctx, view)
            if ops is None:
                continue
            described = ", ".join(f"`{op}`" for op in ops[:3])
            function = view.traced.functions[0]
            yield finding(
                RULE,
                f"`.map()` runs `{function.name}` ({described}) once per element before `.batch()` at line "
                f"{batch.site.location.line}: the same ops on the batch would run once per batch",
                view.site.location,
                advice="Move this map after `.batch()`; its element-wise ops give the same result on a "
                "batch, with one op call per batch instead of one per element.",
                call_site=view.site.location,
                function=f"{function.path}:{function.name}",
                related=(
                    Related(batch.site.location, "the `.batch()` that could come first"),
                    Related(function.location, f"`{function.name}` is element-wise"),
                ),
            )


RULE = Rule(
    code="TFP402",
    name="map-before-batch",
    severity=Severity.INFO,
    summary="A cheap element-wise map runs before batch instead of once per batch",
    doc=RuleDoc(
        what="Finds `map` calls directly followed by `batch` whose traced function only casts, scales, "
        "one-hot encodes or does other element-wise arithmetic (ops that compute the same on a batch), "
        "with no randomness, state, loops or per-element Python.",
        why="Every map call has a fixed per-element overhead in tf.data; for a function that only casts "
        "or scales, the overhead dominates the work. After `batch` the same ops run once per batch, "
        "vectorised. Maps that decode or resize variable-size elements must stay before `batch` and are "
        "not reported. Advice, off by default.",
        example="import tensorflow as tf\n\n"
        "def scale(image, label):\n"
        "    return tf.cast(image, tf.float32) / 255.0, label\n\n"
        "def pipeline(images, labels):\n"
        "    ds = tf.data.Dataset.from_tensor_slices((images, labels))\n"
        "    ds = ds.map(scale, num_parallel_calls=tf.data.AUTOTUNE)\n"
        "    return ds.batch(128).prefetch(tf.data.AUTOTUNE)",
        use_instead="import tensorflow as tf\n\n"
        "def scale(image, label):\n"
        "    return tf.cast(image, tf.float32) / 255.0, label\n\n"
        "def pipeline(images, labels):\n"
        "    ds = tf.data.Dataset.from_tensor_slices((images, labels))\n"
        "    ds = ds.batch(128).map(scale, num_parallel_calls=tf.data.AUTOTUNE)\n"
        "    return ds.prefetch(tf.data.AUTOTUNE)",
        fix_safety="No automatic fix: moving the map changes the element structure that code between "
        "the two transformations sees.",
        references=("https://www.tensorflow.org/guide/data_performance#vectorizing_mapping",),
    ),
    check=check,
    advice=(AdviceKind.VECTORISE,),
    enabled_by_default=False,
)
