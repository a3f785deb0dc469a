"""Random draws rewritten with tf.random keep their distribution, or say why they are not rewritten.

The calls are real shapes: most are copied from bench/realworld/files (public repositories) and from the
TFP002 fixtures; the source is named next to each.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from tfpar_doctor.advice.advisor import SiteInput, advise
from tfpar_doctor.advice.randomness import rewrite_random
from tfpar_doctor.knowledge.randomness import RANDOM_CALLS
from tfpar_doctor.model import Finding, Location, Severity

from .conftest import FIXTURES


def draw(key: str, call: str, values: str = "") -> str | None:
    node = ast.parse(call, mode="eval").body
    assert isinstance(node, ast.Call)
    module = {t.id: s.value for s in ast.parse(values).body if isinstance(s, ast.Assign)
              for t in s.targets if isinstance(t, ast.Name)}
    return rewrite_random(key, node, module).tensorflow


@pytest.mark.parametrize(("key", "call", "expected"), [
    # the case: an index in [0, N), with size -> shape (not a float in [0, 1)); a bare name N could
    # be an int or a sequence, so only a known int is rewritten
    ("numpy.random.choice", "np.random.choice(N, size=1)", None),
    ("numpy.random.choice", "np.random.choice(10, size=1)",
     "tf.random.uniform([1], maxval=10, dtype=tf.int64)"),
    ("numpy.random.choice", "np.random.choice(len(img_shape), size=1)",  # tensorflow/tpu simple_example.py
     "tf.random.uniform([1], maxval=len(img_shape), dtype=tf.int64)"),
    # NumPy's high is exclusive, like TensorFlow's maxval
    ("numpy.random.randint", "np.random.randint(min_id, max_id)",  # dopamine circular_replay_buffer.py
     "tf.random.uniform([], minval=min_id, maxval=max_id, dtype=tf.int64)"),
    ("numpy.random.randint", "np.random.randint(2)",  # keras-yolo3 generator.py: a coin flip
     "tf.random.uniform([], minval=0, maxval=2, dtype=tf.int64)"),
    ("numpy.random.randint", "np.random.randint(n_subjects, size=[n_subjects])",  # NiftyNet sampler
     "tf.random.uniform([n_subjects], minval=0, maxval=n_subjects, dtype=tf.int64)"),
    # Python's randint includes b
    ("random.randint", "random.randint(0, data_len - 1 - b_len)",  # xlnet data_utils.py
     "tf.random.uniform([], minval=0, maxval=data_len - 1 - b_len + 1, dtype=tf.int32)"),
    ("random.randint", "random.randint(1, 10)", "tf.random.uniform([], minval=1, maxval=11, dtype=tf.int32)"),
    ("random.randrange", "random.randrange(5)", "tf.random.uniform([], minval=0, maxval=5, dtype=tf.int32)"),
    ("numpy.random.Generator.integers", "rng.integers(0, 6, endpoint=True)",
     "tf.random.uniform([], minval=0, maxval=7, dtype=tf.int64)"),
    ("numpy.random.normal", "np.random.normal(0.0, 0.1, (3, 4))",
     "tf.random.normal([3, 4], mean=0.0, stddev=0.1)"),
    ("numpy.random.normal", "np.random.normal(scale=sigma)", "tf.random.normal([], stddev=sigma)"),
    ("random.gauss", "random.gauss(0, 1)", "tf.random.normal([], mean=0, stddev=1)"),
    ("numpy.random.uniform", "np.random.uniform(-0.2, 0.2)",
     "tf.random.uniform([], minval=-0.2, maxval=0.2)"),
    ("numpy.random.rand", "np.random.rand(3, 4)", "tf.random.uniform([3, 4])"),
    ("numpy.random.randn", "np.random.randn()", "tf.random.normal([])"),
    ("random.random", "random.random()", "tf.random.uniform([])"),
    # choice over a list: an element of it, not an index
    ("numpy.random.choice", "np.random.choice([1, 2, 3])",  # IntelAI unet dataloader.py: a rotation
     "tf.gather([1, 2, 3], tf.random.uniform([], maxval=len([1, 2, 3]), dtype=tf.int32))"),
    ("numpy.random.choice", "np.random.choice(range(-offset, offset))",  # IntelAI unet dataloader.py
     "tf.random.uniform([], minval=-offset, maxval=offset, dtype=tf.int64)"),
    ("numpy.random.choice", "np.random.choice(4, p=[0.1, 0.2, 0.3, 0.4])",
     "tf.random.categorical(tf.math.log([[0.1, 0.2, 0.3, 0.4]]), 1, dtype=tf.int64)[0, 0]"),
    ("numpy.random.choice", "np.random.choice(10, size=3, replace=False)",
     "tf.random.shuffle(tf.range(10, dtype=tf.int64))[:3]"),
    ("random.sample", "random.sample([1, 2, 3, 4], 2)", "tf.random.shuffle([1, 2, 3, 4])[:2]"),
    ("numpy.random.permutation", "np.random.permutation(8)",
     "tf.random.shuffle(tf.range(8, dtype=tf.int64))"),
    ("numpy.random.poisson", "np.random.poisson(3.0, 5)", "tf.random.poisson([5], 3.0, dtype=tf.int64)"),
    ("numpy.random.exponential", "np.random.exponential(2.0)", "tf.random.gamma([], 1.0, beta=1.0 / 2.0)"),
    ("numpy.random.gamma", "np.random.gamma(k, theta, size=2)",
     "tf.random.gamma([2], k, beta=1.0 / theta)"),
])
def test_the_draw_keeps_its_distribution(key: str, call: str, expected: str | None) -> None:
    assert draw(key, call) == expected


def test_a_module_level_list_is_a_sequence_to_draw_from() -> None:
    # fixtures/rules/TFP002/positive_speed_jitter_choice.py
    drawn = draw("numpy.random.choice", "np.random.choice(SPEED_FACTORS)", "SPEED_FACTORS = [0.9, 1.0, 1.1]")
    index = "tf.random.uniform([], maxval=len(SPEED_FACTORS), dtype=tf.int32)"
    assert drawn == f"tf.gather(SPEED_FACTORS, {index})"


@pytest.mark.parametrize(("key", "call", "why"), [
    # magenta onsets_frames data.py: an hparam, int or list, unknown
    ("numpy.random.choice", "np.random.choice(hparams.jitter_amount_ms, size=1)", "is not a literal"),
    ("numpy.random.choice", "np.random.choice(keys, p=weights)", "is not a literal"),  # basic-pitch
    ("numpy.random.uniform", "np.random.uniform(0, 1, size=shape)", "shape of the draw is unknown"),
    ("random.randrange", "random.randrange(0, 10, 2)", "step"),
    ("numpy.random.randint", "np.random.randint(0, 5, dtype=np.int8)", "dtype"),
    ("numpy.random.Generator.integers", "rng.integers(0, 6, endpoint=closed)", "endpoint"),
    ("numpy.random.choice", "np.random.choice(5, size=2, replace=flag)", "replace"),
    ("numpy.random.binomial", "np.random.binomial(10, 0.5)", "no binomial"),
    ("numpy.random.shuffle", "np.random.shuffle(x)", "in place"),
    ("numpy.random.uniform", "np.random.uniform(*bounds)", "unpacked"),
])
def test_an_unknown_shape_or_kind_is_said_not_guessed(key: str, call: str, why: str) -> None:
    node = ast.parse(call, mode="eval").body
    assert isinstance(node, ast.Call)
    result = rewrite_random(key, node)
    assert result.tensorflow is None
    assert why in result.reason and call.split("(")[0] in result.reason


def test_every_table_entry_draws_valid_code() -> None:
    values = {"a": "[1, 2, 3]", "x": "[1, 2, 3]", "size": "2"}
    flags = ("dtype", "endpoint", "step", "replace", "p")
    for key, entry in RANDOM_CALLS.items():
        args = ", ".join(values.get(name, "5") for name in entry.params if name not in flags)
        text = draw(key, f"f({'2, 3' if entry.kind == 'dims' else args})")
        assert text is not None and text.startswith("tf."), key
        ast.parse(text, mode="eval")


def write(tmp_path: Path, source: str) -> str:
    path = tmp_path / "augment.py"
    path.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    return str(path)


def random_finding(path: str, line: int, column: int, function: str) -> Finding:
    where = Location(path, line, column, line, column + 5)
    return Finding(code="TFP002", name="trace-time-randomness", message="m", location=where,
                   severity=Severity.ERROR, function=f"{path}:{function}", advice_kinds=("tf-random",))


def test_the_advice_rewrites_the_users_statement(tmp_path: Path) -> None:
    path = write(tmp_path, """
        import numpy as np

        def crop(image, limit):
            off = int(np.random.uniform(0, limit))
            return image[off:]
    """)
    (advice,) = advise(SiteInput(Location(path, 4, 15, 4, 20), [random_finding(path, 4, 15, "crop")]))
    assert advice.code.splitlines()[1:] == [
        "# was: off = int(np.random.uniform(0, limit))",
        "off = tf.cast(tf.random.uniform([], minval=0, maxval=limit), tf.int32)",
    ]
    assert any("float32" in n for n in advice.notes)


def test_every_random_call_of_the_statement_is_rewritten_in_one_block(tmp_path: Path) -> None:
    # fixtures/probe/trace_time.py: one block per call left the other call drawing at trace time in each
    path = write(tmp_path, """
        import random

        import numpy as np

        def jitter(x):
            noise = np.random.uniform() + random.random() + random.sample(range(100), 10)[0]
            return x + noise
    """)
    findings = [random_finding(path, 6, column, "jitter") for column in (13, 37, 55)]
    blocks = {a.code for a in advise(SiteInput(Location(path, 6, 13, 6, 20), findings)) if a.code}
    lines = {block.splitlines()[-1] for block in blocks}
    assert "noise = tf.random.uniform([]) + tf.random.uniform([]) + random.sample(range(100), 10)[0]" in lines
    assert all("np.random.uniform()" not in line and "random.random()" not in line for line in lines)
    (advice,) = [a for a in advise(SiteInput(Location(path, 6, 13, 6, 20), findings[:1]))]
    assert any("random.sample(range(100), 10)` stays Python" in n for n in advice.notes)


def test_the_advice_says_when_it_cannot_rewrite(tmp_path: Path) -> None:
    path = write(tmp_path, """
        import numpy as np

        def jitter(sample, hparams):
            shift = np.random.choice(hparams.jitter_amount_ms, size=1)
            return sample, shift
    """)
    (advice,) = advise(SiteInput(Location(path, 4, 13, 4, 20), [random_finding(path, 4, 13, "jitter")]))
    assert advice.code == ""
    assert "is not rewritten" in advice.summary and "hparams.jitter_amount_ms" in advice.summary


def test_a_lambda_body_is_rewritten_too(tmp_path: Path) -> None:
    # fixtures/rules/resolution/splits_and_layers.py as a lambda (the analysis names it `lambda (line N)`)
    path = write(tmp_path, """
        import numpy as np
        import tensorflow as tf

        ds = tf.data.Dataset.range(4).map(lambda x: tf.cast(x, tf.float32) + np.random.normal())
    """)
    finding = random_finding(path, 4, 70, "lambda (line 4)")
    (advice,) = advise(SiteInput(Location(path, 4, 31, 4, 34), [finding]))
    assert advice.code.splitlines()[-1] == "tf.random.normal([])"


def test_the_fixture_randomness_is_rewritten_with_its_distribution() -> None:
    source = (FIXTURES / "rules" / "TFP002" / "positive_shuffled_policy.py").read_text()
    assert "random.randint(1, MAX_MAGNITUDE)" in source  # the shape this test stands for
    node = ast.parse("random.randint(1, MAX_MAGNITUDE)", mode="eval").body
    assert isinstance(node, ast.Call)
    assert rewrite_random("random.randint", node).tensorflow == (
        "tf.random.uniform([], minval=1, maxval=MAX_MAGNITUDE + 1, dtype=tf.int32)")
