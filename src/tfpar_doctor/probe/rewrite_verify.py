"""Check a complete tf-native rewrite against the user's function on the same recorded inputs.

The comparison is pure NumPy so it can be tested without TensorFlow; the caller (the probe child)
converts tensors with `.numpy()` before handing outputs over. Integers, strings and bytes must match
exactly; floats within `numpy.allclose`; shapes and dtypes kinds must agree too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

MIN_ELEMENTS = 100  # verify on at least this many elements when the dataset has them
_REPR_LIMIT = 80  # characters of a value quoted in a one-line difference


@dataclass(frozen=True, slots=True)
class Verification:
    """What running the rewrite on the site's own inputs showed (one per site, in the results file)."""

    function_name: str
    elements: int = 0
    same_outputs: bool = False
    first_difference: str = ""  # "element 17: expected ..., got ..." when outputs differ
    speedup: float | None = None  # tf-native rate / original rate, same elements
    error: str = ""  # one line: why it was not verified (sketch, plan raised, op missing)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _REPR_LIMIT else text[: _REPR_LIMIT - 3] + "..."


def _as_array(value: Any) -> np.ndarray:
    if hasattr(value, "numpy"):  # an EagerTensor handed over unconverted
        value = value.numpy()
    return np.asarray(value)


def _compare_arrays(expected: Any, got: Any) -> str:
    want, have = _as_array(expected), _as_array(got)
    if want.shape != have.shape:
        return f"shape {want.shape} expected, got {have.shape}"
    floats = want.dtype.kind in "fc" or have.dtype.kind in "fc"
    if floats:
        if want.dtype.kind not in "fciub" or have.dtype.kind not in "fciub":
            return f"dtype {want.dtype} expected, got {have.dtype}"
        same = bool(np.allclose(want, have, equal_nan=True))
    else:
        if _kind(want) != _kind(have):
            return f"dtype {want.dtype} expected, got {have.dtype}"
        same = bool(np.array_equal(_text(want), _text(have)))
    return "" if same else f"expected {_short(expected)}, got {_short(got)}"


def _kind(array: np.ndarray) -> str:
    # str and bytes compare as text: tf.string hands back bytes where Python code returned str
    if array.dtype.kind in "USO":
        return "text"
    return "bool" if array.dtype.kind == "b" else "int"


def _text(array: np.ndarray) -> np.ndarray:
    if array.dtype.kind not in "USO":
        return array
    decode = np.vectorize(lambda v: v.decode() if isinstance(v, bytes) else str(v), otypes=[object])
    return decode(array) if array.size else array.astype(object)


def difference(expected: Any, got: Any) -> str:
    """Empty when `got` matches `expected` (nested tuples, lists and dicts), else a one-line reason."""
    if isinstance(expected, Mapping):
        if not isinstance(got, Mapping) or set(expected) != set(got):
            return f"keys {sorted(map(str, expected))} expected, got {_short(got)}"
        for key in expected:
            found = difference(expected[key], got[key])
            if found:
                return f"[{key!r}] {found}"
        return ""
    if isinstance(expected, list) and isinstance(got, np.ndarray):
        return _compare_arrays(expected, got)  # a Python list comes back from TensorFlow as one tensor
    if isinstance(expected, tuple | list):
        if not isinstance(got, Sequence) or isinstance(got, str | bytes) or len(got) != len(expected):
            return f"{len(expected)} outputs expected, got {_short(got)}"
        for index, (want, have) in enumerate(zip(expected, got, strict=True)):
            found = difference(want, have)
            if found:
                return f"[{index}] {found}"
        return ""
    return _compare_arrays(expected, got)


def compare(expected: Sequence[Any], got: Sequence[Any]) -> tuple[bool, str]:
    """Element by element; the first differing element is named (0-based, in recording order)."""
    for index, (want, have) in enumerate(zip(expected, got, strict=True)):
        found = difference(want, have)
        if found:
            return False, f"element {index}: {found}"
    return True, ""


def load_function(source: str, name: str, namespace: dict[str, Any]) -> Callable[..., Any]:
    """Exec the plan's `def <name>_tf` in `namespace` (which holds `tf` and the plan's imports)."""
    exec(compile(source, f"<tf-native {name}>", "exec"), namespace)  # noqa: S102 - our own generated code
    function = namespace.get(name)
    if not callable(function):
        raise ValueError(f"the rewrite does not define {name}")
    return function


def rate(run: Callable[[], int]) -> float:
    """Elements per second of one pass of `run` (which returns how many elements it processed)."""
    start = time.perf_counter()
    count = run()
    elapsed = time.perf_counter() - start
    return count / elapsed if elapsed > 0 else float("inf")


def one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")


def summary(verification: Verification) -> str:
    """The sentence the terminal and the report print next to the tf-native rewrite."""
    if verification.error:
        return f"not verified: {verification.error}"
    if not verification.same_outputs:
        return f"outputs differ at {verification.first_difference} (not a drop-in replacement)"
    text = f"same outputs on {verification.elements} elements"
    if verification.speedup is not None:
        text += f", {verification.speedup:.1f}x faster" if verification.speedup >= 1 else (
            f", {1 / verification.speedup:.1f}x slower")
    return text


