"""TFP001 trace-time-side-effect."""

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
        ctx, RULE, "side-effect",
        "Use tf.print for per-element output, tf.io ops for files, and keep Python state out of the "
        "traced function (or move the work into a tf.py_function if it must run per element).",
    )


RULE = Rule(
    code="TFP001",
    name="trace-time-side-effect",
    severity=Severity.ERROR,
    summary="A Python side effect in a traced dataset function runs once at trace time, not per element",
    doc=RuleDoc(
        what="Finds Python side effects (`time.sleep`, `open`, file operations, writes to globals, closures "
        "or the instance whose method is mapped, and `print` or logging of a value computed from the "
        "element) inside a function that a tf.data transformation traces. Printing or logging configuration, "
        "constants, static shapes or the keys of a dict of tensors is not reported: once at trace time is "
        "what such a message is for. "
        "Attributes of an object built inside the traced call are local state and not reported either.",
        why="`Dataset.map` converts its function with AutoGraph and traces it into a graph once, when "
        "`.map()` is called. Python code in it runs at that moment only: the print appears once, the "
        "sleep happens once, the counter is incremented once, whatever the number of elements. A "
        "re-created dataset retraces and repeats them once more.",
        example="def parse(record):\n    print('parsing', record)\n    return tf.io.parse_tensor(record, "
                "tf.float32)\n\n"
        "ds = ds.map(parse)",
        use_instead="def parse(record):\n    tf.print('parsing', record)\n    return "
                    "tf.io.parse_tensor(record, tf.float32)\n\n"
        "ds = ds.map(parse)",
        fix_safety="No automatic fix: whether the effect was meant to run per element is the author's call.",
        references=(
            "https://www.tensorflow.org/guide/function#executing_python_side_effects",
            "https://www.tensorflow.org/api_docs/python/tf/data/Dataset#map",
        ),
    ),
    check=check,
    advice=(AdviceKind.MOVE_SIDE_EFFECT,),
    needs=SiteNeeds(methods=TRACED_SITE_METHODS),
)
