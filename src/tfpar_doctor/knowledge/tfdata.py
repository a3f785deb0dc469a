"""What the analyzer knows about TensorFlow's own API, as data.

Names are fully qualified the way an import resolves them (`tf.data.Dataset` is
`tensorflow.data.Dataset`). Aliases that TensorFlow exposes under several paths are listed under each.
"""

from __future__ import annotations

from tfpar_doctor.knowledge.library_calls import LIBRARY_CALLS, names_where

# Functions and classes whose call returns a tf.data dataset.
DATASET_CONSTRUCTORS: frozenset[str] = frozenset(
    {
        f"{prefix}.{name}"
        for prefix in (
            "tensorflow.data.Dataset",
            "tensorflow.compat.v1.data.Dataset",
            "tensorflow.compat.v2.data.Dataset",
            "tensorflow.python.data.ops.dataset_ops.DatasetV2",
            "tensorflow.python.data.ops.dataset_ops.Dataset",
        )
        for name in (
            "from_tensor_slices",
            "from_tensors",
            "from_generator",
            "range",
            "list_files",
            "zip",
            "sample_from_datasets",
            "choose_from_datasets",
            "load",
            "counter",
            "random",
        )
    }
    | {
        f"{prefix}.{name}"
        for prefix in ("tensorflow.data", "tensorflow.compat.v1.data", "tensorflow.compat.v2.data")
        for name in ("TFRecordDataset", "TextLineDataset", "FixedLengthRecordDataset")
    }
    | {
        f"{prefix}.{name}"
        for prefix in ("tensorflow.data.experimental", "tensorflow.compat.v1.data.experimental")
        for name in (
            "make_csv_dataset",
            "make_batched_features_dataset",
            "make_tf_record_dataset",
            "CsvDataset",
            "SqlDataset",
            "sample_from_datasets",
            "choose_from_datasets",
            "load",
            "from_variant",
            "Counter",
            "RandomDataset",
        )
    }
    | {
        f"{prefix}.{name}"
        for prefix in (
            "tensorflow.keras.utils",
            "tensorflow.keras.preprocessing",
            "keras.utils",
            "keras.preprocessing",
            "tensorflow.keras.preprocessing.image",
            "tensorflow.keras.preprocessing.text",
        )
        for name in (
            "image_dataset_from_directory",
            "text_dataset_from_directory",
            "audio_dataset_from_directory",
            "timeseries_dataset_from_array",
        )
    }
    | {
        # A dataset with `split="train"`; a list of them for a list of splits; a dict of them by split
        # without `split=`; `(that, info)` with `with_info=True`. The index reads an item or subscript of a
        # constructor's result as a dataset, so every one of these shapes is one.
        "tensorflow_datasets.load",
        "tensorflow_datasets.builder",  # builder(...).as_dataset() is handled as a method below
        "tensorflow.data.experimental.service.from_dataset_id",
        "tensorflow.data.experimental.service.distribute",
    }
)

# Constructors recognised by their last name under any TensorFlow, Keras or TFDS module path.
DATASET_CONSTRUCTOR_SUFFIXES: frozenset[str] = frozenset(
    {
        "TFRecordDataset",
        "TextLineDataset",
        "FixedLengthRecordDataset",
        "from_tensor_slices",
        "from_tensors",
        "from_generator",
        "list_files",
        "image_dataset_from_directory",
        "text_dataset_from_directory",
        "audio_dataset_from_directory",
        "timeseries_dataset_from_array",
        "make_csv_dataset",
    }
)

# Methods that take a dataset and return a dataset: a chain of these keeps the receiver a dataset.
DATASET_METHODS: frozenset[str] = frozenset(
    {
        "apply",
        "as_dataset",  # tfds builders
        "batch",
        "bucket_by_sequence_length",
        "cache",
        "concatenate",
        "enumerate",
        "filter",
        "flat_map",
        "group_by_window",
        "ignore_errors",
        "interleave",
        "map",
        "padded_batch",
        "prefetch",
        "ragged_batch",
        "rebatch",
        "rejection_resample",
        "repeat",
        "scan",
        "shard",
        "shuffle",
        "skip",
        "snapshot",
        "sparse_batch",
        "take",
        "take_while",
        "unbatch",
        "unique",
        "window",
        "with_options",
        "map_with_legacy_function",
        "filter_with_legacy_function",
    }
)

