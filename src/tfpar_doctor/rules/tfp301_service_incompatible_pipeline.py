"""TFP301 service-incompatible-pipeline."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.analysis.prefilter import TRACED_SITE_METHODS, SiteNeeds
from tfpar_doctor.analysis.values import CallResult, Value
from tfpar_doctor.knowledge import tfdata
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.model import Finding, Location, Related, Severity
from tfpar_doctor.rules.base import Rule, RuleDoc, finding
from tfpar_doctor.rules.context import Context
from tfpar_doctor.rules.lineage import upstream
from tfpar_doctor.rules.python_sites import MAP_LIKE


def _python_source(ctx: Context, dataset: Value | None) -> tuple[Location, str] | None:
    for view in upstream(ctx, dataset):
        if view.site.method == "from_generator":
            return view.site.location, "from_generator"
        if view.site.method in MAP_LIKE and view.traced.callbacks:
            return view.traced.callbacks[0].location, view.traced.callbacks[0].wrapper
    return None


def _service_calls(ctx: Context) -> Iterator[tuple[Location, Value | None, str]]:
    by_result = {v.site.result: v for v in ctx.sites() if v.site.qualified in tfdata.SERVICE_FUNCTIONS}
    for view in ctx.sites():
        site = view.site
        name = site.qualified or ""
        if name.endswith(".register_dataset"):
            dataset = site.args[1] if len(site.args) > 1 else dict(site.kwargs).get("dataset")
            yield site.location, dataset, "register_dataset"
        elif site.method == "apply" and site.args:
            for option in ctx.index.expand(site.args[0]):
                if isinstance(option, CallResult) and ctx.index.qualified_name(option.callee) in (
                    tfdata.SERVICE_FUNCTIONS
                ):
                    inner = by_result.get(option)
                    location = inner.site.location if inner else site.location
                    yield location, site.receiver, "distribute"


def check(ctx: Context) -> Iterator[Finding]:
    for location, dataset, how in _service_calls(ctx):
        source = _python_source(ctx, dataset)
        if source is None:
            continue
        where, what = source
        yield finding(
            RULE,
            f"`{how}` sends this pipeline to tf.data service workers, but it runs Python callbacks "
            f"({what} at {where.path}:{where.line}): workers fail with 'Could not find callback with "
            "key=pyfunc_0'",
            location,
            advice="Make the pipeline tf-native first (replace the Python callback with TensorFlow ops), "
            "or keep this pipeline local and scale it with a process pool instead.",
            related=(Related(where, f"{what} runs Python here"),),
        )


RULE = Rule(
    code="TFP301",
    name="service-incompatible-pipeline",
    severity=Severity.ERROR,
    summary="A pipeline with Python callbacks is sent to tf.data service, whose workers cannot run them",
    doc=RuleDoc(
        what="Finds datasets passed to `tf.data.experimental.service.distribute` or `register_dataset` "
        "whose upstream transformations use py_function, numpy_function or from_generator.",
        why="tf.data service runs the pipeline in separate worker processes or hosts. Python callbacks "
        "live in the client's interpreter and cannot be shipped: the worker fails with 'Could not find "
        "callback with key=pyfunc_0' (TensorFlow issue 50252).",
        example="ds = tf.data.Dataset.from_generator(read_examples, output_signature=spec)\n"
        "ds = ds.apply(tf.data.experimental.service.distribute('parallel_epochs', service=addr))",
        use_instead="ds = tf.data.TFRecordDataset(files).map(parse, num_parallel_calls=tf.data.AUTOTUNE)\n"
        "ds = ds.apply(tf.data.experimental.service.distribute('parallel_epochs', service=addr))",
        fix_safety="No automatic fix.",
        references=(
            "https://www.tensorflow.org/api_docs/python/tf/data/experimental/service",
            "https://github.com/tensorflow/tensorflow/issues/50252",
        ),
    ),
    check=check,
    advice=(AdviceKind.TF_NATIVE, AdviceKind.DATA_SERVICE),
    needs=SiteNeeds(methods=TRACED_SITE_METHODS | {"apply"}),
)
