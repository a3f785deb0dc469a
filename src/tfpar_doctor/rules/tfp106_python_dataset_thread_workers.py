"""TFP106 python-dataset-thread-workers."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.analysis.prefilter import SiteNeeds
from tfpar_doctor.analysis.processes import own_module, thread_worker_uses
from tfpar_doctor.knowledge import keras as kk
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.model import BodyClass, Finding, Related, Severity
from tfpar_doctor.rules.base import Rule, RuleDoc, finding
from tfpar_doctor.rules.context import Context


def check(ctx: Context) -> Iterator[Finding]:
    module = own_module(ctx.index)
    if module is None or module.error is not None:
        return
    for use in thread_worker_uses(ctx.index, module):
        if use.getitem is None:
            continue
        summary = ctx.semantics.python([use.getitem])
        if summary.kind is not BodyClass.CPU:
            continue  # file reads, NumPy kernels and decoders release the GIL: threads help them
        evidence = summary.evidence[0] if summary.evidence else None
        because = ""
        if evidence is not None and evidence.location is not None:
            because = f": {evidence.description} (line {evidence.location.line})"
        related = [Related(use.getitem.location, f"`{use.getitem.name}` runs on Keras's worker threads")]
        related += [Related(e.location, e.description) for e in summary.evidence[:2] if e.location]
        yield finding(
            RULE,
            f"`{use.source}` gets workers={use.workers} thread workers, but `{use.getitem.name}` is "
            f"CPU-bound pure Python{because}. Keras runs `__getitem__` on a thread pool, so the workers "
            "contend for the GIL: no speed-up over one worker",
            use.call.location,
            advice="Rewrite the loading as a tf.data pipeline (traced ops run in parallel), or move the "
            "pure-Python work into the NumPy/decoder calls that release the GIL; "
            "`use_multiprocessing=True` helps only with `multiprocessing.set_start_method('spawn')` "
            "(Keras forks otherwise, TFP202).",
            call_site=use.call.location,
            function=f"{use.getitem.path}:{use.getitem.name}",
            related=tuple(dict.fromkeys(related)),
            classification=summary.classification(),
        )


RULE = Rule(
    code="TFP106",
    name="python-dataset-thread-workers",
    severity=Severity.WARNING,
    summary="A Keras PyDataset with thread workers runs a CPU-bound pure-Python `__getitem__`: no speed-up",
    doc=RuleDoc(
        what="Finds a Keras `PyDataset` (Keras 3) or `keras.utils.Sequence` of the project given "
        "`workers` > 1 thread workers (`use_multiprocessing` absent or False), at its construction, its "
        "`super().__init__(workers=...)` or Keras 2's `fit(..., workers=...)`, while its `__getitem__` does "
        "CPU-bound pure-Python work (loops, arithmetic on Python objects, string work).",
        why="Keras 3 dropped `fit(workers=...)`; `PyDataset(workers=N)` runs `__getitem__` on a thread pool "
        "(and wraps it in `from_generator` on the TensorFlow backend). Only one thread runs Python bytecode "
        "at a time: measured with Keras 3.15 on TF 2.21, 80 batches, 2 cores, a pure-Python `__getitem__` "
        "took 0.49 s with one worker and 0.58 / 0.54 s with 2 / 4 threads, while a NumPy-sort `__getitem__` "
        "went from 2.07 s to 1.22 s with 2 threads (NumPy releases the GIL). bench/pydataset_workers.py "
        "repeats the sweep.",
        example="class Tokens(tf.keras.utils.PyDataset):\n    def __getitem__(self, i):\n"
        "        rows = []\n        for line in self.lines[i * 32:(i + 1) * 32]:\n"
        "            rows.append([vocab.get(w, 0) for w in line.split()])\n"
        "        return np.array(rows)\n\n"
        "model.fit(Tokens(lines, workers=4), epochs=3)",
        use_instead="table = tf.lookup.StaticHashTable(\n"
        "    tf.lookup.KeyValueTensorInitializer(keys, ids), 0)\n"
        "ds = (tf.data.Dataset.from_tensor_slices(lines)\n"
        "      .map(lambda l: table.lookup(tf.strings.split(l)), num_parallel_calls=tf.data.AUTOTUNE)\n"
        "      .ragged_batch(32).prefetch(tf.data.AUTOTUNE))\nmodel.fit(ds, epochs=3)",
        fix_safety="No automatic fix.",
        references=(
            "https://keras.io/api/utils/python_utils/#pydataset-class",
            "https://docs.python.org/3/glossary.html#term-global-interpreter-lock",
        ),
    ),
    check=check,
    advice=(AdviceKind.TF_NATIVE, AdviceKind.PYDATASET_WORKERS),
    # Reported where the workers are set, not at dataset sites.
    needs=SiteNeeds(methods=frozenset(), keywords=frozenset({kk.WORKERS_KEYWORD})),
)
