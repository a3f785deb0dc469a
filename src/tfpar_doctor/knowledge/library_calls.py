"""One record per library call: everything the analyzer and the advisor know about it, as data.

A record's `name` is a fully qualified function or class (``"numpy.load"``), a module prefix ending in
``"."`` that covers every call under it (``"numpy."``; the longest matching name wins), a method of a type
the advisor tracks (``"PIL.Image.Image.resize"``, see `returns`), or a method on any receiver
(``".lower"``). Every other table about library calls (`python_calls.CALL_CLASSES`, `WAIT_PREFIXES`,
`rewrites.TF_NATIVE`, `RETURN_TYPES`, `tfdata.TRACE_TIME_SIDE_EFFECTS` ...) is derived from these records,
so a call's facts are reviewed, and changed, in one place.

What the fields mean:
- `cost`: how the call behaves under the GIL when it runs once per element (docs/how-check-decides.md,
  fact 2): pure-Python work holds the GIL (`cpu`), waits on files, sockets and sleeps release it (`io`),
  array kernels release it for the bulk of their work (`native`). None: the call decides nothing.
- `waits` (sleeps, network) and `decodes` (image, audio and medical decoders) settle `io` against `native`
  when a body has both: waits want many calls in flight; a decoder dominates the file read that feeds it.
- `allocates`: an array constructor that fills memory and returns; neither work nor a wait.
- `random`: draws random numbers, makes a generator, or randomises an augmentation on every call.
- `tf_native`: the traced TensorFlow op that replaces the call (see `Rewrite`). Random draws are not here:
  their TensorFlow form depends on the distribution the arguments describe, see `draw`.
- `draw`: the distribution a random call draws from and its parameters (see `RandomCall`); the advisor
  (advice/randomness.py) writes the tf.random call with the same distribution from it. Whether a call
  draws at all is its module's `random` (``"numpy.random."``); `draw` only adds the distribution.
- `returns`: the type of the value the call returns, so that methods called on it can be looked up.
- `in_memory_bytes` / `bytes_view`: the call wraps encoded bytes in memory (a decoder then takes the bytes,
  not a path) or views them as an array (the view's own argument replaces it).
- `bookkeeping`: never listed as Python work left to rewrite.
- `trace_time`: what the call does in a traced function, where it runs once at trace time (TFP001);
  `message_only` calls only show a message and are reported only for a value computed from the element;
  `per_element` is the TensorFlow call that does it for every element.
- `outer_effect`: the state outside the function it changes (a file operation, a subprocess).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from tfpar_doctor.model import BodyClass

CPU, IO, NATIVE = BodyClass.CPU, BodyClass.IO, BodyClass.NATIVE


@dataclass(frozen=True, slots=True)
class Rewrite:
    """A traced TensorFlow replacement for a call, as a template the advisor fills from the user's call.

    Templates are Python expressions. Placeholders: ``{0}``, ``{1}``... the call's positional arguments as
    the user wrote them, ``{self}`` the receiver of a method call, ``{name}`` the called attribute,
    ``{pattern}`` the pattern a compiled regex was built from, ``{not_pattern}`` its complement when the
    advisor can write it, ``{dtype}`` the call's ``dtype=`` argument (``with_dtype`` templates). A template
    whose placeholders the call cannot fill falls back to ``example``.
    """

    category: str  # "image", "audio", "file", "string", "parse", "math", "random"
    template: str  # the replacement expression
    example: str  # the replacement with generic names, used when the template cannot be filled
    note: str = ""  # what differs and must be checked (argument order, formats, semantics)
    # Used instead of `template` when the first argument is in-memory bytes (`io.BytesIO(raw)`), not a path.
    from_bytes: str = ""
    # Used instead of `template` when the call passes `dtype=` (a tensor changes dtype with tf.cast).
    with_dtype: str = ""
    # The template is already the call's replacement, written for it (a random draw): no placeholders.
    literal: bool = False
    # False when the replacement cannot read the user's data as it is (np.load of a .npy file, a pickle):
    # the files must be converted first, so a function using it is a sketch, never a drop-in rewrite.
    drop_in: bool = True


IMAGE, AUDIO, FILE, STRING, PARSE, MATH = "image", "audio", "file", "string", "parse", "math"
RANDOM = "random"


class Randomness(str, Enum):
    DRAWS = "draws"  # a module of random draws: in a traced function they run once (TFP002)
    MAKES_GENERATOR = "makes-generator"  # builds a generator whose methods draw
    AUGMENTS = "augments"  # an augmentation library that randomises on every call (TFP005)


@dataclass(frozen=True, slots=True)
class RandomCall:
    """The distribution of a Python or NumPy random draw, with the library's parameters in positional order
    (to bind the user's arguments by position or keyword).

    Distributions (`kind`):
    - "uniform": floats in [low, high); params `low`, `high`, `size`.
    - "normal": params `loc`, `scale`, `size` (NumPy's names; Python's gauss(mu, sigma) is bound to them).
    - "integers": ints in [low, high); a missing `high` means [0, low) (NumPy's randint, Python's randrange).
      `inclusive` entries include `high` (Python's randint(a, b), Generator.integers(..., endpoint=True)).
    - "choice": one element (or index) of `a`, with `size`, `replace` and probabilities `p`.
    - "sample": Python's random.sample(a, k): `size` distinct elements of `a`.
    - "permutation": a shuffled copy of `x` (or of range(x) for an int).
    - "poisson", "gamma", "exponential": NumPy's parameters (`scale` is TensorFlow's 1 / beta);
      "expovariate": Python's, with the rate `lambd`.
    - "dims": `rand(d0, d1, ...)`/`randn(...)`: the shape is the positional arguments; `base` is
      "uniform" or "normal".
    """

    kind: str
    params: tuple[str, ...]  # the library's parameter names, in positional order
    inclusive: bool = False  # "integers": the upper bound is drawn too
    int_dtype: str = "tf.int64"  # "integers"/"choice" of an int: NumPy draws int64
    base: str = ""  # "dims": "uniform" or "normal"


@dataclass(frozen=True, slots=True)
class LibraryCall:
    name: str
    cost: BodyClass | None = None
    waits: bool = False
    decodes: bool = False
    allocates: bool = False
    random: Randomness | None = None
    returns: str = ""
    in_memory_bytes: bool = False
    bytes_view: bool = False
    bookkeeping: bool = False
    trace_time: str = ""
    message_only: bool = False
    per_element: str = ""
    outer_effect: str = ""
    tf_native: Rewrite | None = None
    draw: RandomCall | None = None


_UNIFORM = RandomCall("uniform", ("low", "high", "size"))
_UNIT = RandomCall("uniform", ("size",))  # random(size): floats in [0, 1)
# What NumPy's legacy module functions (and RandomState) and numpy.random.Generator spell the same way.
_NUMPY_DRAWS: dict[str, RandomCall] = {
    "uniform": _UNIFORM,
    "normal": RandomCall("normal", ("loc", "scale", "size")),
    "choice": RandomCall("choice", ("a", "size", "replace", "p")),
    "permutation": RandomCall("permutation", ("x",)),
    "poisson": RandomCall("poisson", ("lam", "size")),
    "gamma": RandomCall("gamma", ("shape", "scale", "size")),
    "exponential": RandomCall("exponential", ("scale", "size")),
    "random": _UNIT,
    "standard_normal": RandomCall("normal", ("size",)),
}
# NumPy's legacy module functions and the same methods of a RandomState.
_NUMPY_LEGACY_DRAWS: dict[str, RandomCall] = {
    **_NUMPY_DRAWS,
    "randint": RandomCall("integers", ("low", "high", "size", "dtype")),
    "random_integers": RandomCall("integers", ("low", "high", "size"), inclusive=True),
    "random_sample": _UNIT,
    "ranf": _UNIT,
    "sample": _UNIT,
    "rand": RandomCall("dims", (), base="uniform"),
    "randn": RandomCall("dims", (), base="normal"),
}
# numpy.random.Generator (default_rng()).
_NUMPY_GENERATOR_DRAWS: dict[str, RandomCall] = {
    **_NUMPY_DRAWS,
    "integers": RandomCall("integers", ("low", "high", "size", "dtype", "endpoint")),
}
# Python's random module and the same methods of a random.Random.
_PYTHON_DRAWS: dict[str, RandomCall] = {
    "random": RandomCall("uniform", ()),
    "uniform": RandomCall("uniform", ("low", "high")),
    "gauss": RandomCall("normal", ("loc", "scale")),
    "normalvariate": RandomCall("normal", ("loc", "scale")),
    "randint": RandomCall("integers", ("low", "high"), inclusive=True, int_dtype="tf.int32"),
    "randrange": RandomCall("integers", ("low", "high", "step"), int_dtype="tf.int32"),
    "choice": RandomCall("choice", ("a",), int_dtype="tf.int32"),
    "sample": RandomCall("sample", ("a", "size"), int_dtype="tf.int32"),
    "expovariate": RandomCall("expovariate", ("lambd",)),
}


def _draws(prefix: str, draws: dict[str, RandomCall]) -> tuple[LibraryCall, ...]:
    """One record per random call under `prefix` (a module, or a generator type whose methods draw): the
    module functions and the generator's methods share their parameters, so they share the table."""
    return tuple(LibraryCall(prefix + name, draw=draw) for name, draw in draws.items())


_DECODE = "tf.io.decode_image(tf.io.read_file({0}), channels=3, expand_animations=False)"
_DECODE_BYTES = "tf.io.decode_image({0}, channels=3, expand_animations=False)"
_OPEN_ONCE = "open() runs once at trace time, not per element (use tf.io.read_file)"
_NUMPY_SCALARS: dict[str, str] = {
    **{
        name: f"tf.{name}"
        for name in ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16")
    },
    "bool_": "tf.bool",
}

LIBRARY_CALLS: tuple[LibraryCall, ...] = (
    # --- Python builtins and the standard library -------------------------------------------------
    LibraryCall("abs", bookkeeping=True),
    LibraryCall("bool", bookkeeping=True),
    LibraryCall("bytes", bookkeeping=True),
    LibraryCall("dict", bookkeeping=True),
    LibraryCall("enumerate", bookkeeping=True),
    LibraryCall("float", bookkeeping=True),
    LibraryCall("int", bookkeeping=True),
    LibraryCall("isinstance", bookkeeping=True),
    LibraryCall("len", bookkeeping=True),
    LibraryCall("list", bookkeeping=True),
    LibraryCall("max", bookkeeping=True),
    LibraryCall("min", bookkeeping=True),
    LibraryCall(
        "open",
        IO,
        trace_time=_OPEN_ONCE,
        per_element="tf.io.read_file",
        tf_native=Rewrite(
            FILE,
            "tf.io.read_file({0})",
            "tf.io.read_file(path)",
            "read_file returns the whole file as one tf.string",
        ),
    ),
    LibraryCall(
        "print",
        bookkeeping=True,
        trace_time="print() of a value of the element writes one placeholder at trace time, not each value "
                   "(use tf.print)",
        message_only=True,
        per_element="tf.print",
    ),
    LibraryCall("range", bookkeeping=True),
    LibraryCall("reversed", bookkeeping=True),
    LibraryCall("sorted", bookkeeping=True),
    LibraryCall("str", bookkeeping=True),
    LibraryCall("sum", bookkeeping=True),
    LibraryCall("tuple", bookkeeping=True),
    LibraryCall("zip", bookkeeping=True),
    LibraryCall(
        "io.BytesIO",
        NATIVE,
        in_memory_bytes=True,
        tf_native=Rewrite(FILE, "{0}", "raw", "TensorFlow decoders take the encoded bytes directly"),
    ),
    LibraryCall(
        "io.open",
        IO,
        trace_time=_OPEN_ONCE,
        tf_native=Rewrite(FILE, "tf.io.read_file({0})", "tf.io.read_file(path)"),
    ),
    LibraryCall("time.perf_counter", bookkeeping=True),
    LibraryCall(
        "time.sleep",
        IO,
        waits=True,
        bookkeeping=True,
        trace_time="time.sleep() waits once at trace time, not per element",
        per_element="(remove it: it waited once, at trace time)",
    ),
    LibraryCall("time.time", bookkeeping=True),
    LibraryCall("os.listdir", IO),
    LibraryCall("os.makedirs", outer_effect="a file operation"),
    LibraryCall("os.mkdir", outer_effect="a file operation"),
    LibraryCall("os.path.exists", IO),
    LibraryCall("os.path.getmtime", IO),
    LibraryCall("os.path.getsize", IO),
    LibraryCall("os.path.isfile", IO),
    LibraryCall("os.read", IO),
    LibraryCall("os.remove", outer_effect="a file operation"),
    LibraryCall("os.rename", outer_effect="a file operation"),
    LibraryCall("os.replace", outer_effect="a file operation"),
    LibraryCall("os.rmdir", outer_effect="a file operation"),
    LibraryCall("os.scandir", IO),
    LibraryCall("os.stat", IO),
    LibraryCall("os.symlink", outer_effect="a file operation"),
    LibraryCall("os.system", outer_effect="a shell command"),
    LibraryCall("os.unlink", outer_effect="a file operation"),
    LibraryCall("os.walk", IO),
    LibraryCall("os.write", outer_effect="a file operation"),
    LibraryCall("glob.", IO),
    LibraryCall("urllib.", IO, waits=True),
    LibraryCall("http.client.", IO, waits=True),
    LibraryCall("socket.", IO, waits=True),
    LibraryCall("subprocess.", IO, waits=True, outer_effect="a subprocess"),
    LibraryCall("sqlite3.", IO),
    LibraryCall("pickle.dump", outer_effect="a file write"),
    LibraryCall(
        "pickle.load",
        IO,
        tf_native=Rewrite(
            FILE,
            "tf.io.parse_tensor(tf.io.read_file(path), out_type=tf.float32)",
            "tf.io.parse_tensor(tf.io.read_file(path), out_type=tf.float32)",
            "pickles have no TensorFlow reader: convert them once to TFRecord or serialized tensors",
            drop_in=False,
        ),
    ),
    LibraryCall("wave.open", IO),
    LibraryCall("pathlib.Path", returns="pathlib.Path"),
    LibraryCall(
        "pathlib.Path.read_bytes",
        IO,
        tf_native=Rewrite(FILE, "tf.io.read_file({self})", "tf.io.read_file(path)"),
    ),
    LibraryCall(
        "pathlib.Path.read_text",
        IO,
        tf_native=Rewrite(FILE, "tf.io.read_file({self})", "tf.io.read_file(path)"),
    ),
    LibraryCall("zlib.", NATIVE),
    LibraryCall("gzip.decompress", NATIVE),
    LibraryCall("hashlib.", NATIVE),
    LibraryCall("re.", CPU),
    LibraryCall("re.compile", returns="re.Pattern"),
    LibraryCall(
        "re.findall",
        tf_native=Rewrite(
            STRING,
            "tf.strings.split(tf.strings.regex_replace({1}, {not_pattern}, ' '))",
            "tf.strings.split(tf.strings.regex_replace(text, NOT_PATTERN, ' '))",
            "findall(P) is a split on what P does not match (RE2 syntax)",
        ),
    ),
    LibraryCall(
        "re.fullmatch",
        tf_native=Rewrite(
            STRING, "tf.strings.regex_full_match({1}, {0})", "tf.strings.regex_full_match(text, pattern)"
        ),
    ),
    LibraryCall(
        "re.match",
        tf_native=Rewrite(
            STRING,
            "tf.strings.regex_full_match({1}, {0} + '.*')",
            "tf.strings.regex_full_match(text, pattern + '.*')",
        ),
    ),
    LibraryCall(
        "re.Pattern.findall",
        tf_native=Rewrite(
            STRING,
            "tf.strings.split(tf.strings.regex_replace({0}, {not_pattern}, ' '))",
            "tf.strings.split(tf.strings.regex_replace(text, NOT_PATTERN, ' '))",
            "findall(P) is a split on what P does not match (RE2 syntax)",
        ),
    ),
    LibraryCall(
        "re.Pattern.match",
        tf_native=Rewrite(
            STRING,
            "tf.strings.regex_full_match({0}, {pattern} + '.*')",
            "tf.strings.regex_full_match(text, pattern + '.*')",
        ),
    ),
    LibraryCall(
        "re.Pattern.search",
        tf_native=Rewrite(
            STRING,
            "tf.strings.regex_full_match({0}, '.*' + {pattern} + '.*')",
            "tf.strings.regex_full_match(text, '.*' + pattern + '.*')",
        ),
    ),
    LibraryCall(
        "re.Pattern.split",
        tf_native=Rewrite(
            STRING,
            "tf.strings.split(tf.strings.regex_replace({0}, {pattern}, ' '))",
            "tf.strings.split(tf.strings.regex_replace(text, pattern, ' '))",
        ),
    ),
    LibraryCall(
        "re.Pattern.sub",
        tf_native=Rewrite(
            STRING,
            "tf.strings.regex_replace({1}, {pattern}, {0})",
            "tf.strings.regex_replace(text, pattern, rewrite)",
            "TensorFlow uses RE2 syntax: no lookarounds or backreferences",
        ),
    ),
    LibraryCall(
        "re.search",
        tf_native=Rewrite(
            STRING,
            "tf.strings.regex_full_match({1}, '.*' + {0} + '.*')",
            "tf.strings.regex_full_match(text, '.*' + pattern + '.*')",
        ),
    ),
    LibraryCall(
        "re.split",
        tf_native=Rewrite(
            STRING,
            "tf.strings.split(tf.strings.regex_replace({1}, {0}, ' '))",
            "tf.strings.split(tf.strings.regex_replace(text, pattern, ' '))",
        ),
    ),
    LibraryCall(
        "re.sub",
        tf_native=Rewrite(
            STRING,
            "tf.strings.regex_replace({2}, {0}, {1})",
            "tf.strings.regex_replace(text, pattern, rewrite)",
            "TensorFlow uses RE2 syntax: no lookarounds or backreferences in the pattern",
        ),
    ),
    LibraryCall("json.dump", outer_effect="a file write"),
    LibraryCall("json.dumps", CPU),
    LibraryCall(
        "json.load",
        CPU,
        tf_native=Rewrite(
            PARSE,
            "tf.io.decode_json_example(tf.io.read_file(path))",
            "tf.io.decode_json_example(tf.io.read_file(path))",
            "decode_json_example reads tf.train.Example protos written as JSON; other JSON: convert once to "
            "TFRecord",
        ),
    ),
    LibraryCall(
        "json.loads",
        CPU,
        tf_native=Rewrite(
            PARSE,
            "tf.io.parse_single_example(tf.io.decode_json_example({0}), feature_spec)",
            "tf.io.parse_single_example(tf.io.decode_json_example(line), feature_spec)",
            "decode_json_example reads tf.train.Example protos written as JSON; for other JSON convert the "
            "files once to TFRecord, or pull flat fields out with tf.strings.regex_replace + "
            "tf.strings.to_number",
        ),
    ),
    LibraryCall("csv.", CPU),
    LibraryCall(
        "csv.DictReader",
        tf_native=Rewrite(
            PARSE,
            'tf.io.decode_csv({0}, record_defaults=[[0.0], [0.0], [""]])',
            'tf.io.decode_csv(line, record_defaults=[[0.0], [0.0], [""]])',
            "columns come back positionally; or use tf.data.experimental.make_csv_dataset",
        ),
    ),
    LibraryCall(
        "csv.reader",
        tf_native=Rewrite(
            PARSE,
            'tf.io.decode_csv({0}, record_defaults=[[0.0], [0.0], [""]])',
            'tf.io.decode_csv(line, record_defaults=[[0.0], [0.0], [""]])',
            "one default per column gives its dtype; or read the files with tf.data.experimental.CsvDataset",
        ),
    ),
    LibraryCall("struct.iter_unpack", CPU),
    LibraryCall(
        "struct.unpack",
        CPU,
        tf_native=Rewrite(
            PARSE,
            "tf.io.decode_raw({1}, tf.int32)",
            "tf.io.decode_raw(raw, tf.int32)",
            "choose out_type and little_endian= to match the format string",
        ),
    ),
    LibraryCall("xml.", CPU),
    LibraryCall("html.", CPU),
    LibraryCall("unicodedata.", CPU),
    LibraryCall("string.", CPU),
    LibraryCall("textwrap.", CPU),
    LibraryCall("difflib.", CPU),
    LibraryCall("copy.deepcopy", CPU),
    LibraryCall("itertools.", CPU),
    LibraryCall("collections.Counter", CPU),
    LibraryCall("random.", random=Randomness.DRAWS),
    LibraryCall("random.getstate", bookkeeping=True),
    LibraryCall(
        "random.Random", random=Randomness.MAKES_GENERATOR, returns="random.Random", bookkeeping=True
    ),
    LibraryCall("random.seed", bookkeeping=True),
    LibraryCall("random.setstate", bookkeeping=True),
    *_draws("random.", _PYTHON_DRAWS),
    *_draws("random.Random.", _PYTHON_DRAWS),
    LibraryCall("secrets.", random=Randomness.DRAWS),
    LibraryCall("logging.", bookkeeping=True),
    LibraryCall("logging.debug", per_element="tf.print"),
    LibraryCall("logging.info", per_element="tf.print"),
    LibraryCall("logging.warning", per_element="tf.print"),
    LibraryCall(
        "pprint.pprint",
        trace_time="pprint() writes once at trace time, not per element (use tf.print)",
        message_only=True,
    ),
    LibraryCall(
        "warnings.warn",
        trace_time="warnings.warn() fires once at trace time, not per element",
        message_only=True,
    ),
    LibraryCall("shutil.", outer_effect="a file operation"),
    # --- Storage, network and data-file clients ---------------------------------------------------
    LibraryCall("requests.", IO, waits=True),
    LibraryCall("httpx.", IO, waits=True),
    LibraryCall("boto3.", IO, waits=True),
    LibraryCall("botocore.", IO, waits=True),
    LibraryCall("google.cloud.", waits=True),
    LibraryCall("google.cloud.storage.", IO),
    LibraryCall("gcsfs.", IO, waits=True),
    LibraryCall("s3fs.", IO, waits=True),
    LibraryCall("fsspec.", IO, waits=True),
    LibraryCall("smart_open.", IO, waits=True),
    LibraryCall("redis.", IO, waits=True),
    LibraryCall("lmdb.", IO),
    LibraryCall("h5py.File", IO),
    LibraryCall("zarr.", IO),
    LibraryCall("tensorflow.compat.v1.logging.info", per_element="tf.print"),
    LibraryCall("tensorflow.io.gfile.", IO, waits=True),
    LibraryCall(
        "tensorflow.io.gfile.GFile", tf_native=Rewrite(FILE, "tf.io.read_file({0})", "tf.io.read_file(path)")
    ),
    LibraryCall("pandas.read_csv", IO),
    LibraryCall("pandas.read_feather", IO),
    LibraryCall("pandas.read_json", IO),
    LibraryCall("pandas.read_parquet", IO),
    LibraryCall("pandas.read_pickle", IO),
    LibraryCall("pyarrow.", NATIVE),
    LibraryCall("pyarrow.parquet.read_table", IO),
    LibraryCall("joblib.load", IO),
    LibraryCall("torch.load", IO),
    LibraryCall("netCDF4.Dataset", IO),
    LibraryCall("xarray.open_dataset", IO),
    LibraryCall("rasterio.open", IO),
    # --- NumPy, SciPy and other array kernels -----------------------------------------------------
    # Any other NumPy call: an array kernel, and tf.experimental.numpy mirrors most of the API as traced ops.
    LibraryCall(
        "numpy.",
        NATIVE,
        tf_native=Rewrite(
            MATH,
            "tf.experimental.numpy.{name}({args})",
            "tf.experimental.numpy.cumsum(x)",
            "check that tf.experimental.numpy has this function",
        ),
    ),
    LibraryCall("numpy.abs", tf_native=Rewrite(MATH, "tf.math.abs({0})", "tf.math.abs(x)")),
    LibraryCall("numpy.absolute", tf_native=Rewrite(MATH, "tf.math.abs({0})", "tf.math.abs(x)")),
    LibraryCall("numpy.arange", allocates=True),
    LibraryCall("numpy.argsort", tf_native=Rewrite(MATH, "tf.argsort({0})", "tf.argsort(x)")),
    LibraryCall(
        "numpy.array",
        tf_native=Rewrite(
            MATH, "tf.convert_to_tensor({0})", "tf.convert_to_tensor(x)", with_dtype="tf.cast({0}, {dtype})"
        ),
    ),
    LibraryCall(
        "numpy.asarray",
        tf_native=Rewrite(
            MATH, "tf.convert_to_tensor({0})", "tf.convert_to_tensor(x)", with_dtype="tf.cast({0}, {dtype})"
        ),
    ),
    LibraryCall(
        "numpy.clip",
        tf_native=Rewrite(MATH, "tf.clip_by_value({0}, {1}, {2})", "tf.clip_by_value(x, low, high)"),
    ),
    LibraryCall(
        "numpy.concatenate", tf_native=Rewrite(MATH, "tf.concat({0}, axis=0)", "tf.concat(parts, axis=0)")
    ),
    LibraryCall("numpy.dot", tf_native=Rewrite(MATH, "tf.tensordot({0}, {1}, 1)", "tf.tensordot(a, b, 1)")),
    LibraryCall("numpy.empty", allocates=True),
    LibraryCall("numpy.empty_like", allocates=True),
    LibraryCall("numpy.exp", tf_native=Rewrite(MATH, "tf.math.exp({0})", "tf.math.exp(x)")),
    LibraryCall("numpy.eye", allocates=True),
    LibraryCall(
        "numpy.fft.fft",
        tf_native=Rewrite(AUDIO, "tf.signal.fft(tf.cast({0}, tf.complex64))", "tf.signal.fft(x)"),
    ),
    LibraryCall(
        "numpy.fft.ifft", tf_native=Rewrite(AUDIO, "tf.signal.ifft({0})", "tf.signal.ifft(spectrum)")
    ),
    LibraryCall(
        "numpy.fft.irfft", tf_native=Rewrite(AUDIO, "tf.signal.irfft({0})", "tf.signal.irfft(spectrum)")
    ),
    LibraryCall(
        "numpy.fft.rfft",
        tf_native=Rewrite(
            AUDIO,
            "tf.signal.rfft({0})",
            "tf.signal.rfft(frames)",
            "transforms the innermost axis; cast to float32 first",
        ),
    ),
    LibraryCall("numpy.floor", tf_native=Rewrite(MATH, "tf.math.floor({0})", "tf.math.floor(x)")),
    LibraryCall(
        "numpy.frombuffer",
        bytes_view=True,
        tf_native=Rewrite(
            FILE,
            "tf.io.decode_raw({0}, tf.float64)",
            "tf.io.decode_raw(raw, tf.float64)",
            with_dtype="tf.io.decode_raw({0}, {dtype})",
        ),
    ),
    # NumPy reads float64 unless told otherwise; decode_raw needs the same element type.
    LibraryCall(
        "numpy.fromfile",
        IO,
        tf_native=Rewrite(
            FILE,
            "tf.io.decode_raw(tf.io.read_file({0}), tf.float64)",
            "tf.io.decode_raw(tf.io.read_file(path), tf.float64)",
            "the file must hold the raw elements only (no header)",
            with_dtype="tf.io.decode_raw(tf.io.read_file({0}), {dtype})",
        ),
    ),
    LibraryCall("numpy.full", allocates=True),
    LibraryCall("numpy.full_like", allocates=True),
    LibraryCall("numpy.genfromtxt", IO),
    LibraryCall(
        "numpy.hamming",
        tf_native=Rewrite(
            AUDIO, "tf.signal.hamming_window({0}, periodic=False)", "tf.signal.hamming_window(n)"
        ),
    ),
    LibraryCall(
        "numpy.hanning",
        tf_native=Rewrite(AUDIO, "tf.signal.hann_window({0}, periodic=False)", "tf.signal.hann_window(n)"),
    ),
    LibraryCall("numpy.identity", allocates=True),
    LibraryCall(
        "numpy.lib.stride_tricks.sliding_window_view",
        tf_native=Rewrite(
            AUDIO,
            "tf.signal.frame({0}, {1}, frame_step=1)",
            "tf.signal.frame(signal, frame_length, frame_step)",
            "a `[::step]` slice after it becomes `frame_step=step`",
        ),
    ),
    LibraryCall(
        "numpy.load",
        IO,
        tf_native=Rewrite(
            FILE,
            "tf.io.parse_tensor(tf.io.read_file({0}), out_type=tf.float32)",
            "tf.io.parse_tensor(tf.io.read_file(path), out_type=tf.float32)",
            "convert the .npy files once with tf.io.serialize_tensor (or to TFRecord); raw .npy bytes can "
            "also be read with tf.io.decode_raw after skipping the header",
            drop_in=False,
        ),
    ),
    LibraryCall("numpy.loadtxt", IO),
    LibraryCall("numpy.log", tf_native=Rewrite(MATH, "tf.math.log({0})", "tf.math.log(x)")),
    LibraryCall(
        "numpy.log10",
        tf_native=Rewrite(MATH, "tf.experimental.numpy.log10({0})", "tf.experimental.numpy.log10(x)"),
    ),
    LibraryCall("numpy.log1p", tf_native=Rewrite(MATH, "tf.math.log1p({0})", "tf.math.log1p(x)")),
    LibraryCall(
        "numpy.matmul", tf_native=Rewrite(MATH, "tf.linalg.matmul({0}, {1})", "tf.linalg.matmul(a, b)")
    ),
    LibraryCall("numpy.max", tf_native=Rewrite(MATH, "tf.math.reduce_max({0})", "tf.math.reduce_max(x)")),
    LibraryCall(
        "numpy.maximum", tf_native=Rewrite(MATH, "tf.math.maximum({0}, {1})", "tf.math.maximum(x, y)")
    ),
    LibraryCall("numpy.mean", tf_native=Rewrite(MATH, "tf.math.reduce_mean({0})", "tf.math.reduce_mean(x)")),
    LibraryCall("numpy.memmap", IO),
    LibraryCall("numpy.min", tf_native=Rewrite(MATH, "tf.math.reduce_min({0})", "tf.math.reduce_min(x)")),
    LibraryCall(
        "numpy.minimum", tf_native=Rewrite(MATH, "tf.math.minimum({0}, {1})", "tf.math.minimum(x, y)")
    ),
    LibraryCall("numpy.ones", allocates=True),
    LibraryCall("numpy.ones_like", allocates=True),
    LibraryCall("numpy.pad", tf_native=Rewrite(MATH, "tf.pad({0}, {1})", "tf.pad(x, paddings)")),
    LibraryCall("numpy.power", tf_native=Rewrite(MATH, "tf.math.pow({0}, {1})", "tf.math.pow(x, y)")),
    LibraryCall("numpy.random.", random=Randomness.DRAWS),
    LibraryCall(
        "numpy.random.default_rng",
        random=Randomness.MAKES_GENERATOR,
        returns="numpy.random.Generator",
        bookkeeping=True,
    ),
    LibraryCall(
        "numpy.random.Generator", random=Randomness.MAKES_GENERATOR, returns="numpy.random.Generator"
    ),
    LibraryCall("numpy.random.get_state", bookkeeping=True),
    LibraryCall(
        "numpy.random.RandomState",
        random=Randomness.MAKES_GENERATOR,
        returns="numpy.random.RandomState",
        bookkeeping=True,
    ),
    LibraryCall("numpy.random.seed", bookkeeping=True),
    LibraryCall("numpy.random.SeedSequence", random=Randomness.MAKES_GENERATOR),
    LibraryCall("numpy.random.set_state", bookkeeping=True),
    *_draws("numpy.random.", _NUMPY_LEGACY_DRAWS),
    *_draws("numpy.random.RandomState.", _NUMPY_LEGACY_DRAWS),
    *_draws("numpy.random.Generator.", _NUMPY_GENERATOR_DRAWS),
    LibraryCall("numpy.reshape", tf_native=Rewrite(MATH, "tf.reshape({0}, {1})", "tf.reshape(x, shape)")),
    LibraryCall("numpy.round", tf_native=Rewrite(MATH, "tf.math.round({0})", "tf.math.round(x)")),
    LibraryCall("numpy.save", outer_effect="a file write"),
    LibraryCall("numpy.savetxt", outer_effect="a file write"),
    LibraryCall("numpy.savez", outer_effect="a file write"),
    LibraryCall("numpy.sort", tf_native=Rewrite(MATH, "tf.sort({0})", "tf.sort(x)")),
    LibraryCall("numpy.sqrt", tf_native=Rewrite(MATH, "tf.math.sqrt({0})", "tf.math.sqrt(x)")),
    LibraryCall("numpy.square", tf_native=Rewrite(MATH, "tf.math.square({0})", "tf.math.square(x)")),
    LibraryCall("numpy.stack", tf_native=Rewrite(MATH, "tf.stack({0})", "tf.stack(parts)")),
    LibraryCall("numpy.std", tf_native=Rewrite(MATH, "tf.math.reduce_std({0})", "tf.math.reduce_std(x)")),
    LibraryCall("numpy.sum", tf_native=Rewrite(MATH, "tf.math.reduce_sum({0})", "tf.math.reduce_sum(x)")),
    LibraryCall("numpy.tanh", tf_native=Rewrite(MATH, "tf.math.tanh({0})", "tf.math.tanh(x)")),
    LibraryCall("numpy.transpose", tf_native=Rewrite(MATH, "tf.transpose({0})", "tf.transpose(x)")),
    LibraryCall(
        "numpy.where", tf_native=Rewrite(MATH, "tf.where({0}, {1}, {2})", "tf.where(condition, x, y)")
    ),
    LibraryCall("numpy.zeros", allocates=True),
    LibraryCall("numpy.zeros_like", allocates=True),
    # NumPy scalar types called as conversions (`np.float32(x)`): a cast of the tensor.
    *(
        LibraryCall(
            f"numpy.{name}", tf_native=Rewrite(MATH, f"tf.cast({{0}}, {dtype})", f"tf.cast(x, {dtype})")
        )
        for name, dtype in _NUMPY_SCALARS.items()
    ),
    LibraryCall("scipy.", NATIVE),
    LibraryCall("scipy.fft.rfft", tf_native=Rewrite(AUDIO, "tf.signal.rfft({0})", "tf.signal.rfft(frames)")),
    LibraryCall("scipy.fftpack.dct", tf_native=Rewrite(AUDIO, "tf.signal.dct({0})", "tf.signal.dct(x)")),
    LibraryCall("scipy.io.loadmat", IO),
    LibraryCall(
        "scipy.io.wavfile.read",
        IO,
        tf_native=Rewrite(
            AUDIO,
            "tf.audio.decode_wav(tf.io.read_file({0}))",
            "tf.audio.decode_wav(tf.io.read_file(path))",
            "returns (audio float32 in [-1, 1], sample_rate), not int16 samples",
        ),
    ),
    LibraryCall("scipy.ndimage.", decodes=True),
    LibraryCall("scipy.signal.", decodes=True),
    LibraryCall(
        "scipy.signal.get_window",
        tf_native=Rewrite(AUDIO, "tf.signal.hann_window({1})", "tf.signal.hann_window(length)"),
    ),
    LibraryCall(
        "scipy.signal.spectrogram",
        tf_native=Rewrite(
            AUDIO,
            "tf.abs(tf.signal.stft({0}, frame_length=256, frame_step=32)) ** 2",
            "tf.abs(tf.signal.stft(x, frame_length=256, frame_step=32)) ** 2",
        ),
    ),
    LibraryCall(
        "scipy.signal.stft",
        tf_native=Rewrite(
            AUDIO,
            "tf.signal.stft({0}, frame_length=256, frame_step=128)",
            "tf.signal.stft(x, frame_length=256, frame_step=128)",
        ),
    ),
    LibraryCall("numba.", NATIVE),
    LibraryCall("pywt.", NATIVE),
    # --- Images, including medical and geospatial formats -----------------------------------------
    LibraryCall("PIL.", NATIVE, decodes=True),
    LibraryCall("PIL.Image.fromarray", returns="PIL.Image.Image"),
    LibraryCall(
        "PIL.Image.Image.convert",
        returns="PIL.Image.Image",
        tf_native=Rewrite(
            IMAGE,
            "{self}",
            "image",
            "`channels=3` in the decode op converts to RGB; for grayscale use tf.image.rgb_to_grayscale",
        ),
    ),
    LibraryCall(
        "PIL.Image.Image.crop",
        returns="PIL.Image.Image",
        tf_native=Rewrite(
            IMAGE,
            "tf.image.crop_to_bounding_box({self}, top, left, height, width)",
            "tf.image.crop_to_bounding_box(image, top, left, height, width)",
            "PIL's box is (left, upper, right, lower); TensorFlow takes offsets and a size",
        ),
    ),
    LibraryCall(
        "PIL.Image.Image.resize",
        returns="PIL.Image.Image",
        tf_native=Rewrite(
            IMAGE,
            "tf.image.resize({self}, {0}[::-1])",
            "tf.image.resize(image, [height, width])",
            "PIL sizes are (width, height), tf.image.resize takes [height, width]; it returns float32",
        ),
    ),
    LibraryCall(
        "PIL.Image.Image.rotate",
        returns="PIL.Image.Image",
        tf_native=Rewrite(
            IMAGE,
            "tf.image.rot90({self}, k=1)",
            "tf.image.rot90(image, k=1)",
            "rot90 covers multiples of 90 degrees; for arbitrary angles use tf.keras.layers.RandomRotation",
        ),
    ),
    LibraryCall(
        "PIL.Image.Image.thumbnail",
        tf_native=Rewrite(
            IMAGE,
            "tf.image.resize({self}, {0}[::-1], preserve_aspect_ratio=True)",
            "tf.image.resize(image, [height, width], preserve_aspect_ratio=True)",
        ),
    ),
    LibraryCall(
        "PIL.Image.Image.transpose",
        returns="PIL.Image.Image",
        tf_native=Rewrite(
            IMAGE,
            "tf.image.flip_left_right({self})",
            "tf.image.flip_left_right(image)",
            "FLIP_TOP_BOTTOM is tf.image.flip_up_down, ROTATE_90 is tf.image.rot90(image, k=1)",
        ),
    ),
    LibraryCall("PIL.Image.new", returns="PIL.Image.Image"),
    # Decoders that take a path read a file, but decoding dominates: native (and `decodes`).
    LibraryCall(
        "PIL.Image.open",
        NATIVE,
        returns="PIL.Image.Image",
        tf_native=Rewrite(
            IMAGE,
            _DECODE,
            _DECODE.format("path"),
            "use tf.io.decode_jpeg / decode_png when the format is known (they also take `ratio=` for fast "
            "downscale)",
            from_bytes=_DECODE_BYTES,
        ),
    ),
    LibraryCall(
        "PIL.ImageOps.flip",
        tf_native=Rewrite(IMAGE, "tf.image.flip_up_down({0})", "tf.image.flip_up_down(image)"),
    ),
    LibraryCall(
        "PIL.ImageOps.grayscale",
        tf_native=Rewrite(IMAGE, "tf.image.rgb_to_grayscale({0})", "tf.image.rgb_to_grayscale(image)"),
    ),
    LibraryCall(
        "PIL.ImageOps.mirror",
        tf_native=Rewrite(IMAGE, "tf.image.flip_left_right({0})", "tf.image.flip_left_right(image)"),
    ),
    LibraryCall("cv2.", NATIVE, decodes=True),
    LibraryCall(
        "cv2.cvtColor",
        tf_native=Rewrite(
            IMAGE,
            "tf.reverse({0}, axis=[-1])",
            "tf.reverse(image, axis=[-1])",
            "BGR<->RGB is a channel reverse; to grayscale use tf.image.rgb_to_grayscale, to HSV "
            "tf.image.rgb_to_hsv",
        ),
    ),
    LibraryCall(
        "cv2.flip",
        tf_native=Rewrite(
            IMAGE,
            "tf.image.flip_left_right({0})",
            "tf.image.flip_left_right(image)",
            "flipCode 1 is flip_left_right, 0 is flip_up_down, -1 is both",
        ),
    ),
    LibraryCall(
        "cv2.imdecode",
        tf_native=Rewrite(
            IMAGE,
            _DECODE_BYTES,
            "tf.io.decode_image(encoded, channels=3, expand_animations=False)",
            "OpenCV returns BGR, TensorFlow decodes to RGB",
        ),
    ),
    # A path decoder: native, as PIL.Image.open.
    LibraryCall(
        "cv2.imread",
        NATIVE,
        tf_native=Rewrite(
            IMAGE, _DECODE, _DECODE.format("path"), "OpenCV returns BGR, TensorFlow decodes to RGB"
        ),
    ),
    LibraryCall(
        "cv2.resize",
        tf_native=Rewrite(
            IMAGE,
            "tf.image.resize({0}, {1}[::-1])",
            "tf.image.resize(image, [height, width])",
            "OpenCV's dsize is (width, height), tf.image.resize takes [height, width]",
        ),
    ),
    LibraryCall(
        "cv2.rotate",
        tf_native=Rewrite(
            IMAGE,
            "tf.image.rot90({0}, k=3)",
            "tf.image.rot90(image, k=3)",
            "ROTATE_90_CLOCKWISE is k=3, ROTATE_90_COUNTERCLOCKWISE is k=1, ROTATE_180 is k=2",
        ),
    ),
    LibraryCall("cv2.VideoCapture", NATIVE),
    LibraryCall("skimage.", NATIVE, decodes=True),
    LibraryCall(
        "skimage.io.imread",
        tf_native=Rewrite(IMAGE, _DECODE, _DECODE.format("path"), from_bytes=_DECODE_BYTES),
    ),
    LibraryCall(
        "skimage.transform.resize",
        tf_native=Rewrite(IMAGE, "tf.image.resize({0}, {1})", "tf.image.resize(image, [height, width])"),
    ),
    LibraryCall("imageio.", decodes=True),
    LibraryCall("imageio.imread", IO),
    LibraryCall("imageio.v2.imread", IO),
    LibraryCall("imageio.v3.imread", IO),
    LibraryCall("tifffile.imread", IO),
    LibraryCall("pydicom.", decodes=True),
    LibraryCall("pydicom.dcmread", IO),
    LibraryCall("pydicom.read_file", IO),
    LibraryCall("nibabel.", decodes=True),
    LibraryCall("nibabel.load", IO),
    LibraryCall("SimpleITK.", decodes=True),
    LibraryCall("SimpleITK.ReadImage", IO),
    LibraryCall("imgaug.", NATIVE, random=Randomness.AUGMENTS),
    LibraryCall("albumentations.", NATIVE, random=Randomness.AUGMENTS),
    LibraryCall("torchvision.transforms.", random=Randomness.AUGMENTS),
    LibraryCall("augly.", random=Randomness.AUGMENTS),
    # --- Audio ------------------------------------------------------------------------------------
    LibraryCall("soundfile.", decodes=True),
    LibraryCall(
        "soundfile.read",
        IO,
        tf_native=Rewrite(
            AUDIO,
            "tf.audio.decode_wav(tf.io.read_file({0}), desired_channels=1).audio[:, 0]",
            "tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1).audio[:, 0]",
            "decode_wav reads PCM WAV; other formats: convert once offline",
            from_bytes="tf.audio.decode_wav({0}, desired_channels=1).audio[:, 0]",
        ),
    ),
    LibraryCall("soundfile.SoundFile", IO),
    LibraryCall("librosa.", NATIVE, decodes=True),
    LibraryCall(
        "librosa.amplitude_to_db",
        tf_native=Rewrite(
            AUDIO,
            "20.0 * tf.math.log({0} + 1e-5) / tf.math.log(10.0)",
            "20.0 * tf.math.log(magnitude + 1e-5) / tf.math.log(10.0)",
        ),
    ),
    LibraryCall(
        "librosa.feature.melspectrogram",
        tf_native=Rewrite(
            AUDIO,
            "tf.tensordot(tf.abs(tf.signal.stft({0}, 2048, 512)) ** 2, "
            "tf.signal.linear_to_mel_weight_matrix(128, 1025, sample_rate), 1)",
            "tf.tensordot(power_spectrogram, tf.signal.linear_to_mel_weight_matrix(128, 1025, sample_rate), "
            "1)",
            "librosa uses Slaney mel filters by default, TensorFlow HTK: values differ slightly",
        ),
    ),
    LibraryCall(
        "librosa.feature.mfcc",
        tf_native=Rewrite(
            AUDIO,
            "tf.signal.mfccs_from_log_mel_spectrograms(log_mel)",
            "tf.signal.mfccs_from_log_mel_spectrograms(log_mel)",
        ),
    ),
    # A path decoder: native, as PIL.Image.open.
    LibraryCall(
        "librosa.load",
        NATIVE,
        tf_native=Rewrite(
            AUDIO,
            "tf.audio.decode_wav(tf.io.read_file({0}), desired_channels=1).audio[:, 0]",
            "tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1).audio[:, 0]",
            "decode_wav reads 16-bit PCM WAV without resampling: resample offline once if rates differ",
            from_bytes="tf.audio.decode_wav({0}, desired_channels=1).audio[:, 0]",
        ),
    ),
    LibraryCall(
        "librosa.power_to_db",
        tf_native=Rewrite(
            AUDIO,
            "10.0 * tf.math.log({0} + 1e-10) / tf.math.log(10.0)",
            "10.0 * tf.math.log(power + 1e-10) / tf.math.log(10.0)",
        ),
    ),
    LibraryCall(
        "librosa.stft",
        tf_native=Rewrite(
            AUDIO,
            "tf.signal.stft({0}, frame_length=2048, frame_step=512, fft_length=2048)",
            "tf.signal.stft(audio, frame_length=2048, frame_step=512)",
            "librosa centres frames (pads the signal); pad with tf.pad first to match exactly",
        ),
    ),
    LibraryCall("torchaudio.", NATIVE, decodes=True),
    LibraryCall("python_speech_features.", NATIVE),
    LibraryCall("audiomentations.", random=Randomness.AUGMENTS),
    # --- Text, music and other pure-Python libraries ----------------------------------------------
    LibraryCall("regex.", CPU),
    LibraryCall("regex.compile", returns="re.Pattern"),
    LibraryCall("lxml.", CPU),
    LibraryCall("nltk.", CPU),
    LibraryCall("sentencepiece.", NATIVE),
    LibraryCall("tokenizers.", NATIVE),
    LibraryCall("nlpaug.", random=Randomness.AUGMENTS),
    LibraryCall("mido.", CPU),
    LibraryCall("pretty_midi.", CPU),
    LibraryCall("note_seq.", CPU),
    LibraryCall("music21.", CPU),
    LibraryCall("networkx.", CPU),
    LibraryCall("shapely.", NATIVE),
    LibraryCall("sympy.", CPU),
    LibraryCall("absl.logging.info", per_element="tf.print"),
    # --- Methods on any receiver (string, dict, tensor methods) -----------------------------------
    LibraryCall(".append", bookkeeping=True),
    LibraryCall(".astype", tf_native=Rewrite(MATH, "tf.cast({self}, {0})", "tf.cast(x, tf.float32)")),
    LibraryCall(
        ".decode",
        tf_native=Rewrite(
            STRING, "{self}", "text", "tf.string tensors are bytes: TensorFlow ops take them without decoding"
        ),
    ),
    LibraryCall(
        ".encode", tf_native=Rewrite(STRING, "{self}", "text", "tf.string tensors are already bytes")
    ),
    LibraryCall(
        ".get",
        tf_native=Rewrite(
            STRING,
            "{self}_table.lookup({0})",
            "table.lookup(tokens)",
            "build the table once, outside the map: {self}_table = "
            "tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(list({self}.keys()), "
            "list({self}.values())), default_value=0)",
        ),
    ),
    LibraryCall(".items", bookkeeping=True),
    LibraryCall(
        ".join",
        tf_native=Rewrite(
            STRING,
            "tf.strings.reduce_join({0}, separator={self})",
            "tf.strings.reduce_join(parts, separator=' ')",
        ),
    ),
    LibraryCall(".keys", bookkeeping=True),
    LibraryCall(".lower", tf_native=Rewrite(STRING, "tf.strings.lower({self})", "tf.strings.lower(text)")),
    LibraryCall(
        ".numpy",
        tf_native=Rewrite(STRING, "{self}", "x", "in a traced function the argument is already a tensor"),
    ),
    LibraryCall(
        ".replace",
        tf_native=Rewrite(
            STRING,
            "tf.strings.regex_replace({self}, re.escape({0}), {1})",
            "tf.strings.regex_replace(text, re.escape(old), new)",
        ),
    ),
    LibraryCall(
        ".split",
        tf_native=Rewrite(
            STRING,
            "tf.strings.split({self})",
            "tf.strings.split(text)",
            "pass sep= for a fixed separator; returns a RaggedTensor",
        ),
    ),
    LibraryCall(
        ".startswith",
        tf_native=Rewrite(
            STRING,
            "tf.strings.regex_full_match({self}, re.escape({0}) + '.*')",
            "tf.strings.regex_full_match(text, re.escape(prefix) + '.*')",
        ),
    ),
    LibraryCall(".strip", tf_native=Rewrite(STRING, "tf.strings.strip({self})", "tf.strings.strip(text)")),
    LibraryCall(".upper", tf_native=Rewrite(STRING, "tf.strings.upper({self})", "tf.strings.upper(text)")),
    LibraryCall(".values", bookkeeping=True),
)


def names_where(has: Callable[[LibraryCall], object]) -> tuple[str, ...]:
    """The names of the records that have a fact, in table order."""
    return tuple(call.name for call in LIBRARY_CALLS if has(call))
