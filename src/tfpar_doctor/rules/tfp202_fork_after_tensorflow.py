"""TFP202 fork-after-tensorflow."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from tfpar_doctor.analysis.prefilter import SiteNeeds
from tfpar_doctor.analysis.processes import (
    ProcessStart,
    effective_start_method,
    own_module,
    process_starts,
    start_method_set,
    tensorflow_import,
)
from tfpar_doctor.knowledge import processes as pk
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.model import Finding, Severity
from tfpar_doctor.rules.base import Rule, RuleDoc, finding
from tfpar_doctor.rules.context import Context


def check(ctx: Context) -> Iterator[Finding]:
    module = own_module(ctx.index)
    if module is None or module.error is not None:
        return
    starts = list(process_starts(ctx.index, module))
    if not starts:
        return
    process_wide = start_method_set(ctx.index)
    for start in starts:
        method = effective_start_method(start, process_wide, ctx.options.target_python)
        if method != "fork":
            continue  # spawn, forkserver, or a start method the analyzer cannot read: silent
        if start.keras:
            runs = start.runs
            workers = f"runs {runs.description} in worker processes it starts" if runs else (
                "starts its workers")
            generator = runs is not None and runs.generator
            yield _finding(start, f"Keras {workers} with `multiprocessing.Pool` and the default start method "
                           "(fork on Linux before Python 3.14) in a process that runs TensorFlow",
                           _GENERATOR_ADVICE if generator else _ADVICE,
                           # the report's spawn rewrite would hand Keras's pool a generator it cannot pickle
                           () if generator else None)
            continue
        via = tensorflow_import(ctx.index, module)
        if via is None:
            continue  # a worker module without TensorFlow may fork
        how = "imports TensorFlow" if via == "tensorflow" else f"imports TensorFlow through `{via}`"
        explicit = start.start_method == "fork" or process_wide == "fork"
        started = "with the fork start method" if explicit else (
            "with the default start method (fork on Linux before Python 3.14)")
        yield _finding(start, f"it starts processes {started} in a module that {how}", _ADVICE)


_ADVICE = (
    "Start the workers with `multiprocessing.get_context('spawn')` (or 'forkserver') from a worker module "
    "that does not import TensorFlow; for Keras, call `multiprocessing.set_start_method('spawn')` under "
    "`if __name__ == '__main__':` or rewrite the data source as a tf.data pipeline."
)
# Keras hands a generator to its pool's initializer: spawned workers would need it pickled, which a generator
# cannot be, and forked ones each advance their own copy of it (Keras's v1 training loop warns that this
# "may duplicate your data").
_GENERATOR_ADVICE = (
    "A generator cannot go to spawned workers (it does not pickle), and forked ones each run their own copy "
    "of it: pass `use_multiprocessing=False`, or rewrite the source as a `keras.utils.Sequence` (then "
    "call `multiprocessing.set_start_method('spawn')` under `if __name__ == '__main__':`) or as a tf.data "
    "pipeline."
)


def _finding(
    start: ProcessStart, why: str, advice: str, advice_kinds: Sequence[AdviceKind] | None = None
) -> Finding:
    return finding(
        RULE,
        f"{start.what}: {why}. Forking a process whose TensorFlow runtime has started threads can hang "
        "the children (TensorFlow issues 8220, 5448, 14442, 51832)",
        start.location,
        advice=advice,
        advice_kinds=advice_kinds,
        call_site=start.location,
    )


RULE = Rule(
    code="TFP202",
    name="fork-after-tensorflow",
    severity=Severity.WARNING,
    summary="A process pool is forked from a process that has TensorFlow loaded: the children can hang",
    doc=RuleDoc(
        what="Finds `multiprocessing.Pool`, `Process` and `ProcessPoolExecutor` started with the fork start "
        "method (explicitly, through `set_start_method('fork')`, or by default on Linux before Python 3.14) "
        "in a module that imports TensorFlow or Keras, directly or through the project's own modules it "
        "imports; and Keras `use_multiprocessing=True`, whose pool forks too: on a `PyDataset` or `Sequence` "
        "(Keras 3 takes it there), and on Keras 2's `fit`, `evaluate` and `predict` (and their `_generator` "
        "forms) when `x` or `validation_data` is a generator or a `Sequence` (a project class, "
        "`ImageDataGenerator().flow_from_directory(...)`, a project generator function's result). Keras "
        "reads a tf.data dataset or arrays in-process and ignores the flag for them, so such a `fit` is "
        "silent, and so is one whose input the analysis cannot trace. "
        "With `workers=0` beside the flag Keras starts no worker (it calls the source itself): silent too. "
        "A `get_context('spawn'/'forkserver')` pool, a `mp_context=` of one, or `set_start_method('spawn'/"
        "'forkserver')` anywhere the analysis sees keeps it silent, and so does a target Python of 3.14 or "
        "later (`target-python = \"3.14\"` in `[tool.tfpar-doctor]`) for pools that use the default.",
        why="fork copies the parent's memory but only the calling thread. TensorFlow starts thread pools at "
        "import and when it runs ops; a lock one of them held is copied locked, and a child that needs it "
        "waits forever (TensorFlow issues 8220, 5448, 14442, 51832). CPython 3.12+ warns that fork() of a "
        "multi-threaded process may deadlock the child, and fork after CUDA initialisation breaks GPU use in "
        "the child. Measured with bench/fork_after_tf.py on TF 2.8.4, 2.12.1, 2.16.2 and 2.21.0 (CPU, 2 "
        "cores): a fork pool after eager ops, after and while a parallel tf.data iterator ran, and with "
        "children running TF ops finished every time (16 runs); the hang is reported on older versions and "
        "with GPUs. spawn or forkserver costs ~2.5 s per worker when the worker module imports TensorFlow, "
        "~0.2 s when it does not.",
        example="import multiprocessing\nimport tensorflow as tf\n\n"
        "def labels(paths):\n    with multiprocessing.Pool(4) as pool:\n"
        "        return pool.map(parse_label, paths)",
        use_instead="import multiprocessing\nimport tensorflow as tf\n\n"
        "from workers import parse_label  # a module that does not import TensorFlow\n\n"
        "def labels(paths):\n    with multiprocessing.get_context('spawn').Pool(4) as pool:\n"
        "        return pool.map(parse_label, paths)",
        fix_safety="No automatic fix: spawned workers re-import the main module, which needs an "
        "`if __name__ == '__main__':` guard, and pickle their arguments.",
        references=(
            "https://github.com/tensorflow/tensorflow/issues/5448",
            "https://github.com/tensorflow/tensorflow/issues/14442",
            "https://docs.python.org/3/library/multiprocessing.html#contexts-and-start-methods",
        ),
    ),
    check=check,
    advice=(AdviceKind.SPAWN_CONTEXT,),
    # Reported at process starts, not at dataset sites: the prefilter keeps files that call one.
    needs=SiteNeeds(
        methods=frozenset(),
        calls=frozenset(n.rsplit(".", 1)[-1] for n in pk.PROCESS_STARTERS) | pk.CONTEXT_STARTER_METHODS,
        keywords=frozenset({pk.KERAS_MULTIPROCESSING_KEYWORD}),
    ),
)
