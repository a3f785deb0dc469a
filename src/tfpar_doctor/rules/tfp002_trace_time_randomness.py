"""TFP002 trace-time-randomness."""

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
        ctx, RULE, "python-random",
        "Draw with tf.random.* (or tf.random.stateless_* with a per-element seed) so that every element "
        "gets its own value.",
    )


RULE = Rule(
    code="TFP002",
    name="trace-time-randomness",
    severity=Severity.ERROR,
    summary="Python or NumPy randomness in a traced dataset function is drawn once: every element gets the "
    "same value",
    doc=RuleDoc(
        what="Finds calls to `random.*`, `np.random.*` and NumPy `Generator`/`RandomState` methods inside a "
        "function that a tf.data transformation traces.",
        why="The traced function runs as Python once, at trace time. A Python random draw becomes a constant "
        "in the graph: every element gets the same 'random' value (measured: 20 identical outputs). The "
        "augmentation silently does nothing random.",
        example="def augment(image):\n    angle = np.random.uniform(-0.2, 0.2)\n"
        "    return rotate(image, angle)\n\nds = ds.map(augment)",
        use_instead="def augment(image):\n    angle = tf.random.uniform([], minval=-0.2, maxval=0.2)\n"
        "    return rotate(image, angle)\n\nds = ds.map(augment)",
        fix_safety="No automatic fix: the replacement draws at run time instead of trace time, in float32 "
        "where NumPy draws float64, and which tf.random op keeps the distribution depends on the arguments "
        "(`np.random.choice(10)` is an integer in [0, 10), `random.randint(a, b)` includes b). `report` "
        "shows the rewrite with the same distribution, or says why it cannot write one.",
        references=(
            "https://www.tensorflow.org/guide/random_numbers",
            "https://www.tensorflow.org/guide/function#executing_python_side_effects",
        ),
    ),
    check=check,
    advice=(AdviceKind.TF_RANDOM,),
    needs=SiteNeeds(methods=TRACED_SITE_METHODS),
)
