"""TFP201 tf-call-in-parallel-callback."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.analysis.facts import FunctionFacts
from tfpar_doctor.analysis.prefilter import TRACED_SITE_METHODS, SiteNeeds
from tfpar_doctor.analysis.processes import RuntimeCall, runtime_calls
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.model import Finding, Related, Severity
from tfpar_doctor.rules.base import Rule, RuleDoc, finding
from tfpar_doctor.rules.context import Context, SiteView
from tfpar_doctor.rules.generators import generator_functions
from tfpar_doctor.rules.python_sites import python_sites

_ISSUES = "TensorFlow issues 32454, 34659"


def check(ctx: Context) -> Iterator[Finding]:
    for ps in python_sites(ctx):
        state, _ = ps.view.parallelism
        if state != "parallel":
            continue
        functions = [f for cb in ps.callbacks for f in cb.functions]
        calls = runtime_calls(ctx.index, functions)
        if calls:
            yield _finding(ps.view, functions, calls, ps.requested(), "a py_function/numpy_function body")
    yield from _generators_under_interleave(ctx)


def _generators_under_interleave(ctx: Context) -> Iterator[Finding]:
    """`interleave(lambda f: Dataset.from_generator(gen, args=(f,)), num_parallel_calls=...)`: each
    generator is advanced through a numpy_function on an interleave worker thread (TF issue 34659)."""
    for view in ctx.sites("interleave"):
        state, value = view.parallelism
        if state != "parallel" or view.site.function is None:
            continue
        scopes = {t.function.id for t in ctx.index.targets(view.site.function)}
        for inner in ctx.sites("from_generator"):
            if inner.site.scope not in scopes:
                continue
            generators = generator_functions(ctx, inner)
            calls = runtime_calls(ctx.index, generators)
            if calls:
                asked = "AUTOTUNE" if value == -1 else str(value)
                yield _finding(view, generators, calls, asked, "a generator under a parallel interleave")


def _finding(view: SiteView, functions: list[FunctionFacts], calls: list[RuntimeCall], asked: str,
             body: str) -> Finding:
    names = ", ".join(f"`{f.name}`" for f in functions) or "the per-element Python function"
    first = calls[0]
    what = f"{first.description} (line {first.location.line})"
    if len(calls) > 1:
        what += f" and {len(calls) - 1} more call{'s' if len(calls) > 2 else ''} into TensorFlow"
    retrace = ""
    if any(c.retraces for c in calls):
        retrace = ("; Keras also retraces `predict` on every call, several times slower per element than "
                   "calling the model")
    related = [Related(f.location, f"`{f.name}` runs per element as Python") for f in functions]
    related += [Related(c.location, c.description) for c in calls[:4]]
    return finding(
        RULE,
        f"{names} ({body}) {what} while the {view.site.method} runs num_parallel_calls={asked}: each call "
        f"needs TensorFlow's inter-op threads while it holds a tf.data pool thread, and with enough calls in "
        f"flight the pipeline can hang with no message ({_ISSUES}){retrace}",
        view.site.location,
        advice="Move the model or tf.function call out of the per-element Python: run it on whole batches "
        "after the pipeline (`ds.batch(n)` then `model(batch)` in the training step), or call it as a traced "
        "op in a plain `map` (no py_function around it); keep only NumPy/Python work in the callback.",
        call_site=view.site.location,
        function=f"{functions[0].path}:{functions[0].name}" if functions else None,
        related=tuple(dict.fromkeys(related)),
    )


RULE = Rule(
    code="TFP201",
    name="tf-call-in-parallel-callback",
    severity=Severity.WARNING,
    summary="A per-element Python callback in a parallel map calls back into TensorFlow: a silent hang risk",
    doc=RuleDoc(
        what="Finds `map`-like calls that run in parallel (`num_parallel_calls` > 1 or AUTOTUNE) whose "
        "per-element Python body (py_function, numpy_function, py_func, or a generator under a parallel "
        "`interleave`) calls back into TensorFlow's runtime: a `tf.function`, a Keras model or layer, "
        "`model.predict`, or iteration over a tf.data dataset, directly or through the project's functions. "
        "Cheap conversions (`.numpy()`, `tf.constant`, `tf.convert_to_tensor`) are not reported.",
        why="Each such call needs TensorFlow's inter-op threads while it holds one of tf.data's pool "
        "threads; with enough calls in flight both pools wait on each other and the pipeline stops with no "
        "message: 'training freezes at step 0' (TensorFlow issues 32454, 34659, reported on TF 2.0/2.1). "
        "Measured with bench/tfp201_hang.py on 2 cores (a tf.function, a Keras model call, `predict`, "
        "dataset iteration and a generator under a parallel interleave in the callback; npc 1, 2, 16 and "
        "AUTOTUNE; the inter-op pool at its default or 1 thread): on TF 2.8.4, 2.12.1, 2.16.2 and 2.21.0 no "
        "run hung. The pattern still costs on every version: the runs calling `predict` per element took "
        "2-5x as long as the same runs calling the model (Keras retraces its predict function per call), "
        "and a separate measurement on TF 2.21 saw `predict` at npc=16 abort the process once in 6 runs. "
        "The rule fires whatever the version; docs/processes-and-hangs.md has the numbers.",
        example="teacher = tf.keras.models.load_model('teacher.keras')\n\n"
        "def pseudo_label(image):\n    return teacher.predict(image[None], verbose=0)[0]\n\n"
        "ds = ds.map(lambda x: (x, tf.numpy_function(pseudo_label, [x], tf.float32)),\n"
        "            num_parallel_calls=tf.data.AUTOTUNE)",
        use_instead="teacher = tf.keras.models.load_model('teacher.keras')\n\n"
        "# label whole batches with the model as graph ops, outside any Python callback\n"
        "ds = ds.batch(64).map(lambda x: (x, teacher(x, training=False)),\n"
        "                      num_parallel_calls=tf.data.AUTOTUNE)",
        fix_safety="No automatic fix: where the model call moves to depends on the training loop.",
        references=(
            "https://github.com/tensorflow/tensorflow/issues/32454",
            "https://github.com/tensorflow/tensorflow/issues/34659",
            "https://www.tensorflow.org/api_docs/python/tf/numpy_function",
        ),
    ),
    check=check,
    advice=(AdviceKind.MOVE_TF_CALL,),
    needs=SiteNeeds(methods=TRACED_SITE_METHODS),
)
