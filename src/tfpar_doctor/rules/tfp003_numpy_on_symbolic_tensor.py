"""TFP003 numpy-on-symbolic-tensor."""

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
        ctx, RULE, "numpy-symbolic",
        "Use the TensorFlow op (tf.math, tf.io.read_file, tf.experimental.numpy), or wrap the NumPy code "
        "in tf.numpy_function if it cannot be expressed in TensorFlow.",
    )


RULE = Rule(
    code="TFP003",
    name="numpy-on-symbolic-tensor",
    severity=Severity.ERROR,
    summary="`.numpy()`, NumPy functions or `open()` on a symbolic tensor fail when the dataset function is "
            "traced",
    doc=RuleDoc(
        what="Finds `.numpy()`, NumPy function calls and `open()` applied to values derived from the "
        "arguments of a function that a tf.data transformation traces.",
        why="Inside a traced function the arguments are symbolic tensors with no value yet: `x.numpy()` "
        "raises AttributeError, `np.asarray(x)` raises NotImplementedError ('Cannot convert a symbolic "
        "tf.Tensor'), `open(x)` raises TypeError. The pipeline fails when it is built.",
        example="def load(path):\n    data = np.load(path.numpy())\n    return data\n\nds = ds.map(load)",
        use_instead="def load(path):\n    return tf.numpy_function(np.load, [path], tf.float32)\n\nds = "
                    "ds.map(load)",
        fix_safety="No automatic fix.",
        references=(
            "https://www.tensorflow.org/api_docs/python/tf/numpy_function",
            "https://www.tensorflow.org/guide/data#applying_arbitrary_python_logic",
        ),
    ),
    check=check,
    advice=(AdviceKind.TF_NATIVE,),
    needs=SiteNeeds(methods=TRACED_SITE_METHODS),
)
