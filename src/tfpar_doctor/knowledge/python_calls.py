"""How Python calls behave under the GIL when they run once per element (inside py_function & co).

The classes follow docs/how-check-decides.md, fact 2: pure-Python work holds the GIL (`cpu`), waits on files,
sockets and sleeps release it (`io`), and array kernels in NumPy, PIL, OpenCV, SciPy release it
(`native`). Keys are fully qualified names or prefixes ending in ".": the longest match wins.
"""

from __future__ import annotations

from tfpar_doctor.model import BodyClass

CPU, IO, NATIVE = BodyClass.CPU, BodyClass.IO, BodyClass.NATIVE

CALL_CLASSES: dict[str, BodyClass] = {
    # --- waits: the GIL is released while the OS works --------------------------------------
    "open": IO,
    "io.open": IO,
    "time.sleep": IO,
    "os.read": IO,
    "os.stat": IO,
    "os.path.getsize": IO,
    "os.path.getmtime": IO,
    "os.path.exists": IO,
    "os.path.isfile": IO,
    "os.listdir": IO,
    "os.scandir": IO,
    "os.walk": IO,
    "glob.": IO,
    "urllib.": IO,
    "requests.": IO,
    "httpx.": IO,
    "http.client.": IO,
    "socket.": IO,
    "boto3.": IO,
    "botocore.": IO,
    "google.cloud.storage.": IO,
    "gcsfs.": IO,
    "s3fs.": IO,
    "fsspec.": IO,
    "smart_open.": IO,
    "subprocess.": IO,
    "sqlite3.": IO,
    "h5py.File": IO,
    "zarr.": IO,
    "numpy.load": IO,
    "numpy.fromfile": IO,
    "numpy.loadtxt": IO,
    "numpy.genfromtxt": IO,
    "numpy.memmap": IO,
    "pickle.load": IO,
    "joblib.load": IO,
    "torch.load": IO,
    "soundfile.read": IO,
    "soundfile.SoundFile": IO,
    "scipy.io.wavfile.read": IO,
    "scipy.io.loadmat": IO,
    "wave.open": IO,
    "pydicom.dcmread": IO,
    "pydicom.read_file": IO,
    "nibabel.load": IO,
    "SimpleITK.ReadImage": IO,
    "imageio.imread": IO,
    "imageio.v2.imread": IO,
    "imageio.v3.imread": IO,
    "tensorflow.io.gfile.": IO,
    "pathlib.Path.read_bytes": IO,
    "pathlib.Path.read_text": IO,
    "lmdb.": IO,
    "pandas.read_csv": IO,
    "pandas.read_parquet": IO,
    "pandas.read_json": IO,
    "pandas.read_pickle": IO,
    "pandas.read_feather": IO,
    "pyarrow.parquet.read_table": IO,
    "tifffile.imread": IO,
    "rasterio.open": IO,
    "netCDF4.Dataset": IO,
    "xarray.open_dataset": IO,
    "redis.": IO,
    # --- array kernels: release the GIL for the bulk of their work ------------------------------
    "numpy.": NATIVE,
    "scipy.": NATIVE,
    "cv2.": NATIVE,
    "PIL.": NATIVE,
    "skimage.": NATIVE,
    "librosa.": NATIVE,
    "torchaudio.": NATIVE,
    "numba.": NATIVE,
    "pyarrow.": NATIVE,
    "imgaug.": NATIVE,
    "albumentations.": NATIVE,
    "python_speech_features.": NATIVE,
    "pywt.": NATIVE,
    "zlib.": NATIVE,
    "gzip.decompress": NATIVE,
    "hashlib.": NATIVE,
    "io.BytesIO": NATIVE,
    # Decoders that take a path read a file, but decoding dominates: native (see HEAVY_NATIVE_PREFIXES).
    "librosa.load": NATIVE,
    "cv2.imread": NATIVE,
    "cv2.VideoCapture": NATIVE,
    "PIL.Image.open": NATIVE,
    # --- pure-Python work: holds the GIL -------------------------------------------------------
    "re.": CPU,
    "regex.": CPU,
    "json.loads": CPU,
    "json.dumps": CPU,
    "json.load": CPU,
    "csv.": CPU,
    "struct.unpack": CPU,
    "struct.iter_unpack": CPU,
    "xml.": CPU,
    "lxml.": CPU,
    "html.": CPU,
    "unicodedata.": CPU,
    "string.": CPU,
    "textwrap.": CPU,
    "difflib.": CPU,
    "mido.": CPU,
    "pretty_midi.": CPU,
    "note_seq.": CPU,
    "music21.": CPU,
    "nltk.": CPU,
    "sentencepiece.": NATIVE,
    "tokenizers.": NATIVE,
    "copy.deepcopy": CPU,
    "itertools.": CPU,
    "collections.Counter": CPU,
    "networkx.": CPU,
    "shapely.": NATIVE,
    "sympy.": CPU,
}

# Within GIL-releasing calls, the two that decide between `io` and `native` when both appear:
# waits (sleeps, network) want many calls in flight; decoders dominate the file read that feeds them.
WAIT_PREFIXES: tuple[str, ...] = (
    "time.sleep",
    "requests.",
    "urllib.",
    "httpx.",
    "socket.",
    "boto3.",
    "botocore.",
    "http.client.",
    "google.cloud.",
    "gcsfs.",
    "s3fs.",
    "subprocess.",
    "redis.",
    "smart_open.",
    "fsspec.",
    "tensorflow.io.gfile.",
)
HEAVY_NATIVE_PREFIXES: tuple[str, ...] = (
    "PIL.",
    "cv2.",
    "librosa.",
    "skimage.",
    "scipy.signal.",
    "scipy.ndimage.",
    "soundfile.",
    "imageio.",
    "torchaudio.",
    "pydicom.",
    "nibabel.",
    "SimpleITK.",
)

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
ARRAY_ALLOCATIONS: frozenset[str] = frozenset(
    {
        "numpy.zeros",
        "numpy.ones",
        "numpy.empty",
        "numpy.full",
        "numpy.zeros_like",
        "numpy.ones_like",
        "numpy.empty_like",
        "numpy.full_like",
        "numpy.arange",
        "numpy.eye",
        "numpy.identity",
    }
)

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
PYTHON_RANDOM_PREFIXES: tuple[str, ...] = (
    "random.",
    "numpy.random.",
    "secrets.",
)
RANDOM_GENERATOR_FACTORIES: frozenset[str] = frozenset(
    {
        "numpy.random.default_rng",
        "numpy.random.RandomState",
        "numpy.random.Generator",
        "random.Random",
        "numpy.random.SeedSequence",
    }
)
# Augmentation libraries that randomise on every call (TFP005 inside py_function bodies).
RANDOM_AUGMENTATION_PREFIXES: tuple[str, ...] = (
    "albumentations.",
    "imgaug.",
    "torchvision.transforms.",
    "audiomentations.",
    "nlpaug.",
    "augly.",
)

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
