"""TFP101 python-in-map."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.analysis.prefilter import TRACED_SITE_METHODS, SiteNeeds
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.model import BodyClass, Finding, Severity
from tfpar_doctor.rules.base import PythonBody, Rule, RuleDoc, finding
from tfpar_doctor.rules.context import Context
from tfpar_doctor.rules.python_sites import python_sites

_HOLDS_GIL = (BodyClass.CPU, BodyClass.UNKNOWN)
_ADVICE = {
    "cpu": "More parallel calls cannot help: rewrite the body with TensorFlow ops, or run it in a process "
    "pool fed into tf.data.",
    "io": "I/O waits release the GIL: ask for parallelism and lift the thread-pool cap "
    "(options.threading.private_threadpool_size or use_unbounded_threadpool=True).",
    "native": "The body releases the GIL in NumPy/PIL/OpenCV kernels, so it scales up to the core count "
    "with num_parallel_calls; a tf-native rewrite also makes it traceable and service-ready.",
    "unknown": "Check what dominates the body: pure Python gains nothing from parallel calls (use processes "
    "or TensorFlow ops), GIL-releasing work scales up to the core count.",
}


def check(ctx: Context) -> Iterator[Finding]:
    for ps in python_sites(ctx):
        site = ps.view.site
        kind = ps.kind.value
        detail = {
            "cpu": "its body is pure-Python work that holds the GIL",
            "io": "its body waits on I/O and releases the GIL",
            "native": "its body spends its time in GIL-releasing native code",
            "unknown": "what dominates its body could not be determined",
        }[kind]
        evidence = ps.evidence_text()
        summary = ps.summary
        yield finding(
            RULE,
            f"`.{site.method}()` runs {ps.function_names} per element as Python through {ps.where()}: "
            f"{detail}{': ' + evidence if evidence else ''}",
            site.location,
            advice=_ADVICE[kind],
            call_site=site.location,
            function=ps.function_id(),
            related=ps.related(),
            classification=summary.classification() if summary else None,
            # processes are for a body that holds the GIL (or may): I/O and native bodies release it
            advice_kinds=None if ps.kind in _HOLDS_GIL else (AdviceKind.TF_NATIVE,),
        )


RULE = Rule(
    code="TFP101",
    name="python-in-map",
    severity=Severity.WARNING,
    summary="A dataset transformation runs per-element Python through py_function/numpy_function",
    doc=RuleDoc(
        what="Finds `map`, `filter`, `flat_map` and `interleave` calls whose function (directly, through "
        "decorators or through functions in other modules of the project) runs Python per element with "
        "`tf.py_function`, `tf.numpy_function` or `tf.py_func`, and classifies that Python body as "
        "`cpu`, `io`, `native` or `unknown`.",
        why="Every element calls back into Python, which holds the GIL while bytecode runs. Pure-Python "
        "work then gets no speed-up at any `num_parallel_calls` (measured: 0.83 s at 1, 0.88-0.97 s at "
        "2, 4 and AUTOTUNE, one core busy); bodies that release the GIL (I/O, NumPy, PIL) scale only up "
        "to the core count. The function also cannot run in tf.data service workers.",
        example="def tokenize(line):\n    return np.array([vocab.get(w, 0) for w in line.decode().split()])\n"
                "\n"
        "ds = ds.map(lambda x: tf.numpy_function(tokenize, [x], tf.int64),\n"
        "            num_parallel_calls=tf.data.AUTOTUNE)",
        use_instead="table = tf.lookup.StaticHashTable(\n    tf.lookup.KeyValueTensorInitializer(keys, ids), "
                    "0)\n\n"
        "ds = ds.map(lambda x: table.lookup(tf.strings.split(x)),\n"
        "            num_parallel_calls=tf.data.AUTOTUNE)",
        fix_safety="No automatic fix: the rewrite depends on the body. `tfpar-doctor report` generates the "
        "tf-native or multiprocessing rewrite for the functions it recognises.",
        references=(
            "https://www.tensorflow.org/api_docs/python/tf/numpy_function",
            "https://www.tensorflow.org/guide/data_performance#parallelizing_data_transformation",
        ),
    ),
    check=check,
    advice=(AdviceKind.TF_NATIVE, AdviceKind.MULTIPROCESSING),
    python_body=PythonBody.CALLBACK,
    needs=SiteNeeds(methods=TRACED_SITE_METHODS | {"with_options"}),
)
