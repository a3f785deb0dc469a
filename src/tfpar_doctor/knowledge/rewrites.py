"""Which TensorFlow op replaces which Python-library call, and what the advice around the rewrites says.

The advisor reads the body of a per-element Python function (inside py_function/numpy_function), finds
the calls of `TF_NATIVE` and shows each one rewritten as a traced TensorFlow op. Traced ops run in parallel
without the GIL and can run in tf.data service workers (docs/how-probe-measures.md §2 and §5).

Each rewrite is a field of the call's record in knowledge/library_calls.py (the template syntax is
documented on `Rewrite` there); the call lookups below are derived from those records. Keys:
- a fully qualified function, ``"numpy.fft.rfft"``; a prefix ending in ``"."`` matches a whole module
  (the longest key wins);
- a method on a value whose type the advisor tracked, ``"PIL.Image.Image.resize"`` (see RETURN_TYPES);
- a method on any receiver, ``".lower"`` (string and dict methods, whatever the receiver is).

Random draws are not here: their TensorFlow form depends on the distribution the arguments describe
(knowledge/randomness.py).
"""

from __future__ import annotations

from tfpar_doctor.knowledge.library_calls import LIBRARY_CALLS, Rewrite, names_where

TF_NATIVE: dict[str, Rewrite] = {call.name: call.tf_native for call in LIBRARY_CALLS if call.tf_native}

# Keyword arguments a template may leave out: they say how Python decodes text, which TensorFlow's string
# ops (on bytes) do not need. Any other keyword a template has no place for keeps the call in Python.
HARMLESS_KEYWORDS: frozenset[str] = frozenset({"encoding", "errors"})

# Attributes a tensor has: any other attribute of a rewritten value (PIL's `img.size`, `img.mode`) is Python.
TENSOR_ATTRIBUTES: frozenset[str] = frozenset({"shape", "dtype", "ndim"})

# Arguments that hold the encoded bytes in memory rather than a path (select `Rewrite.from_bytes`).
IN_MEMORY_WRAPPERS: frozenset[str] = frozenset(names_where(lambda call: call.in_memory_bytes))
# Views of encoded bytes as an array (`cv2.imdecode(np.frombuffer(raw, np.uint8))`): a TensorFlow decoder
# takes the bytes themselves, so the view's own argument replaces it.
BYTE_VIEWS: frozenset[str] = frozenset(names_where(lambda call: call.bytes_view))

# The type of the value a call returns, so that methods called on it can be looked up (`img.resize`).
RETURN_TYPES: dict[str, str] = {call.name: call.returns for call in LIBRARY_CALLS if call.returns}

# Calls that are bookkeeping in a per-element body, not work to rewrite (never listed as "still Python").
NOT_WORK: frozenset[str] = frozenset(names_where(lambda call: call.bookkeeping))

# The tf.data.Dataset methods whose keyword arguments advice sets, each keyword with its positional index in
# the method's signature (None: the advice only ever passes it by keyword). Signatures:
# map(map_func, num_parallel_calls, deterministic, ..., use_unbounded_threadpool (TF 2.21+)),
# interleave(map_func, cycle_length, block_length, num_parallel_calls, deterministic),
# batch(batch_size, drop_remainder, num_parallel_calls, deterministic). Any other call gets no such edit.
DATASET_KEYWORDS: dict[str, dict[str, int | None]] = {
    "map": {"num_parallel_calls": 1, "deterministic": 2, "use_unbounded_threadpool": None},
    "interleave": {"num_parallel_calls": 3, "deterministic": 4},
    "batch": {"num_parallel_calls": 2, "deterministic": 3},
}

# What each advice kind is, shown as its heading (the keys are Finding.advice_kinds and the advisor's own).
ADVICE_TITLES: dict[str, str] = {
    "tf-native": "Rewrite the Python body with TensorFlow ops",
    "multiprocessing": "Run the Python function in a process pool",
    "thread-pool": "Lift the thread-pool cap for the I/O waits",
    "move-cache": "Move cache() before the random augmentation",
    "add-parallelism": "Ask for parallel calls",
    "tf-random": "Draw random numbers with tf.random",
    "tf-range": "Loop with tf.range instead of unrolling",
    "move-side-effect": "Move the side effect out of the traced function",
    "data-service": "Scale out with tf.data service",
    "vectorise": "Batch before the map and vectorise it",
    "keep-parallelism": "Keep the parallelism: this map scales",
    "prefetch": "End the pipeline with prefetch",
    "nondeterministic": "Let finished elements overtake slow ones",
    "move-tf-call": "Move the model or tf.function call out of the Python callback",
    "spawn-context": "Start worker processes with spawn or forkserver",
    "pydataset-workers": "Give the PyDataset workers that can run in parallel",
}

# Trace-time Python calls inside traced functions and their per-element TensorFlow counterparts (TFP001).
SIDE_EFFECT_REPLACEMENTS: dict[str, str] = {
    call.name: call.per_element for call in LIBRARY_CALLS if call.per_element
}
