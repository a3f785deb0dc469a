"""TFP104 python-generator-source."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.analysis.prefilter import TRACED_SITE_METHODS, SiteNeeds
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.model import Finding, Related, Severity
from tfpar_doctor.rules.base import PythonBody, Rule, RuleDoc, finding
from tfpar_doctor.rules.context import Context
from tfpar_doctor.rules.generators import generator_functions


def check(ctx: Context) -> Iterator[Finding]:
    for view in ctx.sites("from_generator"):
        functions = generator_functions(ctx, view)
        if not functions:
            continue
        summary = ctx.semantics.python(functions)
        # Only what runs once per yielded element: listing the files before the loop is not per-element work,
        # and neither is drawing a random index before yielding a stored item (docs/how-check-decides.md,
        # reading 3).
        evidence = [*summary.per_element, *summary.nested_loops, *summary.loop_draws]
        if any(f.yields_outside_loops for f in functions):
            evidence += [*summary.io, *summary.native, *summary.cpu]  # each run makes one element or a few
        work = list({(e.description, e.location): e for e in evidence if e.location}.values())
        if not work:
            continue
        names = ", ".join(f"`{f.name}`" for f in functions)
        first = work[0]
        yield finding(
            RULE,
            f"`from_generator` runs {names} in one Python thread under the GIL, and it does per-element "
            f"work: {first.description} (line {first.location.line if first.location else '?'})",
            view.site.location,
            advice="Keep the generator to yielding paths or ids and move the work into traced ops "
            "(`.map(load, num_parallel_calls=...)` with tf.io/tf.image), or feed it from a process pool "
            "(`pool.imap(work, items)`).",
            call_site=view.site.location,
            function=f"{functions[0].path}:{functions[0].name}",
            related=(
                *(Related(f.location, f"`{f.name}` is the generator") for f in functions),
                *(Related(e.location, e.description) for e in work[:3] if e.location),
            ),
            classification=summary.classification(),
        )


RULE = Rule(
    code="TFP104",
    name="python-generator-source",
    severity=Severity.WARNING,
    summary="`from_generator` does per-element work in one Python thread under the GIL",
    doc=RuleDoc(
        what="Finds `Dataset.from_generator(gen)` calls whose generator does work per element beyond "
        "yielding stored items: file reads, decoding, NumPy transforms, nested loops, parsing.",
        why="`from_generator` advances one generator through `numpy_function`: a single thread, holding "
        "the GIL while Python runs. No `num_parallel_calls` applies, and `interleave` over several "
        "generators does not help CPU-bound Python (CPU stays at one core).",
        example="def examples():\n    for path in paths:\n        audio, _ = soundfile.read(path)\n"
        "        yield np.abs(np.fft.rfft(audio))\n\n"
        "ds = tf.data.Dataset.from_generator(examples, output_signature=spec)",
        use_instead="ds = tf.data.Dataset.from_tensor_slices(paths)\n"
        "ds = ds.map(load_spectrogram, num_parallel_calls=tf.data.AUTOTUNE)  # tf.io + tf.signal",
        fix_safety="No automatic fix.",
        references=(
            "https://www.tensorflow.org/api_docs/python/tf/data/Dataset#from_generator",
            "https://www.tensorflow.org/guide/data#consuming_python_generators",
        ),
    ),
    check=check,
    advice=(AdviceKind.TF_NATIVE, AdviceKind.MULTIPROCESSING),
    python_body=PythonBody.GENERATOR,
    needs=SiteNeeds(methods=TRACED_SITE_METHODS | {"with_options"}),
)