# Transformations whose function argument is traced into a graph, with the position of that argument.
TRACED_FUNCTION_ARGUMENT: dict[str, tuple[int, str]] = {
    "map": (0, "map_func"),
    "filter": (0, "predicate"),
    "flat_map": (0, "map_func"),
    "interleave": (0, "map_func"),
    "scan": (1, "scan_func"),
    "reduce": (1, "reduce_func"),
    "group_by_window": (0, "key_func"),
    "take_while": (0, "predicate"),
    "map_with_legacy_function": (0, "map_func"),
}

# Positions of num_parallel_calls for methods that accept it.
NUM_PARALLEL_CALLS_POSITION: dict[str, int] = {"map": 1, "interleave": 3}

# The transformations TFP101 looks at (others trace functions too but rarely run per-element Python).
PER_ELEMENT_TRANSFORMS: frozenset[str] = frozenset({"map", "filter", "flat_map", "interleave"})

# tf.data.experimental functions used through `.apply(...)` that wrap a mapped function and their
# parallelism keywords. They never reach Dataset.map, so they are sites of their own.
EXPERIMENTAL_MAP_FUNCTIONS: dict[str, tuple[str, ...]] = {
    f"{prefix}.{name}": keywords
    for prefix in (
        "tensorflow.data.experimental",
        "tensorflow.compat.v1.data.experimental",
        "tensorflow.contrib.data",
    )
    for name, keywords in (
        ("map_and_batch", ("num_parallel_calls", "num_parallel_batches")),
        ("parallel_interleave", ("cycle_length",)),
    )
}

# Dataset constructors whose function argument runs as ordinary Python, one call per element: the generator
# of `from_generator` is never traced, even when `from_generator` is called inside a traced function.
GENERATOR_SOURCES: frozenset[str] = frozenset(
    q for q in DATASET_CONSTRUCTORS if q.endswith(".from_generator")
)

# Dataset calls that are not methods of a dataset: sites of their own.
FREE_SITE_FUNCTIONS: frozenset[str] = (
    frozenset(q for q in DATASET_CONSTRUCTORS if q.endswith(".from_generator"))
    | frozenset(EXPERIMENTAL_MAP_FUNCTIONS)
    | frozenset(
        f"{prefix}.experimental.service.{name}"
        for prefix in ("tensorflow.data", "tensorflow.compat.v1.data")
        for name in ("distribute", "register_dataset")
    )
)

# Keywords that only tf.data transformations take (among `.map`-like methods in common libraries).
TFDATA_ONLY_KEYWORDS: frozenset[str] = frozenset(
    {"num_parallel_calls", "deterministic", "use_unbounded_threadpool", "block_length", "cycle_length"}
)

AUTOTUNE_NAMES: frozenset[str] = frozenset(
    {
        "tensorflow.data.AUTOTUNE",
        "tensorflow.data.experimental.AUTOTUNE",
        "tensorflow.compat.v1.data.AUTOTUNE",
        "tensorflow.compat.v1.data.experimental.AUTOTUNE",
        "tensorflow.compat.v2.data.AUTOTUNE",
        "tensorflow.compat.v2.data.experimental.AUTOTUNE",
        "tensorflow.contrib.data.AUTOTUNE",
    }
)

