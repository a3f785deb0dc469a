"""How Python calls behave under the GIL when they run once per element (inside py_function & co).

The facts about each library call (its class, whether it waits or decodes, its randomness) are records in
knowledge/library_calls.py; the lookups the analyzer uses are derived from them here, next to the names
whose library cannot be seen at the call (methods on any receiver, builtins, NumPy attribute names).
Keys are fully qualified names or prefixes ending in ".": the longest match wins.
"""

from __future__ import annotations

from tfpar_doctor.knowledge.library_calls import LIBRARY_CALLS, Randomness, names_where
from tfpar_doctor.model import BodyClass

CALL_CLASSES: dict[str, BodyClass] = {call.name: call.cost for call in LIBRARY_CALLS if call.cost is not None}

# Within GIL-releasing calls, the two that decide between `io` and `native` when both appear:
# waits (sleeps, network) want many calls in flight; decoders dominate the file read that feeds them.
WAIT_PREFIXES: tuple[str, ...] = names_where(lambda call: call.waits)
HEAVY_NATIVE_PREFIXES: tuple[str, ...] = names_where(lambda call: call.decodes)

# Method names that wait on storage or the network whatever object they are called on (the object often
# arrives as a parameter, so its library cannot be seen): boto3 clients, urllib openers, sockets.
WAIT_METHODS: frozenset[str] = frozenset(
    {
        "get_object",
        "download_file",
        "download_fileobj",
        "download_blob",
        "download_as_bytes",
        "download_as_string",
        "urlopen",
        "recv",
        "recv_into",
    }
)

# Methods of Python builtin types (str, list, dict, bytes) that run as pure Python per call.
STRING_METHODS: frozenset[str] = frozenset(
    {
        "split",
        "rsplit",
        "splitlines",
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "casefold",
        "replace",
        "join",
        "startswith",
        "endswith",
        "find",
        "rfind",
        "format",
        "encode",
        "decode",
        "partition",
        "translate",
        "isalpha",
        "isdigit",
        "isspace",
        "title",
        "capitalize",
        "zfill",
    }
)

# Methods that are cheap bookkeeping on tensors, arrays and containers: they decide nothing.
CHEAP_METHODS: frozenset[str] = frozenset(
    {
        "numpy",
        "append",
        "extend",
        "get",
        "items",
        "keys",
        "values",
        "copy",
        "reshape",
        "astype",
        "tolist",
        "item",
        "pop",
        "update",
        "setdefault",
        "add",
        "insert",
        "index",
        "count",
        "flatten",
        "ravel",
        "squeeze",
        "transpose",
        "set_shape",
        "decode",
        "encode",
        "close",
        "seek",
        "tell",
        "__enter__",
        "__exit__",
        "get_shape",
        "view",
    }
)

# Builtins that are cheap bookkeeping: they never make a body CPU-bound on their own.
TRIVIAL_BUILTINS: frozenset[str] = frozenset(
    {
        "len",
        "range",
        "enumerate",
        "zip",
        "isinstance",
        "int",
        "float",
        "str",
        "bool",
        "bytes",
        "list",
        "tuple",
        "dict",
        "set",
        "frozenset",
        "min",
        "max",
        "abs",
        "round",
        "print",
        "iter",
        "next",
        "getattr",
        "setattr",
        "hasattr",
        "type",
        "super",
        "repr",
        "id",
        "object",
        "reversed",
        "sorted",
        "sum",
        "any",
        "all",
        "divmod",
        "hash",
        "format",
        "vars",
        "callable",
    }
)

# Array constructors that fill memory and return: per-element cost that neither holds the GIL for long nor
# waits on anything. They are not "work" in a generator (yielding `np.zeros(16)` is yielding a stored item)
# and no evidence either way for a py_function body.
ARRAY_ALLOCATIONS: frozenset[str] = frozenset(names_where(lambda call: call.allocates))

# Random draws that pick indices or reorder items (NumPy and `random` names alike): a generator that draws
# them and yields stored items does no per-element work (docs/how-check-decides.md, reading 3), whatever
# their size.
INDEX_DRAWS: frozenset[str] = frozenset(
    {
        "randint",
        "integers",
        "choice",
        "permutation",
        "permuted",
        "shuffle",
        "random_integers",
        "randrange",
        "sample",
    }
)

# Python randomness: a traced function that calls these draws once, at trace time (TFP002).
PYTHON_RANDOM_PREFIXES: tuple[str, ...] = names_where(lambda call: call.random is Randomness.DRAWS)
RANDOM_GENERATOR_FACTORIES: frozenset[str] = frozenset(
    names_where(lambda call: call.random is Randomness.MAKES_GENERATOR)
)
# Augmentation libraries that randomise on every call (TFP005 inside py_function bodies).
RANDOM_AUGMENTATION_PREFIXES: tuple[str, ...] = names_where(lambda call: call.random is Randomness.AUGMENTS)

# NumPy names that are constants or dtypes, not functions applied to data (TFP003 must not fire).
NUMPY_NON_FUNCTIONS: frozenset[str] = frozenset(
    {
        "float16",
        "float32",
        "float64",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "bool_",
        "complex64",
        "complex128",
        "pi",
        "e",
        "inf",
        "nan",
        "newaxis",
        "dtype",
        "finfo",
        "iinfo",
        "float_",
        "int_",
        "object_",
        "str_",
        "bytes_",
        "ndarray",
    }
)
NUMPY_MODULES: tuple[str, ...] = ("numpy.",)


def classify_call(qualified_name: str) -> BodyClass | None:
    """The class of a call by its fully qualified name, by the longest matching key, or None."""
    best: tuple[int, BodyClass] | None = None
    for key, kind in CALL_CLASSES.items():
        matches = qualified_name == key or (key.endswith(".") and qualified_name.startswith(key))
        if matches and (best is None or len(key) > best[0]):
            best = (len(key), kind)
    return best[1] if best else None


def matches_prefix(qualified_name: str, prefixes: tuple[str, ...]) -> bool:
    return any(qualified_name == p or qualified_name.startswith(p) for p in prefixes)
