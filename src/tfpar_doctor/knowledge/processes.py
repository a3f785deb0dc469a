"""What the analyzer knows about starting processes (TFP202), as data.

Names are fully qualified the way an import resolves them (`mp.Pool` with `import multiprocessing as mp`
is `multiprocessing.Pool`).
"""

from __future__ import annotations

# Calls that start worker processes, by qualified name. Thread pools (`multiprocessing.dummy.Pool`,
# `multiprocessing.pool.ThreadPool`, `ThreadPoolExecutor`) are not here: they fork nothing.
PROCESS_STARTERS: frozenset[str] = frozenset(
    {
        "multiprocessing.Pool",
        "multiprocessing.Process",
        "multiprocessing.pool.Pool",
        "multiprocessing.process.BaseProcess",
        "multiprocessing.context.Process",
        "concurrent.futures.ProcessPoolExecutor",
        "concurrent.futures.process.ProcessPoolExecutor",
    }
)
# The same starters reached as methods of a context object (`multiprocessing.get_context("spawn").Pool`).
CONTEXT_STARTER_METHODS: frozenset[str] = frozenset({"Pool", "Process"})
# Functions that return a context for one start method; their first argument names it (None: the default).
CONTEXT_FACTORIES: frozenset[str] = frozenset({"multiprocessing.get_context"})
# Functions that set the process-wide start method (first argument).
START_METHOD_SETTERS: frozenset[str] = frozenset({"multiprocessing.set_start_method"})
# The keyword through which ProcessPoolExecutor takes a context.
EXECUTOR_CONTEXT_KEYWORD = "mp_context"

# Start methods that do not copy the parent's threads into the child: they start a fresh interpreter
# (spawn) or fork from a server process started before TensorFlow (forkserver).
SAFE_START_METHODS: frozenset[str] = frozenset({"spawn", "forkserver"})
# The default start method on Linux: fork before Python 3.14, forkserver from 3.14 on (CPython gh-84559).
# The analyzer assumes a target Python below 3.14 until the project says otherwise.
LINUX_DEFAULT_START_METHOD = "fork"
FORKSERVER_DEFAULT_FROM = (3, 14)

# The Keras keyword that makes `fit`, `PyDataset` and `Sequence` workers processes (forked by default).
KERAS_MULTIPROCESSING_KEYWORD = "use_multiprocessing"
