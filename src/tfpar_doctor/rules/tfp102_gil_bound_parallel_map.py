"""TFP102 gil-bound-parallel-map."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.analysis.prefilter import TRACED_SITE_METHODS, SiteNeeds
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.model import BodyClass, Finding, Severity
from tfpar_doctor.rules.base import PythonBody, Rule, RuleDoc, finding
from tfpar_doctor.rules.context import Context
from tfpar_doctor.rules.python_sites import python_sites


def check(ctx: Context) -> Iterator[Finding]:
    for ps in python_sites(ctx):
        state, _ = ps.view.parallelism
        if state != "parallel" or ps.kind is not BodyClass.CPU:
            continue
        site = ps.view.site
        asked = ps.requested()
        yield finding(
            RULE,
            f"{ps.function_names} runs per element under the GIL: {ps.evidence_text()}. "
            f"num_parallel_calls={asked} only makes the calls contend for the GIL (no speed-up at any level)",
            site.location,
            advice="Rewrite the body with TensorFlow ops (traced ops run in parallel), or run the Python "
            "function in a process pool (spawn/forkserver) fed into tf.data.",
            **ps.finding_context(),
        )


RULE = Rule(
    code="TFP102",
    name="gil-bound-parallel-map",
    severity=Severity.WARNING,
    summary="A parallel map runs CPU-bound pure Python: more calls only contend for the GIL",
    doc=RuleDoc(
        what="Finds `map`-like calls that ask for parallelism (`num_parallel_calls` > 1 or AUTOTUNE) while "
        "their per-element Python function (TFP101) is CPU-bound pure Python: loops, arithmetic on "
        "Python objects, string, regex or JSON work.",
        why="Only one thread runs Python bytecode at a time. A GIL-bound py_function map measured 0.83 s at "
        "npc=1 and 0.88-0.97 s at npc=2, 4 and AUTOTUNE (never faster, one core busy), and AUTOTUNE keeps "
        "raising the parallelism anyway while per-element latency grows. The cores stay idle.",
        example="def parse_midi(raw):\n    notes = []\n    for event in decode_events(raw):\n"
        "        notes.append(event.pitch)\n    return np.array(notes, np.int32)\n\n"
        "ds = ds.map(lambda r: tf.numpy_function(parse_midi, [r], tf.int32),\n"
        "            num_parallel_calls=tf.data.AUTOTUNE)",
        use_instead="# run the Python function in worker processes, then feed tf.data\n"
        "with multiprocessing.get_context('spawn').Pool() as pool:\n"
        "    ds = tf.data.Dataset.from_generator(\n"
        "        lambda: pool.imap(parse_midi, raw_records, chunksize=4),\n"
        "        output_signature=tf.TensorSpec([None], tf.int32))",
        fix_safety="No automatic fix.",
        references=(
            "https://www.tensorflow.org/api_docs/python/tf/numpy_function",
            "https://docs.python.org/3/library/multiprocessing.html#contexts-and-start-methods",
        ),
    ),
    check=check,
    advice=(AdviceKind.TF_NATIVE, AdviceKind.MULTIPROCESSING),
    python_body=PythonBody.GIL_HOLDING,
    needs=SiteNeeds(methods=TRACED_SITE_METHODS | {"with_options"}),
)
