"""TFP005 cache-after-random-map."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.analysis.prefilter import TRACED_SITE_METHODS, SiteNeeds
from tfpar_doctor.analysis.values import Attr, CallResult
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.model import Evidence, Finding, Related, Severity
from tfpar_doctor.rules.base import Rule, RuleDoc, finding
from tfpar_doctor.rules.context import Context, SiteView
from tfpar_doctor.rules.generators import generator_summary
from tfpar_doctor.rules.lineage import upstream


def _randomness(ctx: Context, view: SiteView) -> list[Evidence]:
    if view.site.method == "from_generator":
        summary = generator_summary(ctx, view)
        return list(summary.randomness) if summary else []
    if view.site.function is None:
        return []
    traced = view.traced
    found = list(traced.randomness)
    for callback in traced.callbacks:
        if callback.summary is not None:
            found.extend(callback.summary.randomness)
    return found


def _snapshot(ctx: Context, view: SiteView) -> bool:
    """`ds.take(1).cache().repeat()`: a deliberate loop over a fixed sample (fake data for benchmarks).
    Freezing it is the point, random or not."""
    options = list(ctx.index.expand(view.site.receiver)) if view.site.receiver is not None else []
    return bool(options) and all(
        isinstance(o, CallResult) and isinstance(o.callee, Attr) and o.callee.name == "take" for o in options
    )


def check(ctx: Context) -> Iterator[Finding]:
    for view in ctx.sites("cache"):
        if _snapshot(ctx, view):
            continue
        for source in upstream(ctx, view.site.receiver):
            if source.site.method == "cache":
                break  # an earlier cache: that one is the finding
            randomness = _randomness(ctx, source)
            if not randomness:
                continue
            site = source.site
            first = randomness[0]
            yield finding(
                RULE,
                f"`.cache()` stores the output of the random `.{site.method}()` at line {site.location.line} "
                f"({first.description}): every epoch after the first replays the same random values",
                view.site.location,
                advice="Cache before the random transformation: `.cache()` then `.map(augment)`, so that "
                "the expensive deterministic work is cached and the randomness runs every epoch.",
                call_site=site.location,
                related=(
                    Related(site.location, f"the random `.{site.method}()` is here"),
                    *(Related(e.location, e.description) for e in randomness[:2] if e.location),
                ),
            )
            break


RULE = Rule(
    code="TFP005",
    name="cache-after-random-map",
    severity=Severity.ERROR,
    summary="`.cache()` after a random transformation freezes the randomness after the first epoch",
    doc=RuleDoc(
        what="Finds `.cache()` calls that follow (in the same chain, through variables or through helper "
        "functions) a transformation whose function draws random numbers: `tf.random.*`, "
        "`tf.image.random_*`, or Python randomness and augmentation libraries inside a py_function, or a "
        "generator that randomises.",
        why="`cache()` stores the elements produced in the first epoch and replays them afterwards. "
        "Random augmentation upstream of it runs only once: every later epoch sees the same crops, "
        "flips and noise, and the augmentation no longer regularises training.",
        example="def random_flip(image):\n    return tf.image.random_flip_left_right(image)\n\n"
        "ds = ds.map(decode).map(random_flip).cache().batch(32)",
        use_instead="def random_flip(image):\n    return tf.image.random_flip_left_right(image)\n\n"
        "ds = ds.map(decode).cache().map(random_flip).batch(32)",
        fix_safety="No automatic fix: moving the cache changes what is cached and its memory use.",
        references=(
            "https://www.tensorflow.org/guide/data_performance#caching",
            "https://www.tensorflow.org/api_docs/python/tf/data/Dataset#cache",
        ),
    ),
    check=check,
    advice=(AdviceKind.MOVE_CACHE,),
    needs=SiteNeeds(methods=TRACED_SITE_METHODS | {"cache"}),
)