# Wrappers that run a Python function once per element, holding the GIL while Python runs.
# Value: (position of the function argument, its keyword).
PYTHON_CALLBACKS: dict[str, tuple[int, str]] = {
    "tensorflow.py_function": (0, "func"),
    "tensorflow.numpy_function": (0, "func"),
    "tensorflow.py_func": (0, "func"),
    "tensorflow.compat.v1.py_func": (0, "func"),
    "tensorflow.compat.v1.py_function": (0, "func"),
    "tensorflow.compat.v1.numpy_function": (0, "func"),
    "tensorflow.compat.v2.py_function": (0, "func"),
    "tensorflow.compat.v2.numpy_function": (0, "func"),
    "tensorflow.experimental.numpy_function": (0, "func"),
    "tensorflow.contrib.eager.py_func": (0, "func"),
    # TensorFlow's own modules call the implementations directly.
    "tensorflow.python.ops.script_ops.eager_py_func": (0, "func"),
    "tensorflow.python.ops.script_ops.py_func": (0, "func"),
    "tensorflow.python.ops.script_ops.numpy_function": (0, "func"),
    "tensorflow.python.ops.script_ops.py_func_common": (0, "func"),
}
# Where every one of PYTHON_CALLBACKS takes the arguments it passes its function: `inp`, after `func`.
PYTHON_CALLBACK_INPUTS: tuple[int, str] = (1, "inp")

# Wrappers that return their function argument unchanged for our purposes (still traced).
TRANSPARENT_WRAPPERS: dict[str, int] = {
    "functools.partial": 0,
    # `import tensorflow.compat.v1 as tf` (TF1-style code on TF2) reaches the same wrappers under compat
    # names.
    **{
        f"{prefix}{name}": 0
        for prefix in ("tensorflow.", "tensorflow.compat.v1.", "tensorflow.compat.v2.")
        for name in (
            "function",
            "autograph.experimental.do_not_convert",
            "autograph.do_not_convert",
            "autograph.to_graph",
        )
    },
}

# Decorators that mean "this function is traced" (same as a plain map function).
TRACING_DECORATORS: frozenset[str] = frozenset(
    {
        "tensorflow.function",
        "tensorflow.compat.v1.function",
        "tensorflow.autograph.experimental.do_not_convert",
        "tensorflow.autograph.do_not_convert",
    }
)

# Decorators that leave a function traced as written. Any other decorator from outside the project
# makes its function opaque to the trace-time rules (it may run it eagerly, per element, or not at all).
KNOWN_DECORATORS: tuple[str, ...] = (
    "tensorflow.function",
    "tensorflow.compat.v1.function",
    "tensorflow.autograph.",
    "tensorflow.keras.utils.register_keras_serializable",
    "keras.saving.register_keras_serializable",
    "staticmethod",
    "classmethod",
    "property",
    "functools.wraps",
    "functools.lru_cache",
    "functools.cache",
    "abc.abstractmethod",
    "typing.",
    "gin.configurable",
)

# Stateful ops: a map using them cannot be parallelised by map_parallelization.
STATEFUL_PREFIXES: tuple[str, ...] = (
    "tensorflow.random.uniform",
    "tensorflow.random.normal",
    "tensorflow.random.truncated_normal",
    "tensorflow.random.shuffle",
    "tensorflow.random.categorical",
    "tensorflow.random.gamma",
    "tensorflow.random.poisson",
    "tensorflow.random.uniform_candidate_sampler",
    "tensorflow.random.Generator",
    "tensorflow.random.get_global_generator",
    "tensorflow.random_uniform",
    "tensorflow.random_normal",
    "tensorflow.random_crop",
    "tensorflow.random_shuffle",
    "tensorflow.compat.v1.random_uniform",
    "tensorflow.compat.v1.random_normal",
    "tensorflow.compat.v1.random_crop",
    "tensorflow.compat.v1.random.uniform",
    "tensorflow.compat.v1.random.normal",
    "tensorflow.image.random_",
    "tensorflow.compat.v1.image.random_",
    "tensorflow.Variable",
    "tensorflow.compat.v1.Variable",
    "tensorflow.compat.v1.get_variable",
    "tensorflow.keras.layers.Random",
    "keras.layers.Random",
)
STATELESS_MARKERS: tuple[str, ...] = ("stateless_",)

# Keras preprocessing layers that draw per call (stateful RNG), and containers that may hold them.
KERAS_RANDOM_LAYERS: tuple[str, ...] = tuple(
    f"{prefix}.Random"
    for prefix in (
        "tensorflow.keras.layers",
        "keras.layers",
        "tensorflow.keras.layers.experimental.preprocessing",
        "keras.layers.experimental.preprocessing",
        "tf_keras.layers",
    )
)
KERAS_CONTAINERS: tuple[str, ...] = (
    "tensorflow.keras.Sequential",
    "tensorflow.keras.models.Sequential",
    "keras.Sequential",
    "keras.models.Sequential",
    "tf_keras.Sequential",
)

