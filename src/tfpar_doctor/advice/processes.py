"""Advice for processes, workers and calls back into TensorFlow (TFP106, TFP201, TFP202).

Every code block here that starts processes uses spawn or forkserver: forking a process that runs
TensorFlow can hang (TFP202), and this advice must never lead there (tests/test_tfp2xx_rules.py checks
the blocks with TFP202 itself).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tfpar_doctor.advice.model import Advice
from tfpar_doctor.knowledge.rewrites import ADVICE_TITLES
from tfpar_doctor.model import Finding, SiteResult

MOVE_TF_CALL_CODE = """\
# Before: the model runs inside a per-element Python callback of a parallel map.
#   ds = ds.map(lambda x: (x, tf.numpy_function(label, [x], tf.int64)), num_parallel_calls=AUTOTUNE)
# After: the model runs on whole batches as graph ops, outside any Python callback.
ds = ds.batch(BATCH)
ds = ds.map(lambda x: (x, tf.argmax(model(x, training=False), axis=-1)),
            num_parallel_calls=tf.data.AUTOTUNE)
ds = ds.prefetch(tf.data.AUTOTUNE)
# Or: keep the pipeline free of the model and call it in the training step on each batch."""

SPAWN_CODE = """\
import multiprocessing

from workers import parse  # a module that does not import TensorFlow: each worker starts in ~0.2 s


def parse_all(items):
    # spawn/forkserver start fresh interpreters: nothing of TensorFlow's threads is copied into them.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(4) as pool:
        return pool.map(parse, items, chunksize=8)


if __name__ == "__main__":  # spawned workers re-import the main module
    ...  # the code that builds and iterates the pipeline"""

KERAS_SPAWN_CODE = """\
import multiprocessing

if __name__ == "__main__":
    # Keras starts PyDataset workers with multiprocessing's default start method: make it spawn.
    multiprocessing.set_start_method("spawn")
    ...  # the code that builds the model and calls fit"""

PYDATASET_CODE = """\
import multiprocessing

# Threads only help a __getitem__ that releases the GIL. For pure Python, either processes, started
# with spawn (Keras uses the default start method, fork on Linux, which can hang: TFP202) ...
if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    data = {source}(..., workers={workers}, use_multiprocessing=True)
# ... or a tf.data pipeline whose map is traced TensorFlow ops (parallel without the GIL):
ds = tf.data.Dataset.from_tensor_slices(items).map(parse_with_tf_ops,
                                                   num_parallel_calls=tf.data.AUTOTUNE)"""


def move_tf_call(finding: Finding) -> Advice:
    return Advice(
        kind="move-tf-call",
        title=ADVICE_TITLES["move-tf-call"],
        site=finding.call_site or finding.location,
        summary="A model, tf.function or dataset called from per-element Python needs TensorFlow's inter-op "
        "threads while it holds a tf.data pool thread: with parallel calls the pipeline can hang "
        "(TensorFlow issues 32454, 34659), and Keras `predict` per element retraces on every call "
        "(several times slower than calling the model). Batched, as graph ops, the model runs once per "
        "batch and in parallel.",
        code=MOVE_TF_CALL_CODE,
        finding_codes=(finding.code,),
        notes=("Keep only NumPy/Python work in the callback: whatever calls TensorFlow moves out of it.",),
    )


def spawn_context(finding: Finding) -> Advice:
    keras = "use_multiprocessing" in finding.message
    return Advice(
        kind="spawn-context",
        title=ADVICE_TITLES["spawn-context"],
        site=finding.call_site or finding.location,
        summary="fork copies a process with TensorFlow's threads stopped mid-work; a child that needs a lock "
        "one of them held waits forever (TensorFlow issues 8220, 5448, 14442, 51832). spawn and forkserver "
        "start clean interpreters: ~0.2 s per worker from a module without TensorFlow, ~2.5-3.6 s when "
        "the worker module imports it.",
        code=KERAS_SPAWN_CODE if keras else SPAWN_CODE,
        finding_codes=(finding.code,),
        notes=("Spawned workers pickle their function and arguments: module-level functions only.",),
    )


def pydataset_workers(finding: Finding, result: SiteResult | None) -> Advice:
    source = finding.function.rsplit(":", 1)[-1].split(".")[0] if finding.function else "Source"
    workers = "4"
    measured, speedup = "", None
    if result is not None and result.best_level:
        workers = result.best_level.split(":")[-1]
        speedup = result.best_speedup
        measured = f"the probe's sweep recommends {result.best_level} ({result.verdict.value})"
    return Advice(
        kind="pydataset-workers",
        title=ADVICE_TITLES["pydataset-workers"],
        site=finding.call_site or finding.location,
        summary="Keras runs PyDataset.__getitem__ on a thread pool: a pure-Python body gets no speed-up from "
        "more thread workers (measured with Keras 3.15: 0.49 s with one worker, 0.58 / 0.54 s with 2 / 4 "
        "threads). Processes started with spawn, or a tf.data rewrite, use the other cores.",
        code=PYDATASET_CODE.format(source=source, workers=workers),
        finding_codes=(finding.code,),
        measured_speedup=speedup,
        measured=measured,
        notes=("`tfpar-doctor probe file.py:make` on a function returning the PyDataset sweeps threads and "
               "spawned workers and recommends a setting.",),
    )


# The advisor's handlers for these kinds, by kind: (the findings that asked, the probe's result) -> advice.
HANDLERS: dict[str, Callable[[Sequence[Finding], SiteResult | None], list[Advice]]] = {
    "move-tf-call": lambda found, _: [move_tf_call(f) for f in found[:1]],
    "spawn-context": lambda found, _: [spawn_context(f) for f in found[:1]],
    "pydataset-workers": lambda found, result: [pydataset_workers(f, result) for f in found[:1]],
}