def as_record(verification: Verification) -> dict[str, Any]:
    """The site's `verification` record in the results file."""
    return asdict(verification)


def from_record(record: dict[str, Any]) -> Verification:
    return Verification(**record)


SKETCH = Verification(function_name="", error="the rewrite is a sketch")


def _dataset(tf: Any, inputs: Sequence[tuple[Any, ...]]) -> Any:
    """The recorded inputs as a tf.data source; variable shapes get a generator with unknown dims."""
    columns = tuple(list(column) for column in zip(*inputs, strict=True))
    try:
        return tf.data.Dataset.from_tensor_slices(columns)
    except (ValueError, TypeError, tf.errors.InvalidArgumentError):
        first = [tf.convert_to_tensor(value) for value in inputs[0]]
        signature = tuple(tf.TensorSpec([None] * t.shape.rank, t.dtype) for t in first)
        return tf.data.Dataset.from_generator(lambda: iter(inputs), output_signature=signature)


def _pipeline_rate(tf: Any, original: Callable[..., Any], inputs: Sequence[tuple[Any, ...]],
                   first: Any) -> float | None:
    """Elements per second of `original` mapped over the inputs through tf.numpy_function (after a pass
    that starts the pipeline); None when its outputs do not pass through numpy_function as they are."""
    try:
        tout = [tf.convert_to_tensor(value).dtype for value in tf.nest.flatten(first)]

        def call(*args: Any) -> list[np.ndarray]:
            return [np.asarray(value) for value in tf.nest.flatten(original(*args))]

        mapped = _dataset(tf, inputs).map(lambda *a: tf.numpy_function(call, list(a), tout),
                                          num_parallel_calls=tf.data.AUTOTUNE)
        sum(1 for _ in mapped)
        return rate(lambda: sum(1 for _ in mapped))
    except Exception:  # noqa: BLE001 - str outputs, ragged values: the direct call's rate is used instead
        return None


def verify(tf: Any, original: Callable[..., Any], source: str, name: str,
           inputs: Sequence[tuple[Any, ...]]) -> Verification:
    """Run both functions on the same recorded inputs; never raises (errors become one line)."""
    if not inputs:
        return Verification(function_name=name, error="no recorded inputs for this site")
    try:
        rewrite = load_function(source, name, {"tf": tf, "np": np})
        expected = [original(*args) for args in inputs]
        got = [tf.nest.map_structure(_as_array, rewrite(*args)) for args in inputs]
        same, first = compare(expected, got)
        # as written, same elements: inside tf.data behind the numpy_function hop, as the user's map runs it
        # (called directly, a microsecond body looks hundreds of times faster than any tf.data map)
        original_rate = _pipeline_rate(tf, original, inputs, expected[0]) or rate(
            lambda: len([original(*args) for args in inputs]))
        # plain TF ops, no Python control flow to convert (and exec'd code has no source for autograph)
        plain = tf.autograph.experimental.do_not_convert(rewrite)
        mapped = _dataset(tf, inputs).map(plain, num_parallel_calls=tf.data.AUTOTUNE)
        sum(1 for _ in mapped)  # the first pass traces the function: the user pays that once, not per element
        native_rate = rate(lambda: sum(1 for _ in mapped))
    except Exception as error:  # the plan raised, a TF op is missing, shapes do not fit: one line
        return Verification(function_name=name, elements=len(inputs), error=one_line(error))
    return Verification(function_name=name, elements=len(inputs), same_outputs=same, first_difference=first,
                        speedup=native_rate / original_rate if original_rate else None)


def verify_site(tf: Any, function: Any, inputs: Sequence[tuple[Any, ...]], eager: bool) -> Verification:
    """A probed site's Python function against its tf-native plan, on the inputs the probe recorded.

    `eager`: the function is a py_function's, so it is called as tf.py_function would (values with
    `.numpy()`); a numpy_function's gets NumPy values. Sketches are never run. Never raises: whatever fails
    before the run starts (reading the source, building the plan) is the verification's error too, so
    `probe --verify-rewrite` still finishes with every site's measurements."""
    try:
        return _plan_and_verify(tf, function, inputs, eager)
    except Exception as error:  # the plan's builder met a body it does not handle: one line, not a crash
        name = getattr(function, "__name__", "") or ""
        return Verification(function_name=name, error=f"the rewrite could not be built: {one_line(error)}")


def _plan_and_verify(tf: Any, function: Any, inputs: Sequence[tuple[Any, ...]], eager: bool) -> Verification:
    import inspect

    from tfpar_doctor.advice import tf_native
    from tfpar_doctor.advice.source import load_function as load_source
    from tfpar_doctor.probe import mpworker

    try:
        path = inspect.getsourcefile(function) or ""
    except TypeError:
        path = ""
    source = load_source(f"{path}:{getattr(function, '__qualname__', '')}") if path else None
    if source is None:
        return Verification(function_name="", error="the function's source was not found")
    native = tf_native.plan(source)
    if not native.complete:
        return Verification(function_name=native.function_name, error="the rewrite is a sketch")
    def original(*args: Any) -> Any:
        return function(*(mpworker.wrap(a, eager) for a in args))

    return verify(tf, original, native.function, native.function_name, list(inputs))
