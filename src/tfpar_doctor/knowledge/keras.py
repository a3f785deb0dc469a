"""What the analyzer knows about Keras and the TensorFlow runtime called from Python (TFP106, TFP201).

Names are fully qualified the way an import resolves them (`tf.keras.models.load_model` is
`tensorflow.keras.models.load_model`); a name counts when it starts with one of the prefixes.
"""

from __future__ import annotations

_KERAS_ROOTS = ("tensorflow.keras", "keras", "tf_keras", "tensorflow.python.keras")

# Calls whose result is a model or layer: calling it, or its `predict`, runs TensorFlow's runtime.
MODEL_ORIGIN_PREFIXES: tuple[str, ...] = tuple(
    f"{root}.{name}"
    for root in _KERAS_ROOTS
    for name in (
        "models.load_model",
        "saving.load_model",
        "models.Sequential",
        "models.Model",
        "Sequential",
        "Model",
        "applications.",
        "layers.",
    )
) + (
    "tensorflow.saved_model.load",
    "tensorflow.compat.v2.saved_model.load",
    "tensorflow_hub.KerasLayer",
    "tensorflow_hub.load",
    "transformers.TF",  # Hugging Face TensorFlow models: TFAutoModel, TFBertModel...
)
# Base classes of project classes whose instances are models or layers.
MODEL_BASE_PREFIXES: tuple[str, ...] = tuple(
    f"{root}.{name}" for root in _KERAS_ROOTS for name in ("Model", "models.Model", "layers.Layer", "Layer")
) + ("tensorflow.Module", "tensorflow.keras.Sequential")
# Methods of a model that run it; `__call__` is the call itself (`model(x)`).
MODEL_RUN_METHODS: frozenset[str] = frozenset(
    {"__call__", "call", "predict", "predict_on_batch", "predict_step", "evaluate", "serve", "signatures"}
)
# Methods that retrace a Keras function per call (measured: 2-16x slower per element,
# docs/processes-and-hangs.md).
RETRACING_METHODS: frozenset[str] = frozenset({"predict", "evaluate"})

# Decorators that make a function a tf.function (calling it runs a graph function).
TF_FUNCTION_DECORATORS: frozenset[str] = frozenset(
    {"tensorflow.function", "tensorflow.compat.v1.function", "tensorflow.compat.v2.function"}
)
# Builtins that iterate their argument: on a dataset each runs the tf.data runtime.
ITERATING_BUILTINS: frozenset[str] = frozenset({"iter", "list", "next", "tuple", "sum", "enumerate"})
# Dataset methods that run its iterator.
ITERATING_DATASET_METHODS: frozenset[str] = frozenset(
    {"as_numpy_iterator", "__iter__", "reduce", "get_single_element", "cardinality_and_iterate"}
)

# Keras data sources whose `__getitem__` Keras runs on a pool of `workers` (threads unless
# `use_multiprocessing=True`). Keras 3: PyDataset; Keras 2 and Keras 3's alias: Sequence.
PYDATASET_BASES: frozenset[str] = frozenset(
    {
        f"{root}.{name}"
        for root in _KERAS_ROOTS
        for name in (
            "utils.PyDataset",
            "utils.Sequence",
            "PyDataset",
            "Sequence",
            "utils.data_utils.Sequence",
            "trainers.data_adapters.py_dataset_adapter.PyDataset",
        )
    }
)
# The constructor keyword that sets the workers (Keras 3 PyDataset), and `fit`'s (Keras 2; Keras 3 dropped
# it).
WORKERS_KEYWORD = "workers"
# The fewest `workers` for which Keras starts a pool (an enqueuer) that runs `__getitem__` or the generator;
# with fewer, Keras reads the source on the thread that trains: no process forks, no thread contends.
# tf-keras and TF 2's tf.keras (engine/data_adapter.py, `_handle_multiprocessing` of GeneratorDataAdapter and
# KerasSequenceAdapter) and Keras 3 (trainers/data_adapters/py_dataset_adapter.py, PyDatasetAdapter.__init__)
# start one when `workers > 1 or (workers > 0 and use_multiprocessing)`; Keras 2.2-2.3 and TF's v1 training
# loops (`_make_enqueued_generator`) when `workers > 0`, so one thread worker there, which runs alone.
# Processes: from one worker in every version. Threads side by side: from two.
MIN_PROCESS_WORKERS = 1
MIN_THREAD_WORKERS = 2
# Methods that take a PyDataset and, in Keras 2, `workers=`/`use_multiprocessing=`, with where they take
# their data (position without `self`, keyword). Keras 2 hands `workers`/`use_multiprocessing` to the data
# adapter of each: only the generator and Sequence adapters start a pool (tf_keras engine/data_adapter.py,
# GeneratorDataAdapter and KerasSequenceAdapter `_handle_multiprocessing`); the tf.data dataset and array
# adapters take the keywords and ignore them. `fit` builds the same adapter for `validation_data`. Keras 3's
# `fit` has no such keyword: there `use_multiprocessing` is a PyDataset constructor argument.
FIT_DATA_ARGUMENTS: dict[str, tuple[tuple[int, str], ...]] = {
    "fit": ((0, "x"), (7, "validation_data")),
    "evaluate": ((0, "x"),),
    "predict": ((0, "x"),),
    "fit_generator": ((0, "generator"), (5, "validation_data")),
    "evaluate_generator": ((0, "generator"),),
    "predict_generator": ((0, "generator"),),
}
FIT_METHODS: frozenset[str] = frozenset(FIT_DATA_ARGUMENTS)
# Keras classes whose instances are Sequences (`preprocessing.image.Iterator` subclasses `utils.Sequence`),
# and the `ImageDataGenerator` methods that return one of them (`flow`, `flow_from_directory`, ...). The
# standalone `keras_preprocessing` package is where Keras 2.2-2.3 took them from.
SEQUENCE_CLASSES: tuple[str, ...] = tuple(
    f"{root}.{name}"
    for root in (*(f"{r}.preprocessing" for r in _KERAS_ROOTS), "keras_preprocessing")
    for name in (
        "sequence.TimeseriesGenerator",
        "image.Iterator",
        "image.DirectoryIterator",
        "image.NumpyArrayIterator",
        "image.DataFrameIterator",
    )
)
SEQUENCE_FACTORIES: tuple[str, ...] = tuple(
    f"{root}.image.ImageDataGenerator"
    for root in (*(f"{r}.preprocessing" for r in _KERAS_ROOTS), "keras_preprocessing")
)
SEQUENCE_FACTORY_METHODS: frozenset[str] = frozenset({"flow", "flow_from_directory", "flow_from_dataframe"})
