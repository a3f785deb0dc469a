"""The tf-native block is either a complete function with TensorFlow ops or a sketch titled so, and neither
puts a Python generator, comprehension or lambda inside a TensorFlow op."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from tfpar_doctor.advice.source import load_function
from tfpar_doctor.advice.tf_native import PYTHON_ONLY, NativePlan, code_block, plan

from .conftest import FIXTURES


def native_of(tmp_path: Path, source: str, name: str) -> tuple[str, NativePlan]:
    path = tmp_path / "body.py"
    path.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    loaded = load_function(f"{path}:{name}")
    assert loaded is not None
    native = plan(loaded)
    return code_block(loaded, native), native


def tf_calls_with_python_iteration(code: str) -> list[str]:
    """Calls of `tf.*` whose arguments hold a generator, comprehension or lambda."""
    out = []
    for node in ast.walk(ast.parse(code)):
        if not (isinstance(node, ast.Call) and ast.unparse(node.func).startswith("tf.")):
            continue
        arguments = (*node.args, *(k.value for k in node.keywords))
        if any(isinstance(n, PYTHON_ONLY) for a in arguments for n in ast.walk(a)):
            out.append(ast.unparse(node))
    return out


def test_a_generator_in_a_join_is_not_handed_to_a_tensorflow_op(tmp_path: Path) -> None:
    # the case: tf.strings.reduce_join((c for c in word if c.isalnum()), separator='')
    code, native = native_of(tmp_path, """
        def clean(word):
            word = word.numpy().decode("utf-8").lower()
            return "".join(c for c in word if c.isalnum())
    """, "clean")
    assert tf_calls_with_python_iteration(code) == []
    assert code.startswith("# Sketch, not a complete function")
    assert "word = tf.strings.lower(word)" in code
    assert 'body.py:3  "".join(c for c in word if c.isalnum())  (its argument is a Python generator' in code


def test_calls_inside_a_comprehension_stay_python(tmp_path: Path) -> None:
    code, _ = native_of(tmp_path, """
        def words(line):
            return [w.lower() for w in line.split()]
    """, "words")
    assert tf_calls_with_python_iteration(code) == []
    assert "[tf.strings.lower(w)" not in code
    assert "inside a Python comprehension" in code


def test_a_body_that_maps_entirely_is_a_complete_function(tmp_path: Path) -> None:
    code, native = native_of(tmp_path, """
        import io

        import numpy as np
        from PIL import Image

        SIZE = (224, 160)


        def decode(raw):
            img = Image.open(io.BytesIO(raw))
            img = img.convert("RGB").resize(SIZE)
            return np.asarray(img, dtype=np.float32) / 255.0
    """, "decode")
    assert native.complete
    assert "Sketch" not in code
    tree = ast.parse(code)
    (function,) = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert function.name == "decode_tf" and [a.arg for a in function.args.args] == ["raw"]
    assert ast.unparse(function).splitlines()[1:] == [
        "    img = tf.io.decode_image(raw, channels=3, expand_animations=False)",
        "    img = tf.image.resize(img, SIZE[::-1])",
        "    return tf.cast(img, np.float32) / 255.0",
    ]
    assert "# ds = ds.map(decode_tf, num_parallel_calls=tf.data.AUTOTUNE)" in code


def test_a_body_with_python_left_is_a_sketch_with_that_python_as_comments(tmp_path: Path) -> None:
    code, native = native_of(tmp_path, """
        import numpy as np
        import somelib

        def work(x):
            y = somelib.transform(x)
            return np.sqrt(y)
    """, "work")
    assert not native.complete
    assert code.startswith("# Sketch, not a complete function")
    assert "#   body.py:5  somelib.transform(x)" in code
    ast.parse(code)


def test_a_python_conversion_keeps_the_rewrite_a_sketch(tmp_path: Path) -> None:
    # int() of a tensor fails in a traced function: not complete, though every library call maps
    code, native = native_of(tmp_path, """
        import numpy as np

        def scale(x):
            return int(np.sqrt(x))
    """, "scale")
    assert not native.complete
    assert "def scale_tf" not in code


def test_a_reader_that_needs_converted_files_keeps_the_rewrite_a_sketch(tmp_path: Path) -> None:
    # tf.io.parse_tensor reads serialized tensors, not the user's .npy files: every call maps, yet the
    # function would raise on their data (InvalidArgumentError in TF 2.21): a sketch with the note
    code, native = native_of(tmp_path, """
        import numpy as np

        def load(path):
            return np.load(path)
    """, "load")
    assert not native.complete
    assert code.startswith("# Sketch, not a complete function") and "def load_tf" not in code
    assert "tf.io.parse_tensor" in code
    assert "serialize_tensor" in native.replacements[0].note  # the advice's notes say what to convert
    ast.parse(code)


def test_a_lambda_body_maps_to_a_named_function(tmp_path: Path) -> None:
    path = tmp_path / "pipe.py"
    path.write_text("import numpy as np\n\nf = lambda x: np.sqrt(np.abs(x))\n", encoding="utf-8")
    loaded = load_function(f"{path}:lambda (line 3)")
    assert loaded is not None
    native = plan(loaded)
    assert native.complete
    assert native.function == "def _map_fn_3_tf(x):\n    return tf.math.sqrt(tf.math.abs(x))"


def test_every_tf_native_block_of_the_fixture_projects_is_valid() -> None:
    count = 0
    for path in sorted((FIXTURES / "projects").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            loaded = load_function(f"{path}:{node.name}")
            if loaded is None or not loaded.calls:
                continue
            native = plan(loaded)
            if not native.replacements:
                continue
            code = code_block(loaded, native)
            ast.parse(code)
            assert tf_calls_with_python_iteration(code) == [], f"{path}:{node.name}"
            assert native.complete != code.startswith("# Sketch"), f"{path}:{node.name}"
            count += 1
    assert count >= 5


def test_a_positional_numpy_dtype_becomes_a_cast(tmp_path: Path) -> None:
    # fixtures/projects/text_classifier/data.py: np.asarray(ids + [0] * (max_len - len(ids)), np.int32)
    code, _ = native_of(tmp_path, """
        import numpy as np

        def pad(ids):
            return np.asarray(ids, np.int32)
    """, "pad")
    assert "return tf.cast(ids, np.int32)" in code


def test_an_argument_the_template_has_no_place_for_is_never_dropped(tmp_path: Path) -> None:
    # IntelAI unet 3D/dataloader.py: np.rot90(img, rot, axes=random_axis) lost its axes
    code, native = native_of(tmp_path, """
        import numpy as np

        def augment(img, rot, random_axis):
            img = np.rot90(img, rot, axes=random_axis)
            mean = np.mean(img, axis=0)
            top = np.max(img, 1)
            return img, mean, top
    """, "augment")
    assert "img = tf.experimental.numpy.rot90(img, rot, axes=random_axis)" in code
    assert "tf.math.reduce_mean(img)" not in code and "tf.math.reduce_max(img)" not in code
    assert sorted(c.text for c in native.unknown) == ["np.max(img, 1)", "np.mean(img, axis=0)"]


def test_a_decoder_of_a_byte_view_reads_the_bytes(tmp_path: Path) -> None:
    # fixtures/rules/TFP101/positive_keyword_identified_receiver.py: cv2.imdecode(np.frombuffer(b, np.uint8))
    code, native = native_of(tmp_path, """
        import cv2
        import numpy as np

        def decode(encoded):
            return cv2.imdecode(np.frombuffer(encoded, np.uint8), cv2.IMREAD_COLOR)

        def raw(encoded):
            return np.frombuffer(encoded, np.uint8)
    """, "decode")
    assert native.function.splitlines()[-1] == (
        "    return tf.io.decode_image(encoded, channels=3, expand_animations=False)")
    raw_code, _ = native_of(tmp_path, (tmp_path / "body.py").read_text(), "raw")
    assert "return tf.io.decode_raw(encoded, np.uint8)" in raw_code


def test_a_result_used_as_a_python_object_keeps_the_call_python(tmp_path: Path) -> None:
    # fixtures/rules: np.load(path)["volume"] (an .npz by key) and PIL's Image.open(...).size
    code, native = native_of(tmp_path, """
        import io

        import numpy as np
        from PIL import Image

        def volume(path):
            return np.asarray(np.load(path)["volume"], np.float32)

        def size(data):
            return np.asarray(Image.open(io.BytesIO(data)).size, np.int64)

        def label(path):
            return np.load(path.replace(".raw", ".npy"))
    """, "volume")
    assert not native.complete and "indexed by a key ('volume')" in code
    size_code, size_plan = native_of(tmp_path, (tmp_path / "body.py").read_text(), "size")
    assert not size_plan.complete and "`.size` has no tensor counterpart" in size_code
    label_code, _ = native_of(tmp_path, (tmp_path / "body.py").read_text(), "label")  # np.load: a sketch
    assert "re.escape" not in label_code and "'\\\\.raw'" in label_code
