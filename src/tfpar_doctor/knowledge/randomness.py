"""Python and NumPy random calls and the tf.random draw with the same distribution.

A random call in a traced function runs once, at trace time; in a py_function body it runs per element but
holds the GIL. Either way the replacement must draw from the same distribution: `np.random.choice(N)` is a
uniform integer in [0, N), not a float in [0, 1). Each entry names the library's parameters in positional
order (to bind the user's arguments by position or keyword) and the distribution they describe; the advisor
(advice/randomness.py) writes the tf.random call from them, or says why it cannot.

Distributions (`kind`):
- "uniform": floats in [low, high); params `low`, `high`, `size`.
- "normal": params `loc`, `scale`, `size` (NumPy's names; Python's gauss(mu, sigma) is bound to them).
- "integers": ints in [low, high); a missing `high` means [0, low) (NumPy's randint, Python's randrange).
  `inclusive` entries include `high` (Python's randint(a, b), Generator.integers(..., endpoint=True)).
- "choice": one element (or index) of `a`, with `size`, `replace` and probabilities `p`.
- "permutation": a shuffled copy of `x` (or of range(x) for an int).
- "poisson", "gamma", "exponential": NumPy's parameters (`scale` is TensorFlow's 1 / beta).
- "dims": `rand(d0, d1, ...)`/`randn(...)`: the shape is the positional arguments; `base` is uniform/normal.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RandomCall:
    kind: str  # see the module docstring
    params: tuple[str, ...]  # the library's parameter names, in positional order
    inclusive: bool = False  # "integers": the upper bound is drawn too
    int_dtype: str = "tf.int64"  # "integers"/"choice" of an int: NumPy draws int64
    base: str = ""  # "dims": "uniform" or "normal"


_UNIFORM = RandomCall("uniform", ("low", "high", "size"))
_NORMAL = RandomCall("normal", ("loc", "scale", "size"))
_RANDINT = RandomCall("integers", ("low", "high", "size", "dtype"))
_CHOICE = RandomCall("choice", ("a", "size", "replace", "p"))
_PERMUTATION = RandomCall("permutation", ("x",))
_POISSON = RandomCall("poisson", ("lam", "size"))
_GAMMA = RandomCall("gamma", ("shape", "scale", "size"))
_EXPONENTIAL = RandomCall("exponential", ("scale", "size"))
_UNIT = RandomCall("uniform", ("size",))  # random(size): floats in [0, 1)
_STANDARD_NORMAL = RandomCall("normal", ("size",))

# What NumPy's legacy module functions (and RandomState) and numpy.random.Generator spell the same way.
_NUMPY_BOTH: dict[str, RandomCall] = {
    "uniform": _UNIFORM,
    "normal": _NORMAL,
    "choice": _CHOICE,
    "permutation": _PERMUTATION,
    "poisson": _POISSON,
    "gamma": _GAMMA,
    "exponential": _EXPONENTIAL,
    "random": _UNIT,
    "standard_normal": _STANDARD_NORMAL,
}

# NumPy's legacy module functions and the same methods of a RandomState.
_LEGACY: dict[str, RandomCall] = {
    **_NUMPY_BOTH,
    "randint": _RANDINT,
    "random_integers": RandomCall("integers", ("low", "high", "size"), inclusive=True),
    "random_sample": _UNIT,
    "ranf": _UNIT,
    "sample": _UNIT,
    "rand": RandomCall("dims", (), base="uniform"),
    "randn": RandomCall("dims", (), base="normal"),
}

# numpy.random.Generator (default_rng()).
_GENERATOR: dict[str, RandomCall] = {
    **_NUMPY_BOTH,
    "integers": RandomCall("integers", ("low", "high", "size", "dtype", "endpoint")),
}

# Python's random module.
_PYTHON: dict[str, RandomCall] = {
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

RANDOM_CALLS: dict[str, RandomCall] = {
    **{f"numpy.random.{name}": call for name, call in _LEGACY.items()},
    **{f"numpy.random.RandomState.{name}": call for name, call in _LEGACY.items()},
    **{f"numpy.random.Generator.{name}": call for name, call in _GENERATOR.items()},
    **{f"random.{name}": call for name, call in _PYTHON.items()},
    **{f"random.Random.{name}": call for name, call in _PYTHON.items()},
}

# The prefixes of random calls: a call under one of them that the table lacks is said to be unmapped,
# never guessed as a uniform draw.
RANDOM_PREFIXES: tuple[str, ...] = ("numpy.random.", "random.")

# What differs whatever the arguments (shown with the rewrite).
FLOAT_NOTE = ("tf.random draws float32 where NumPy and Python draw float64: pass dtype=tf.float64 if it "
              "matters")

# Random calls that have no one-expression tf.random form, and what to write instead.
UNMAPPED: dict[str, str] = {
    "shuffle": "it shuffles in place and returns None: write `x = tf.random.shuffle(x)` (it shuffles the "
    "first axis, as NumPy does)",
    "binomial": "tf.random has no binomial op outside tf.random.Generator and stateless_binomial",
    "beta": "tf.random has no beta op: draw two gammas, X / (X + Y)",
    "bytes": "tf.random has no bytes op",
    "getrandbits": "tf.random has no bit op: draw tf.random.uniform with dtype=tf.int64",
}

# `int(np.random.uniform(0, n))`: a Python conversion of the draw becomes a cast of the tensor (int() and
# tf.cast both truncate toward zero); in a traced function int() of a tensor fails.
PYTHON_CASTS: dict[str, str] = {"int": "tf.int32", "float": "tf.float32"}
