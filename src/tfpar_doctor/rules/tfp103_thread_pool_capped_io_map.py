"""TFP103 thread-pool-capped-io-map."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.analysis.prefilter import TRACED_SITE_METHODS, SiteNeeds
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.model import BodyClass, Finding, Severity
from tfpar_doctor.rules.base import PythonBody, Rule, RuleDoc, finding
from tfpar_doctor.rules.context import Context
from tfpar_doctor.rules.python_sites import python_sites, threadpool_lifted


def check(ctx: Context) -> Iterator[Finding]:
    for ps in python_sites(ctx):
        state, _ = ps.view.parallelism
        if state != "parallel" or ps.kind is not BodyClass.IO or threadpool_lifted(ctx, ps.view):
            continue
        site = ps.view.site
        asked = ps.requested()
        yield finding(
            RULE,
            f"{ps.function_names} waits on I/O per element ({ps.evidence_text()}), but with "
            f"num_parallel_calls={asked} at most one call per core is in flight: tf.data's thread pool is "
            "sized to the cores",
            site.location,
            advice="Set options.threading.private_threadpool_size (e.g. 16) on the dataset, or pass "
            "use_unbounded_threadpool=True to this map (TF 2.21+), so that more waits overlap.",
            **ps.finding_context(),
        )


RULE = Rule(
    code="TFP103",
    name="thread-pool-capped-io-map",
    severity=Severity.WARNING,
    summary="An I/O-bound Python map is capped at one call per core by tf.data's thread pool",
    doc=RuleDoc(
        what="Finds parallel `map`-like calls whose per-element Python function (TFP101) is I/O-bound "
        "(file and network reads, `np.load`, `time.sleep`, `requests`) in a pipeline that sets neither "
        "`options.threading.private_threadpool_size` nor `use_unbounded_threadpool=True`.",
        why="Parallel map calls run on a per-iterator pool of as many threads as there are cores. An "
        "I/O-bound callback releases the GIL while it waits and could overlap many waits, but at most "
        "#cores are in flight for any num_parallel_calls (measured on 2 cores: npc=16 or AUTOTUNE gives "
        "2 in flight, 1.9x). A private pool of 16 threads gave 16 in flight, 13.6x. Thread settings such "
        "as `set_inter_op_parallelism_threads` do not lift the cap.",
        example="def fetch(url):\n    return requests.get(url.decode()).content\n\n"
        "ds = ds.map(lambda u: tf.numpy_function(fetch, [u], tf.string),\n"
        "            num_parallel_calls=tf.data.AUTOTUNE)",
        use_instead="ds = ds.map(lambda u: tf.numpy_function(fetch, [u], tf.string),\n"
        "            num_parallel_calls=16)\n"
        "options = tf.data.Options()\noptions.threading.private_threadpool_size = 16\n"
        "ds = ds.with_options(options)",
        fix_safety="No automatic fix: the right pool size depends on the storage.",
        references=(
            "https://www.tensorflow.org/api_docs/python/tf/data/ThreadingOptions",
            "https://www.tensorflow.org/api_docs/python/tf/data/Dataset#map",
        ),
    ),
    check=check,
    advice=(AdviceKind.THREAD_POOL,),
    python_body=PythonBody.WAITING,
    needs=SiteNeeds(methods=TRACED_SITE_METHODS | {"with_options"}),
)
