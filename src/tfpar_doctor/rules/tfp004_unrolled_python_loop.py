"""TFP004 unrolled-python-loop."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.analysis.prefilter import TRACED_SITE_METHODS, SiteNeeds
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.model import Finding, Severity
from tfpar_doctor.rules.base import Rule, RuleDoc
from tfpar_doctor.rules.context import Context
from tfpar_doctor.rules.trace_effects import effect_findings


def check(ctx: Context) -> Iterator[Finding]:
    yield from effect_findings(
        ctx, RULE, "unrolled-loop",
        "Loop over tf.range(n) (AutoGraph turns it into one While op), or vectorise the body.",
    )


RULE = Rule(
    code="TFP004",
    name="unrolled-python-loop",
    severity=Severity.WARNING,
    summary="A long Python loop in a traced dataset function is unrolled into the graph",
    doc=RuleDoc(
        what="Finds `for` loops over `range(N)` with a constant N (32 or more by default, option "
        "`loop-threshold`) or over a long list literal, whose body builds TensorFlow ops, inside a "
        "function that a tf.data transformation traces.",
        why="AutoGraph converts `for i in tf.range(n)` into one While op, but a loop over a Python range "
        "runs at trace time and copies its body into the graph N times: graph size grows as 4N+3 ops and "
        "building takes about 1 ms per iteration (N=3000: 2.9 s before the first element).",
        example="def smooth(x):\n    for i in range(1000):\n        x = x + 0.001 * tf.roll(x, 1, 0)\n    "
                "return x\n\n"
        "ds = ds.map(smooth)",
        use_instead="def smooth(x):\n    for i in tf.range(1000):\n        x = x + 0.001 * tf.roll(x, 1, 0)\n"
                    "    return x\n\n"
        "ds = ds.map(smooth)",
        fix_safety="No automatic fix: loop-carried Python values may need tf.TensorArray.",
        references=("https://www.tensorflow.org/guide/function#autograph_transformations",),
    ),
    check=check,
    advice=(AdviceKind.TF_RANGE,),
    needs=SiteNeeds(methods=TRACED_SITE_METHODS),
)
