"""Python and NumPy random calls and the tf.random draw with the same distribution.

A random call in a traced function runs once, at trace time; in a py_function body it runs per element but
holds the GIL. Either way the replacement must draw from the same distribution: `np.random.choice(N)` is a
uniform integer in [0, N), not a float in [0, 1). Each call's distribution and parameters are the `draw` of
its record in knowledge/library_calls.py (the kinds are documented on `RandomCall` there); `RANDOM_CALLS`
is derived from those records. The advisor (advice/randomness.py) writes the tf.random call from them, or
says why it cannot.

What stays here is not a fact of one call: the prefixes under which an unknown call is still a random one,
the note every float draw gets, the reasons keyed by a method name shared by several libraries (`shuffle`
is NumPy's, Generator's and Python's), and how a Python conversion of a draw becomes a cast.
"""

from __future__ import annotations

from tfpar_doctor.knowledge.library_calls import LIBRARY_CALLS, RandomCall

__all__ = ["FLOAT_NOTE", "PYTHON_CASTS", "RANDOM_CALLS", "RANDOM_PREFIXES", "UNMAPPED", "RandomCall"]

RANDOM_CALLS: dict[str, RandomCall] = {call.name: call.draw for call in LIBRARY_CALLS if call.draw}

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
