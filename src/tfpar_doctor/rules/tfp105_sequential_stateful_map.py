"""TFP105 sequential-stateful-map."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.analysis.prefilter import TRACED_SITE_METHODS, SiteNeeds
from tfpar_doctor.knowledge import tfdata
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.model import BodyClass, Edit, Evidence, Finding, Fix, Related, Severity
from tfpar_doctor.rules.base import Rule, RuleDoc, finding
from tfpar_doctor.rules.context import Context, SiteView
from tfpar_doctor.rules.python_sites import pipeline_sets

# A stateless function with fewer TensorFlow ops than this is a cast or a lookup: not worth a finding.
_NON_TRIVIAL_OPS = 2


def _fix(view: SiteView) -> Fix | None:
    """Adding num_parallel_calls is safe only where it is absent and the map is traced, not Python."""
    site = view.site
    alias = view.module.tf_alias
    if site.parallelism is not None or site.insert_at is None or alias is None or site.qualified:
        return None
    line, column = site.insert_at
    text = f", num_parallel_calls={alias}.data.AUTOTUNE"
    return Fix("Add num_parallel_calls=tf.data.AUTOTUNE", (Edit(line, column, line, column, text),))


def check(ctx: Context) -> Iterator[Finding]:
    for view in ctx.sites("map", "interleave"):
        site = view.site
        state, _ = view.parallelism
        if state not in ("absent", "sequential"):
            continue
        if site.method == "interleave":
            if state == "absent" and site.function is not None:
                yield finding(
                    RULE,
                    "`interleave` without num_parallel_calls opens and reads its input datasets one "
                    "element at a time, in one thread: cycle_length only interleaves, it does not "
                    "parallelise",
                    site.location,
                    advice="Pass num_parallel_calls=tf.data.AUTOTUNE (and deterministic=False if order "
                    "does not matter).",
                    call_site=site.location,
                )
            continue
        if site.function is None:
            continue
        traced = view.traced
        reasons: list[Evidence] = list(traced.stateful)
        python = False
        for callback in traced.callbacks:
            summary = callback.summary
            if not callback.stateful:
                continue  # py_func(..., stateful=False): map_parallelization may parallelise it
            python = True
            if summary is not None and summary.kind in (BodyClass.IO, BodyClass.NATIVE):
                what = f"`{summary.function}` ({summary.kind.value}-bound, releases the GIL)"
            else:
                # A py_function is stateful whatever its body; only a CPU-bound body is exempt (below).
                what = f"`{summary.function}`" if summary is not None else "a Python function"
            reasons.append(Evidence(f"{callback.wrapper} runs {what}", callback.location))
        if traced.callbacks and all(c.summary is not None and c.summary.kind is BodyClass.CPU
                                    for c in traced.callbacks):
            # TFP101 says what to do: more calls cannot help GIL-bound Python. A map that also runs I/O or
            # native callbacks (or ones of unknown cost) can gain from parallel calls: reported.
            continue
        if not reasons:
            # Stateless maps are parallelised automatically, unless the pipeline turned that off.
            if traced.tf_calls >= _NON_TRIVIAL_OPS and not traced.callbacks and pipeline_sets(
                ctx, view, tfdata.NO_MAP_PARALLELIZATION
            ):
                yield _sequential(view, state, "the pipeline sets map_parallelization = False, so even "
                                  "this stateless function is not parallelised automatically", (), python)
            continue
        first = reasons[0]
        line = first.location.line if first.location else "?"
        yield _sequential(
            view, state,
            f"its function is stateful ({first.description}, line {line}), so TensorFlow's automatic map "
            "parallelization does not apply",
            tuple(Related(e.location, e.description) for e in reasons[:3] if e.location),
            python,
        )


def _sequential(view: SiteView, state: str, why: str, related: tuple[Related, ...], python: bool) -> Finding:
    site = view.site
    written = "num_parallel_calls=1" if state == "sequential" and site.parallelism is not None else (
        "no num_parallel_calls")
    advice = "Pass num_parallel_calls=tf.data.AUTOTUNE (and deterministic=False if order does not matter)."
    if python:
        # Authors keep such maps sequential on purpose when the Python function shares a reader (SLEAP's
        # video provider: its reader seeks and reads under a lock, and reads frames in order without seeking).
        advice += (" Parallel calls run the Python function on several threads at once: it must be "
                   "thread-safe, and one that reads through a shared reader under a lock (a video or HDF5 "
                   "file) gains nothing from them.")
    return finding(
        RULE,
        f"`.map()` with {written} runs one element at a time: {why}",
        site.location,
        advice=advice,
        call_site=site.location,
        related=related,
        fix=None if python else _fix(view),
    )


RULE = Rule(
    code="TFP105",
    name="sequential-stateful-map",
    severity=Severity.WARNING,
    summary="A stateful map without num_parallel_calls runs one element at a time",
    doc=RuleDoc(
        what="Finds `map` calls with no `num_parallel_calls` (or 1, or None) whose function is stateful "
        "(stateful random ops, variables, or a py_function whose body releases the GIL), "
        "`interleave` calls with no `num_parallel_calls`, and non-trivial stateless maps with no "
        "`num_parallel_calls` in a pipeline that turns `map_parallelization` off.",
        why="tf.data's `map_parallelization` optimisation (on by default) already runs *stateless* maps in "
        "parallel when num_parallel_calls is absent, but never stateful ones: those run one element at a "
        "time. `interleave` without num_parallel_calls is sequential too. Forcing `num_parallel_calls=1` "
        "on a stateless map is slower than leaving it out (0.35 s vs 0.18 s measured).",
        example="def augment(image):\n    return tf.image.random_flip_left_right(image)\n\nds = "
                "ds.map(augment)",
        use_instead="def augment(image):\n    return tf.image.random_flip_left_right(image)\n\n"
        "ds = ds.map(augment, num_parallel_calls=tf.data.AUTOTUNE)",
        fix_safety="Unsafe fix (applied only with `--fix --unsafe-fixes`): adding "
        "`num_parallel_calls=tf.data.AUTOTUNE` keeps the output order (deterministic by default), but the "
        "map is stateful, so parallel calls draw random numbers in a different order and run its state "
        "concurrently: results change (TensorFlow reverted an automatic change of exactly this, PR 43859). "
        "Not offered for py_function maps, where the gain depends on the Python body.",
        references=(
            "https://www.tensorflow.org/api_docs/python/tf/data/experimental/OptimizationOptions",
            "https://www.tensorflow.org/guide/data_performance#parallelizing_data_transformation",
        ),
    ),
    check=check,
    advice=(AdviceKind.ADD_PARALLELISM,),
    needs=SiteNeeds(methods=TRACED_SITE_METHODS | {"with_options"}),
)
