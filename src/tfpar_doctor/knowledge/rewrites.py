"""Which TensorFlow op replaces which Python-library call, as data a domain expert can review.

The advisor reads the body of a per-element Python function (inside py_function/numpy_function), finds
the calls below and shows each one rewritten as a traced TensorFlow op. Traced ops run in parallel without
the GIL and can run in tf.data service workers (docs/how-probe-measures.md §2 and §5).

Keys:
- a fully qualified function, ``"numpy.fft.rfft"``; a prefix ending in ``"."`` matches a whole module
  (the longest key wins);
- a method on a value whose type the advisor tracked, ``"PIL.Image.Image.resize"`` (see RETURN_TYPES);
- a method on any receiver, ``".lower"`` (string and dict methods, whatever the receiver is).

Templates are Python expressions. Placeholders: ``{0}``, ``{1}``... the call's positional arguments as the
user wrote them, ``{self}`` the receiver of a method call, ``{name}`` the called attribute, ``{pattern}``
the pattern a compiled regex was built from, ``{not_pattern}`` its complement when the advisor can write
it. A template whose placeholders the call cannot fill falls back to ``example``. ``{dtype}`` is the
call's ``dtype=`` argument, used by ``with_dtype`` templates.

Random draws are not here: their TensorFlow form depends on the distribution the arguments describe
(knowledge/randomness.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rewrite:
    category: str  # "image", "audio", "file", "string", "parse", "math", "random"
    template: str  # the replacement expression (see the module docstring)
    example: str  # the replacement with generic names, used when the template cannot be filled
    note: str = ""  # what differs and must be checked (argument order, formats, semantics)
    # Used instead of `template` when the first argument is in-memory bytes (`io.BytesIO(raw)`), not a path.
    from_bytes: str = ""
    # Used instead of `template` when the call passes `dtype=` (a tensor changes dtype with tf.cast).
    with_dtype: str = ""
    # The template is already the call's replacement, written for it (a random draw): no placeholders.
    literal: bool = False


IMAGE, AUDIO, FILE, STRING, PARSE, MATH = "image", "audio", "file", "string", "parse", "math"
RANDOM = "random"

_DECODE = "tf.io.decode_image(tf.io.read_file({0}), channels=3, expand_animations=False)"
_DECODE_BYTES = "tf.io.decode_image({0}, channels=3, expand_animations=False)"

TF_NATIVE: dict[str, Rewrite] = {
    # --- images: PIL ---------------------------------------------------------------------------
    "PIL.Image.open": Rewrite(
        IMAGE, _DECODE, _DECODE.format("path"),
        "use tf.io.decode_jpeg / decode_png when the format is known (they also take `ratio=` for fast "
        "downscale)",
        from_bytes=_DECODE_BYTES,
    ),
    "PIL.Image.Image.convert": Rewrite(
        IMAGE, "{self}", "image",
        "`channels=3` in the decode op converts to RGB; for grayscale use tf.image.rgb_to_grayscale",
    ),
    "PIL.Image.Image.resize": Rewrite(
        IMAGE, "tf.image.resize({self}, {0}[::-1])", "tf.image.resize(image, [height, width])",
        "PIL sizes are (width, height), tf.image.resize takes [height, width]; it returns float32",
    ),
    "PIL.Image.Image.thumbnail": Rewrite(
        IMAGE, "tf.image.resize({self}, {0}[::-1], preserve_aspect_ratio=True)",
        "tf.image.resize(image, [height, width], preserve_aspect_ratio=True)",
    ),
    "PIL.Image.Image.transpose": Rewrite(
        IMAGE, "tf.image.flip_left_right({self})", "tf.image.flip_left_right(image)",
        "FLIP_TOP_BOTTOM is tf.image.flip_up_down, ROTATE_90 is tf.image.rot90(image, k=1)",
    ),
    "PIL.Image.Image.rotate": Rewrite(
        IMAGE, "tf.image.rot90({self}, k=1)", "tf.image.rot90(image, k=1)",
        "rot90 covers multiples of 90 degrees; for arbitrary angles use tf.keras.layers.RandomRotation",
    ),
    "PIL.Image.Image.crop": Rewrite(
        IMAGE, "tf.image.crop_to_bounding_box({self}, top, left, height, width)",
        "tf.image.crop_to_bounding_box(image, top, left, height, width)",
        "PIL's box is (left, upper, right, lower); TensorFlow takes offsets and a size",
    ),
    "PIL.ImageOps.mirror": Rewrite(IMAGE, "tf.image.flip_left_right({0})", "tf.image.flip_left_right(image)"),
    "PIL.ImageOps.flip": Rewrite(IMAGE, "tf.image.flip_up_down({0})", "tf.image.flip_up_down(image)"),
    "PIL.ImageOps.grayscale": Rewrite(IMAGE, "tf.image.rgb_to_grayscale({0})",
                                      "tf.image.rgb_to_grayscale(image)"),
    # --- images: OpenCV, scikit-image ----------------------------------------------------------
    "cv2.imread": Rewrite(
        IMAGE, _DECODE, _DECODE.format("path"), "OpenCV returns BGR, TensorFlow decodes to RGB",
    ),
    "cv2.imdecode": Rewrite(
        IMAGE, "tf.io.decode_image({0}, channels=3, expand_animations=False)",
        "tf.io.decode_image(encoded, channels=3, expand_animations=False)",
        "OpenCV returns BGR, TensorFlow decodes to RGB",
    ),
    "cv2.resize": Rewrite(
        IMAGE, "tf.image.resize({0}, {1}[::-1])", "tf.image.resize(image, [height, width])",
        "OpenCV's dsize is (width, height), tf.image.resize takes [height, width]",
    ),
    "cv2.flip": Rewrite(
        IMAGE, "tf.image.flip_left_right({0})", "tf.image.flip_left_right(image)",
        "flipCode 1 is flip_left_right, 0 is flip_up_down, -1 is both",
    ),
    "cv2.rotate": Rewrite(IMAGE, "tf.image.rot90({0}, k=3)", "tf.image.rot90(image, k=3)",
                          "ROTATE_90_CLOCKWISE is k=3, ROTATE_90_COUNTERCLOCKWISE is k=1, ROTATE_180 is k=2"),
    "cv2.cvtColor": Rewrite(
        IMAGE, "tf.reverse({0}, axis=[-1])", "tf.reverse(image, axis=[-1])",
        "BGR<->RGB is a channel reverse; to grayscale use tf.image.rgb_to_grayscale, to HSV "
        "tf.image.rgb_to_hsv",
    ),
    "skimage.io.imread": Rewrite(IMAGE, _DECODE, _DECODE.format("path"), from_bytes=_DECODE_BYTES),
    "skimage.transform.resize": Rewrite(
        IMAGE, "tf.image.resize({0}, {1})", "tf.image.resize(image, [height, width])",
    ),
    # --- audio and signal processing -----------------------------------------------------------
    "librosa.load": Rewrite(
        AUDIO, "tf.audio.decode_wav(tf.io.read_file({0}), desired_channels=1).audio[:, 0]",
        "tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1).audio[:, 0]",
        "decode_wav reads 16-bit PCM WAV without resampling: resample offline once if rates differ",
        from_bytes="tf.audio.decode_wav({0}, desired_channels=1).audio[:, 0]",
    ),
    "soundfile.read": Rewrite(
        AUDIO, "tf.audio.decode_wav(tf.io.read_file({0}), desired_channels=1).audio[:, 0]",
        "tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1).audio[:, 0]",
        "decode_wav reads PCM WAV; other formats: convert once offline",
        from_bytes="tf.audio.decode_wav({0}, desired_channels=1).audio[:, 0]",
    ),
    "scipy.io.wavfile.read": Rewrite(
        AUDIO, "tf.audio.decode_wav(tf.io.read_file({0}))",
        "tf.audio.decode_wav(tf.io.read_file(path))",
        "returns (audio float32 in [-1, 1], sample_rate), not int16 samples",
    ),
    "librosa.stft": Rewrite(
        AUDIO, "tf.signal.stft({0}, frame_length=2048, frame_step=512, fft_length=2048)",
        "tf.signal.stft(audio, frame_length=2048, frame_step=512)",
        "librosa centres frames (pads the signal); pad with tf.pad first to match exactly",
    ),
    "librosa.feature.melspectrogram": Rewrite(
        AUDIO,
        "tf.tensordot(tf.abs(tf.signal.stft({0}, 2048, 512)) ** 2, "
        "tf.signal.linear_to_mel_weight_matrix(128, 1025, sample_rate), 1)",
        "tf.tensordot(power_spectrogram, tf.signal.linear_to_mel_weight_matrix(128, 1025, sample_rate), 1)",
        "librosa uses Slaney mel filters by default, TensorFlow HTK: values differ slightly",
    ),
    "librosa.feature.mfcc": Rewrite(
        AUDIO, "tf.signal.mfccs_from_log_mel_spectrograms(log_mel)",
        "tf.signal.mfccs_from_log_mel_spectrograms(log_mel)",
    ),
    "librosa.power_to_db": Rewrite(
        AUDIO, "10.0 * tf.math.log({0} + 1e-10) / tf.math.log(10.0)",
        "10.0 * tf.math.log(power + 1e-10) / tf.math.log(10.0)",
    ),
    "librosa.amplitude_to_db": Rewrite(
        AUDIO, "20.0 * tf.math.log({0} + 1e-5) / tf.math.log(10.0)",
        "20.0 * tf.math.log(magnitude + 1e-5) / tf.math.log(10.0)",
    ),
    "scipy.signal.stft": Rewrite(
        AUDIO, "tf.signal.stft({0}, frame_length=256, frame_step=128)",
        "tf.signal.stft(x, frame_length=256, frame_step=128)",
    ),
    "scipy.signal.spectrogram": Rewrite(
        AUDIO, "tf.abs(tf.signal.stft({0}, frame_length=256, frame_step=32)) ** 2",
        "tf.abs(tf.signal.stft(x, frame_length=256, frame_step=32)) ** 2",
    ),
    "scipy.signal.get_window": Rewrite(AUDIO, "tf.signal.hann_window({1})", "tf.signal.hann_window(length)"),
    "numpy.fft.rfft": Rewrite(AUDIO, "tf.signal.rfft({0})", "tf.signal.rfft(frames)",
                              "transforms the innermost axis; cast to float32 first"),
    "numpy.fft.irfft": Rewrite(AUDIO, "tf.signal.irfft({0})", "tf.signal.irfft(spectrum)"),
    "numpy.fft.fft": Rewrite(AUDIO, "tf.signal.fft(tf.cast({0}, tf.complex64))", "tf.signal.fft(x)"),
    "numpy.fft.ifft": Rewrite(AUDIO, "tf.signal.ifft({0})", "tf.signal.ifft(spectrum)"),
    "scipy.fft.rfft": Rewrite(AUDIO, "tf.signal.rfft({0})", "tf.signal.rfft(frames)"),
    "scipy.fftpack.dct": Rewrite(AUDIO, "tf.signal.dct({0})", "tf.signal.dct(x)"),
    "numpy.hanning": Rewrite(AUDIO, "tf.signal.hann_window({0}, periodic=False)", "tf.signal.hann_window(n)"),
    "numpy.hamming": Rewrite(AUDIO, "tf.signal.hamming_window({0}, periodic=False)",
                             "tf.signal.hamming_window(n)"),
    "numpy.lib.stride_tricks.sliding_window_view": Rewrite(
        AUDIO, "tf.signal.frame({0}, {1}, frame_step=1)", "tf.signal.frame(signal, frame_length, frame_step)",
        "a `[::step]` slice after it becomes `frame_step=step`",
    ),
    # --- files ------------------------------------------------------------------------------------
    "open": Rewrite(FILE, "tf.io.read_file({0})", "tf.io.read_file(path)",
                    "read_file returns the whole file as one tf.string"),
    "io.open": Rewrite(FILE, "tf.io.read_file({0})", "tf.io.read_file(path)"),
    "pathlib.Path.read_bytes": Rewrite(FILE, "tf.io.read_file({self})", "tf.io.read_file(path)"),
    "pathlib.Path.read_text": Rewrite(FILE, "tf.io.read_file({self})", "tf.io.read_file(path)"),
    "tensorflow.io.gfile.GFile": Rewrite(FILE, "tf.io.read_file({0})", "tf.io.read_file(path)"),
    "numpy.load": Rewrite(
        FILE, "tf.io.parse_tensor(tf.io.read_file({0}), out_type=tf.float32)",
        "tf.io.parse_tensor(tf.io.read_file(path), out_type=tf.float32)",
        "convert the .npy files once with tf.io.serialize_tensor (or to TFRecord); raw .npy bytes can also "
        "be read with tf.io.decode_raw after skipping the header",
    ),
    # NumPy reads float64 unless told otherwise; decode_raw needs the same element type.
    "numpy.fromfile": Rewrite(FILE, "tf.io.decode_raw(tf.io.read_file({0}), tf.float64)",
                              "tf.io.decode_raw(tf.io.read_file(path), tf.float64)",
                              "the file must hold the raw elements only (no header)",
                              with_dtype="tf.io.decode_raw(tf.io.read_file({0}), {dtype})"),
    "numpy.frombuffer": Rewrite(FILE, "tf.io.decode_raw({0}, tf.float64)",
                                "tf.io.decode_raw(raw, tf.float64)",
                                with_dtype="tf.io.decode_raw({0}, {dtype})"),
    "pickle.load": Rewrite(
        FILE, "tf.io.parse_tensor(tf.io.read_file(path), out_type=tf.float32)",
        "tf.io.parse_tensor(tf.io.read_file(path), out_type=tf.float32)",
        "pickles have no TensorFlow reader: convert them once to TFRecord or serialized tensors",
    ),
    "struct.unpack": Rewrite(PARSE, "tf.io.decode_raw({1}, tf.int32)", "tf.io.decode_raw(raw, tf.int32)",
                             "choose out_type and little_endian= to match the format string"),
    # --- parsing ----------------------------------------------------------------------------------
    "json.loads": Rewrite(
        PARSE, "tf.io.parse_single_example(tf.io.decode_json_example({0}), feature_spec)",
        "tf.io.parse_single_example(tf.io.decode_json_example(line), feature_spec)",
        "decode_json_example reads tf.train.Example protos written as JSON; for other JSON convert the "
        "files once to TFRecord, or pull flat fields out with tf.strings.regex_replace + "
        "tf.strings.to_number",
    ),
    "json.load": Rewrite(
        PARSE, "tf.io.decode_json_example(tf.io.read_file(path))",
        "tf.io.decode_json_example(tf.io.read_file(path))",
        "decode_json_example reads tf.train.Example protos written as JSON; other JSON: convert once to "
        "TFRecord",
    ),
    "csv.reader": Rewrite(
        PARSE, "tf.io.decode_csv({0}, record_defaults=[[0.0], [0.0], [\"\"]])",
        "tf.io.decode_csv(line, record_defaults=[[0.0], [0.0], [\"\"]])",
        "one default per column gives its dtype; or read the files with tf.data.experimental.CsvDataset",
    ),
    "csv.DictReader": Rewrite(
        PARSE, "tf.io.decode_csv({0}, record_defaults=[[0.0], [0.0], [\"\"]])",
        "tf.io.decode_csv(line, record_defaults=[[0.0], [0.0], [\"\"]])",
        "columns come back positionally; or use tf.data.experimental.make_csv_dataset",
    ),
    # --- strings and regular expressions ----------------------------------------------------------
    ".lower": Rewrite(STRING, "tf.strings.lower({self})", "tf.strings.lower(text)"),
    ".upper": Rewrite(STRING, "tf.strings.upper({self})", "tf.strings.upper(text)"),
    ".strip": Rewrite(STRING, "tf.strings.strip({self})", "tf.strings.strip(text)"),
    ".split": Rewrite(STRING, "tf.strings.split({self})", "tf.strings.split(text)",
                      "pass sep= for a fixed separator; returns a RaggedTensor"),
    ".replace": Rewrite(STRING, "tf.strings.regex_replace({self}, re.escape({0}), {1})",
                        "tf.strings.regex_replace(text, re.escape(old), new)"),
    ".startswith": Rewrite(STRING, "tf.strings.regex_full_match({self}, re.escape({0}) + '.*')",
                           "tf.strings.regex_full_match(text, re.escape(prefix) + '.*')"),
    ".join": Rewrite(STRING, "tf.strings.reduce_join({0}, separator={self})",
                     "tf.strings.reduce_join(parts, separator=' ')"),
    ".decode": Rewrite(STRING, "{self}", "text",
                       "tf.string tensors are bytes: TensorFlow ops take them without decoding"),
    ".encode": Rewrite(STRING, "{self}", "text", "tf.string tensors are already bytes"),
    ".numpy": Rewrite(STRING, "{self}", "x", "in a traced function the argument is already a tensor"),
    "io.BytesIO": Rewrite(FILE, "{0}", "raw", "TensorFlow decoders take the encoded bytes directly"),
    ".get": Rewrite(
        STRING, "{self}_table.lookup({0})", "table.lookup(tokens)",
        "build the table once, outside the map: {self}_table = tf.lookup.StaticHashTable("
        "tf.lookup.KeyValueTensorInitializer(list({self}.keys()), list({self}.values())), default_value=0)",
    ),
    "re.sub": Rewrite(STRING, "tf.strings.regex_replace({2}, {0}, {1})",
                      "tf.strings.regex_replace(text, pattern, rewrite)",
                      "TensorFlow uses RE2 syntax: no lookarounds or backreferences in the pattern"),
    "re.Pattern.sub": Rewrite(STRING, "tf.strings.regex_replace({1}, {pattern}, {0})",
                              "tf.strings.regex_replace(text, pattern, rewrite)",
                              "TensorFlow uses RE2 syntax: no lookarounds or backreferences"),
    "re.findall": Rewrite(STRING, "tf.strings.split(tf.strings.regex_replace({1}, {not_pattern}, ' '))",
                          "tf.strings.split(tf.strings.regex_replace(text, NOT_PATTERN, ' '))",
                          "findall(P) is a split on what P does not match (RE2 syntax)"),
    "re.Pattern.findall": Rewrite(
        STRING, "tf.strings.split(tf.strings.regex_replace({0}, {not_pattern}, ' '))",
        "tf.strings.split(tf.strings.regex_replace(text, NOT_PATTERN, ' '))",
        "findall(P) is a split on what P does not match (RE2 syntax)"),
    "re.split": Rewrite(STRING, "tf.strings.split(tf.strings.regex_replace({1}, {0}, ' '))",
                        "tf.strings.split(tf.strings.regex_replace(text, pattern, ' '))"),
    "re.Pattern.split": Rewrite(STRING, "tf.strings.split(tf.strings.regex_replace({0}, {pattern}, ' '))",
                                "tf.strings.split(tf.strings.regex_replace(text, pattern, ' '))"),
    "re.match": Rewrite(STRING, "tf.strings.regex_full_match({1}, {0} + '.*')",
                        "tf.strings.regex_full_match(text, pattern + '.*')"),
    "re.fullmatch": Rewrite(STRING, "tf.strings.regex_full_match({1}, {0})",
                            "tf.strings.regex_full_match(text, pattern)"),
    "re.search": Rewrite(STRING, "tf.strings.regex_full_match({1}, '.*' + {0} + '.*')",
                         "tf.strings.regex_full_match(text, '.*' + pattern + '.*')"),
    "re.Pattern.match": Rewrite(STRING, "tf.strings.regex_full_match({0}, {pattern} + '.*')",
                                "tf.strings.regex_full_match(text, pattern + '.*')"),
    "re.Pattern.search": Rewrite(STRING, "tf.strings.regex_full_match({0}, '.*' + {pattern} + '.*')",
                                 "tf.strings.regex_full_match(text, '.*' + pattern + '.*')"),
    # --- NumPy element-wise math and reductions ---------------------------------------------------
    "numpy.abs": Rewrite(MATH, "tf.math.abs({0})", "tf.math.abs(x)"),
    "numpy.absolute": Rewrite(MATH, "tf.math.abs({0})", "tf.math.abs(x)"),
    "numpy.log": Rewrite(MATH, "tf.math.log({0})", "tf.math.log(x)"),
    "numpy.log1p": Rewrite(MATH, "tf.math.log1p({0})", "tf.math.log1p(x)"),
    "numpy.log10": Rewrite(MATH, "tf.experimental.numpy.log10({0})", "tf.experimental.numpy.log10(x)"),
    "numpy.exp": Rewrite(MATH, "tf.math.exp({0})", "tf.math.exp(x)"),
    "numpy.sqrt": Rewrite(MATH, "tf.math.sqrt({0})", "tf.math.sqrt(x)"),
    "numpy.square": Rewrite(MATH, "tf.math.square({0})", "tf.math.square(x)"),
    "numpy.power": Rewrite(MATH, "tf.math.pow({0}, {1})", "tf.math.pow(x, y)"),
    "numpy.clip": Rewrite(MATH, "tf.clip_by_value({0}, {1}, {2})", "tf.clip_by_value(x, low, high)"),
    "numpy.maximum": Rewrite(MATH, "tf.math.maximum({0}, {1})", "tf.math.maximum(x, y)"),
    "numpy.minimum": Rewrite(MATH, "tf.math.minimum({0}, {1})", "tf.math.minimum(x, y)"),
    "numpy.tanh": Rewrite(MATH, "tf.math.tanh({0})", "tf.math.tanh(x)"),
    "numpy.round": Rewrite(MATH, "tf.math.round({0})", "tf.math.round(x)"),
    "numpy.floor": Rewrite(MATH, "tf.math.floor({0})", "tf.math.floor(x)"),
    "numpy.mean": Rewrite(MATH, "tf.math.reduce_mean({0})", "tf.math.reduce_mean(x)"),
    "numpy.sum": Rewrite(MATH, "tf.math.reduce_sum({0})", "tf.math.reduce_sum(x)"),
    "numpy.max": Rewrite(MATH, "tf.math.reduce_max({0})", "tf.math.reduce_max(x)"),
    "numpy.min": Rewrite(MATH, "tf.math.reduce_min({0})", "tf.math.reduce_min(x)"),
    "numpy.std": Rewrite(MATH, "tf.math.reduce_std({0})", "tf.math.reduce_std(x)"),
    "numpy.sort": Rewrite(MATH, "tf.sort({0})", "tf.sort(x)"),
    "numpy.argsort": Rewrite(MATH, "tf.argsort({0})", "tf.argsort(x)"),
    "numpy.concatenate": Rewrite(MATH, "tf.concat({0}, axis=0)", "tf.concat(parts, axis=0)"),
    "numpy.stack": Rewrite(MATH, "tf.stack({0})", "tf.stack(parts)"),
    "numpy.pad": Rewrite(MATH, "tf.pad({0}, {1})", "tf.pad(x, paddings)"),
    "numpy.where": Rewrite(MATH, "tf.where({0}, {1}, {2})", "tf.where(condition, x, y)"),
    "numpy.dot": Rewrite(MATH, "tf.tensordot({0}, {1}, 1)", "tf.tensordot(a, b, 1)"),
    "numpy.matmul": Rewrite(MATH, "tf.linalg.matmul({0}, {1})", "tf.linalg.matmul(a, b)"),
    "numpy.reshape": Rewrite(MATH, "tf.reshape({0}, {1})", "tf.reshape(x, shape)"),
    "numpy.transpose": Rewrite(MATH, "tf.transpose({0})", "tf.transpose(x)"),
    "numpy.asarray": Rewrite(MATH, "tf.convert_to_tensor({0})", "tf.convert_to_tensor(x)",
                             with_dtype="tf.cast({0}, {dtype})"),
    "numpy.array": Rewrite(MATH, "tf.convert_to_tensor({0})", "tf.convert_to_tensor(x)",
                           with_dtype="tf.cast({0}, {dtype})"),
    ".astype": Rewrite(MATH, "tf.cast({self}, {0})", "tf.cast(x, tf.float32)"),
    # Any other NumPy function: tf.experimental.numpy mirrors most of the NumPy API as traced ops.
    "numpy.": Rewrite(MATH, "tf.experimental.numpy.{name}({args})", "tf.experimental.numpy.cumsum(x)",
                      "check that tf.experimental.numpy has this function"),
}

# Keyword arguments a template may leave out: they say how Python decodes text, which TensorFlow's string
# ops (on bytes) do not need. Any other keyword a template has no place for keeps the call in Python.
HARMLESS_KEYWORDS: frozenset[str] = frozenset({"encoding", "errors"})

# NumPy scalar types called as conversions (`np.float32(x)`): a cast of the tensor.
_NUMPY_SCALARS: dict[str, str] = {
    **{name: f"tf.{name}" for name in ("float16", "float32", "float64", "int8", "int16", "int32", "int64",
                                       "uint8", "uint16")},
    "bool_": "tf.bool",
}
TF_NATIVE.update({f"numpy.{name}": Rewrite(MATH, f"tf.cast({{0}}, {dtype})", f"tf.cast(x, {dtype})")
                  for name, dtype in _NUMPY_SCALARS.items()})

# Attributes a tensor has: any other attribute of a rewritten value (PIL's `img.size`, `img.mode`) is Python.
TENSOR_ATTRIBUTES: frozenset[str] = frozenset({"shape", "dtype", "ndim"})

# Arguments that hold the encoded bytes in memory rather than a path (select `Rewrite.from_bytes`).
IN_MEMORY_WRAPPERS: frozenset[str] = frozenset({"io.BytesIO"})
# Views of encoded bytes as an array (`cv2.imdecode(np.frombuffer(raw, np.uint8))`): a TensorFlow decoder
# takes the bytes themselves, so the view's own argument replaces it.
BYTE_VIEWS: frozenset[str] = frozenset({"numpy.frombuffer"})

# The type of the value a call returns, so that methods called on it can be looked up (`img.resize`).
RETURN_TYPES: dict[str, str] = {
    "PIL.Image.open": "PIL.Image.Image",
    "PIL.Image.fromarray": "PIL.Image.Image",
    "PIL.Image.new": "PIL.Image.Image",
    "PIL.Image.Image.convert": "PIL.Image.Image",
    "PIL.Image.Image.resize": "PIL.Image.Image",
    "PIL.Image.Image.rotate": "PIL.Image.Image",
    "PIL.Image.Image.transpose": "PIL.Image.Image",
    "PIL.Image.Image.crop": "PIL.Image.Image",
    "re.compile": "re.Pattern",
    "regex.compile": "re.Pattern",
    "pathlib.Path": "pathlib.Path",
    "numpy.random.default_rng": "numpy.random.Generator",
    "numpy.random.Generator": "numpy.random.Generator",
    "numpy.random.RandomState": "numpy.random.RandomState",
    "random.Random": "random.Random",
}

# Calls that are bookkeeping in a per-element body, not work to rewrite (never listed as "still Python").
NOT_WORK: frozenset[str] = frozenset(
    {"len", "range", "enumerate", "zip", "int", "float", "str", "bytes", "bool", "list", "tuple", "dict",
     "isinstance", "print", "min", "max", "abs", "sum", "sorted", "reversed", "time.sleep", "time.time",
     "time.perf_counter", "logging.", ".append", ".items", ".keys", ".values", "numpy.random.default_rng",
     "numpy.random.seed", "numpy.random.RandomState", "random.seed", "random.Random",
     "numpy.random.get_state", "numpy.random.set_state", "random.getstate", "random.setstate"}
)

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
    "print": "tf.print",
    "logging.info": "tf.print",
    "logging.warning": "tf.print",
    "logging.debug": "tf.print",
    "tensorflow.compat.v1.logging.info": "tf.print",
    "absl.logging.info": "tf.print",
    "open": "tf.io.read_file",
    "time.sleep": "(remove it: it waited once, at trace time)",
}