# Random ops whose values differ per element (TFP005 looks for these before a cache()).
TF_RANDOM_PREFIXES: tuple[str, ...] = tuple(
    p for p in STATEFUL_PREFIXES if "Variable" not in p and "get_variable" not in p
) + ("tensorflow.image.stateless_random_", "tensorflow.random.stateless_", "tensorflow.keras.layers.Random")

# tf.data.Options attributes whose setting the rules care about.
# Lifts the per-iterator thread-pool cap (docs/how-check-decides.md, fact 3).
PRIVATE_THREADPOOL = "private-threadpool"
NONDETERMINISTIC = "nondeterministic"  # options.deterministic = False
NO_MAP_PARALLELIZATION = "no-map-parallelization"  # experimental_optimization.map_parallelization = False
UNBOUNDED_THREADPOOL_KEYWORD = "use_unbounded_threadpool"


def option_setting(attribute: str, value: object, constant: bool) -> str | None:
    """The setting an assignment `<options path>.<attribute> = value` makes, if one we track.

    `constant` says whether the value is a literal; a non-literal pool size still counts as set.
    """
    if attribute == "private_threadpool_size":
        return PRIVATE_THREADPOOL if not constant or (isinstance(value, int) and value > 0) else None
    if attribute in ("deterministic", "experimental_deterministic") and constant and value is False:
        return NONDETERMINISTIC
    if attribute == "map_parallelization" and constant and value is False:
        return NO_MAP_PARALLELIZATION
    return None


# tf.data service entry points (TFP301).
SERVICE_FUNCTIONS: frozenset[str] = frozenset(
    {
        "tensorflow.data.experimental.service.distribute",
        "tensorflow.data.experimental.service.register_dataset",
        "tensorflow.compat.v1.data.experimental.service.distribute",
        "tensorflow.compat.v1.data.experimental.service.register_dataset",
    }
)

# Python-side logging modules: calls through them run once at trace time inside a traced function.
LOGGING_MODULES: tuple[str, ...] = (
    "logging",
    "absl.logging",
    "tensorflow.compat.v1.logging",
    "tensorflow.logging",
    "loguru.logger",
)
LOGGER_FACTORIES: frozenset[str] = frozenset({"logging.getLogger", "tensorflow.get_logger"})
LOGGER_METHODS: frozenset[str] = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "fatal", "vlog"}
)

# Calls whose Python side effect happens once at trace time in a traced function (TFP001), with the
# message: fields of their records in knowledge/library_calls.py.
TRACE_TIME_SIDE_EFFECTS: dict[str, str] = {
    call.name: call.trace_time for call in LIBRARY_CALLS if call.trace_time
}
# Calls in TRACE_TIME_SIDE_EFFECTS that only show a message: reported only when an argument is a value
# computed from the element (a placeholder is printed once instead of each value); configuration, constants
# and static shapes printed once at trace time are what the author wants.
MESSAGE_CALLS: frozenset[str] = frozenset(names_where(lambda call: call.message_only))
# Modules every call of which, inside a traced function, runs once at trace time: the stdlib and NumPy random
# generators (one value for every element, TFP002). The probe watches these, LOGGING_MODULES and the calls of
# TRACE_TIME_SIDE_EFFECTS while a user function is traced (probe/intercept.py).
TRACE_TIME_RANDOM_MODULES: tuple[str, ...] = ("random", "numpy.random")
# Calls (or module prefixes) that change state outside the function: a file operation, a subprocess.
SIDE_EFFECT_MODULE_PREFIXES: dict[str, str] = {
    call.name: call.outer_effect for call in LIBRARY_CALLS if call.outer_effect
}

# Container methods that mutate their receiver.
MUTATING_METHODS: frozenset[str] = frozenset(
    {
        "append",
        "extend",
        "insert",
        "add",
        "update",
        "setdefault",
        "pop",
        "popitem",
        "remove",
        "clear",
        "discard",
        "appendleft",
        "extendleft",
    }
)
