"""TFP403 nondeterministic-ok (advice, off by default)."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.analysis.values import Const
from tfpar_doctor.knowledge import tfdata
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.model import BodyClass, Finding, Severity
from tfpar_doctor.rules.base import Rule, RuleDoc, finding
from tfpar_doctor.rules.context import Context
from tfpar_doctor.rules.python_sites import pipeline_sets, python_sites


def check(ctx: Context) -> Iterator[Finding]:
    for ps in python_sites(ctx):
        view = ps.view
        state, _ = view.parallelism
        if (
            state != "parallel"
            or view.site.method not in ("map", "interleave")
            or ps.kind is not BodyClass.IO
        ):
            continue
        deterministic = dict(view.site.kwargs).get("deterministic")
        if deterministic is not None and not (
            isinstance(deterministic, Const) and deterministic.value is True
        ):
            continue  # set to False, or to something the user decides at run time
        if deterministic is None and pipeline_sets(ctx, view, tfdata.NONDETERMINISTIC):
            continue  # options.deterministic = False on the pipeline
        summary = ps.summary
        yield finding(
            RULE,
            f"parallel `.{view.site.method}()` of {ps.function_names}, whose latency varies per element "
            f"({ps.evidence_text()}), keeps the default deterministic order: one slow element holds back "
            "every finished one behind it",
            view.site.location,
            advice="If the order of elements does not matter (training data that is shuffled anyway), pass "
            "deterministic=False to this transformation.",
            call_site=view.site.location,
            function=ps.function_id(),
            related=ps.related(),
            classification=summary.classification() if summary else None,
        )


RULE = Rule(
    code="TFP403",
    name="nondeterministic-ok",
    severity=Severity.INFO,
    summary="A parallel map of variable-latency Python keeps the deterministic order",
    doc=RuleDoc(
        what="Finds parallel `map`/`interleave` calls whose per-element Python function waits on I/O "
        "(network or file reads, whose latency varies from element to element) and that do not pass "
        "`deterministic=False`.",
        why="With the default deterministic order, a parallel map hands out results in input order: "
        "when one call is slow (a slow HTTP request, a cold file), the calls that finished after it wait, "
        "and the pipeline stalls behind it (head-of-line blocking). `deterministic=False` lets finished "
        "elements go first. Advice, off by default: only the author knows whether order matters.",
        example="import requests\nimport tensorflow as tf\n\n"
        "def download(url):\n    return requests.get(url.decode(), timeout=30).content\n\n"
        "def images(urls):\n"
        "    ds = tf.data.Dataset.from_tensor_slices(urls)\n"
        "    ds = ds.map(lambda u: tf.numpy_function(download, [u], tf.string),\n"
        "                num_parallel_calls=tf.data.AUTOTUNE)\n"
        "    return ds.prefetch(tf.data.AUTOTUNE)",
        use_instead="import requests\nimport tensorflow as tf\n\n"
        "def download(url):\n    return requests.get(url.decode(), timeout=30).content\n\n"
        "def images(urls):\n"
        "    ds = tf.data.Dataset.from_tensor_slices(urls)\n"
        "    ds = ds.map(lambda u: tf.numpy_function(download, [u], tf.string),\n"
        "                num_parallel_calls=tf.data.AUTOTUNE, deterministic=False)\n"
        "    return ds.prefetch(tf.data.AUTOTUNE)",
        fix_safety="No automatic fix: giving up the order changes which elements land in which batch.",
        references=(
            "https://www.tensorflow.org/api_docs/python/tf/data/Dataset#map",
            "https://www.tensorflow.org/guide/data_performance#parallelizing_data_transformation",
        ),
    ),
    check=check,
    advice=(AdviceKind.NONDETERMINISTIC,),
    enabled_by_default=False,
)
