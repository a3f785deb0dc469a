"""A Python or NumPy random call written as the tf.random call with the same distribution, or the reason
it cannot be.

The user's argument expressions are carried over as written. What decides the distribution must be known
from the code itself: the shape (`size=`), whether `choice` draws from an int (an index) or from a
sequence (an element), `replace=`, `endpoint=`. When one of those is a value the advisor cannot see (a
parameter, an attribute), the rewrite is not guessed: the reason says what is unknown.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tfpar_doctor.knowledge.randomness import FLOAT_NOTE, RANDOM_CALLS, RANDOM_PREFIXES, UNMAPPED, RandomCall

# Where an argument's value comes from when it is a module-level name (`SPEED_FACTORS = [0.9, 1.0]`).
Values = Mapping[str, ast.expr]


@dataclass(frozen=True, slots=True)
class RandomRewrite:
    tensorflow: str | None  # the tf.random expression; None when it cannot be written
    reason: str = ""  # why not, when it cannot
    note: str = ""  # what differs and is worth checking


class _Cannot(Exception):
    """Raised by the builders: the message is the reason shown to the user."""


def is_random(key: str) -> bool:
    return key.startswith(RANDOM_PREFIXES)


def rewrite_random(key: str, call: ast.Call, values: Values | None = None) -> RandomRewrite:
    """`np.random.choice(N, size=2)` -> `tf.random.uniform([2], maxval=N, dtype=tf.int64)`."""
    text = _src(call)
    entry = RANDOM_CALLS.get(key)
    if entry is None:
        why = UNMAPPED.get(key.rsplit(".", 1)[-1], "the table has no tf.random op with its distribution")
        return RandomRewrite(None, f"`{text}` is not rewritten: {why}")
    try:
        bound = _bind(call, entry)
        expression = _BUILDERS[entry.kind](bound, entry, _Kinds(values or {}))
    except _Cannot as exc:
        return RandomRewrite(None, f"`{text}` is not rewritten: {exc}")
    float_kind = entry.kind in ("uniform", "normal", "gamma", "exponential", "expovariate") or entry.base
    return RandomRewrite(expression, note=FLOAT_NOTE if float_kind else "")


def _src(node: ast.AST) -> str:
    return ast.unparse(node)


def _bind(call: ast.Call, entry: RandomCall) -> dict[str, ast.expr]:
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise _Cannot("its arguments are unpacked with * or **, so which is which is unknown")
    if entry.kind == "dims":
        if call.keywords:
            raise _Cannot("rand/randn take only dimensions")
        return {str(i): arg for i, arg in enumerate(call.args)}
    if len(call.args) > len(entry.params):
        raise _Cannot("it has more positional arguments than the table knows")
    bound = dict(zip(entry.params, call.args, strict=False))
    for keyword in call.keywords:
        name = keyword.arg or ""
        if name not in entry.params or name in bound:
            raise _Cannot(f"the argument `{name}=` has no tf.random counterpart in the table")
        bound[name] = keyword.value
    return bound


class _Kinds:
    """What an argument expression is: an int, a sequence, a range, or unknown (module names resolved)."""

    def __init__(self, values: Values) -> None:
        self.values = values

    def resolve(self, node: ast.expr, depth: int = 0) -> ast.expr:
        if isinstance(node, ast.Name) and node.id in self.values and depth < 4:
            return self.resolve(self.values[node.id], depth + 1)
        return node

    def kind(self, node: ast.expr) -> str | None:
        value = self.resolve(node)
        if _is_int(value):
            return "int"
        if isinstance(value, (ast.List, ast.Tuple)):
            return "seq"
        if isinstance(value, ast.Call) and _called(value) in ("range", "np.arange", "numpy.arange") \
                and 1 <= len(value.args) <= 2 and not value.keywords:
            return "range"
        return None

    def shape(self, node: ast.expr | None, what: str = "size") -> str:
        """`size=` as a tf shape: absent -> `[]`, `3` -> `[3]`, `(h, w)` -> `[h, w]`."""
        if node is None or (isinstance(node, ast.Constant) and node.value is None):
            return "[]"
        value = self.resolve(node)
        if _is_int(value):
            return f"[{_src(node)}]"
        if isinstance(value, (ast.List, ast.Tuple)):
            return "[" + ", ".join(_src(e) for e in value.elts) + "]"
        raise _Cannot(f"`{what}={_src(node)}` is not a literal, so the shape of the draw is unknown")


def _is_int(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int) and not isinstance(node.value, bool)
    return isinstance(node, ast.Call) and _called(node) == "len"


def _called(call: ast.Call) -> str:
    return _src(call.func)


def _flag(node: ast.expr | None, name: str, default: bool) -> bool:
    if node is None:
        return default
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return node.value
    raise _Cannot(f"`{name}={_src(node)}` is not a literal True or False")


def _keywords(**values: str | None) -> str:
    return "".join(f", {name}={value}" for name, value in values.items() if value is not None)


def _arg(bound: dict[str, ast.expr], name: str) -> str | None:
    node = bound.get(name)
    return None if node is None or (isinstance(node, ast.Constant) and node.value is None) else _src(node)


def _uniform(bound: dict[str, ast.expr], entry: RandomCall, kinds: _Kinds) -> str:
    shape = kinds.shape(bound.get("size"))
    return f"tf.random.uniform({shape}{_keywords(minval=_arg(bound, 'low'), maxval=_arg(bound, 'high'))})"


def _normal(bound: dict[str, ast.expr], entry: RandomCall, kinds: _Kinds) -> str:
    shape = kinds.shape(bound.get("size"))
    return f"tf.random.normal({shape}{_keywords(mean=_arg(bound, 'loc'), stddev=_arg(bound, 'scale'))})"


def _plus_one(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return str(node.value + 1)
    return f"{_src(node)} + 1"


def _integers(bound: dict[str, ast.expr], entry: RandomCall, kinds: _Kinds) -> str:
    if "low" not in bound:
        raise _Cannot("it has no bounds")
    step = bound.get("step")
    if step is not None and not (isinstance(step, ast.Constant) and step.value == 1):
        raise _Cannot("a step other than 1 has no tf.random.uniform form")
    if bound.get("dtype") is not None:
        raise _Cannot(f"`dtype={_src(bound['dtype'])}` is not carried over: draw with dtype=tf.int64 and "
                      "cast")
    inclusive = _flag(bound.get("endpoint"), "endpoint", entry.inclusive)
    high = bound.get("high")
    low: ast.expr = bound["low"]
    if high is None or (isinstance(high, ast.Constant) and high.value is None):
        low, high = ast.Constant(0), low
    maxval = _plus_one(high) if inclusive else _src(high)
    shape = kinds.shape(bound.get("size"))
    return f"tf.random.uniform({shape}, minval={_src(low)}, maxval={maxval}, dtype={entry.int_dtype})"


def _index(shape: str, count: str, p: str | None, dtype: str) -> str:
    """Indices into a population of `count`, uniform or weighted by `p`."""
    if p is None:
        return f"tf.random.uniform({shape}, maxval={count}, dtype={dtype})"
    if shape == "[]":
        return f"tf.random.categorical(tf.math.log([{p}]), 1, dtype={dtype})[0, 0]"
    if shape.count(",") == 0:
        return f"tf.random.categorical(tf.math.log([{p}]), {shape[1:-1]}, dtype={dtype})[0]"
    raise _Cannot("a weighted draw (`p=`) of a multi-dimensional size has no one-op form")


def _choice(bound: dict[str, ast.expr], entry: RandomCall, kinds: _Kinds) -> str:
    population = bound.get("a")
    if population is None:
        raise _Cannot("it has no population")
    kind = kinds.kind(population)
    if kind is None:
        raise _Cannot(f"`{_src(population)}` is not a literal, so whether it draws an index (from an int) "
                      "or an element (from a sequence) is unknown")
    shape = kinds.shape(bound.get("size"))
    p = _arg(bound, "p")
    replace = _flag(bound.get("replace"), "replace", True) or shape == "[]"
    text = _src(population)
    if kind == "range":
        resolved = kinds.resolve(population)
        assert isinstance(resolved, ast.Call)
        if p is not None or not replace:
            raise _Cannot("a draw from a range with `p=` or replace=False has no one-op form")
        low, high = (("0", _src(resolved.args[0])) if len(resolved.args) == 1
                     else (_src(resolved.args[0]), _src(resolved.args[1])))
        return f"tf.random.uniform({shape}, minval={low}, maxval={high}, dtype={entry.int_dtype})"
    count = text if kind == "int" else f"len({text})"
    if not replace:
        if p is not None or shape.count(",") > 0:
            raise _Cannot("a draw without replacement with `p=` or a multi-dimensional size has no one-op "
                          "form")
        pool = f"tf.range({text}, dtype={entry.int_dtype})" if kind == "int" else text
        return f"tf.random.shuffle({pool})[:{shape[1:-1]}]"
    index = _index(shape, count, p, entry.int_dtype if kind == "int" else "tf.int32")
    return index if kind == "int" else f"tf.gather({text}, {index})"


def _sample(bound: dict[str, ast.expr], entry: RandomCall, kinds: _Kinds) -> str:
    if "size" not in bound:
        raise _Cannot("it has no sample size")
    return _choice({**bound, "replace": ast.Constant(False)}, entry, kinds)


def _permutation(bound: dict[str, ast.expr], entry: RandomCall, kinds: _Kinds) -> str:
    target = bound.get("x")
    kind = kinds.kind(target) if target is not None else None
    if target is None or kind is None or kind == "range":
        raise _Cannot("whether it permutes range(n) (an int) or an array is unknown")
    text = _src(target)
    if kind == "int":
        return f"tf.random.shuffle(tf.range({text}, dtype=tf.int64))"
    return f"tf.random.shuffle({text})"


def _poisson(bound: dict[str, ast.expr], entry: RandomCall, kinds: _Kinds) -> str:
    shape = kinds.shape(bound.get("size"))
    return f"tf.random.poisson({shape}, {_arg(bound, 'lam') or '1.0'}, dtype=tf.int64)"


def _gamma(bound: dict[str, ast.expr], entry: RandomCall, kinds: _Kinds) -> str:
    alpha = _arg(bound, "shape")
    if alpha is None:
        raise _Cannot("it has no shape parameter")
    scale = _arg(bound, "scale")
    return f"tf.random.gamma({kinds.shape(bound.get('size'))}, {alpha}{_keywords(beta=_inverse(scale))})"


def _exponential(bound: dict[str, ast.expr], entry: RandomCall, kinds: _Kinds) -> str:
    # Exponential(scale) is Gamma(1, scale); TensorFlow's beta is the rate, 1 / scale.
    scale = _arg(bound, "scale")
    return f"tf.random.gamma({kinds.shape(bound.get('size'))}, 1.0{_keywords(beta=_inverse(scale))})"


def _expovariate(bound: dict[str, ast.expr], entry: RandomCall, kinds: _Kinds) -> str:
    rate = _arg(bound, "lambd")
    return f"tf.random.gamma([], 1.0{_keywords(beta=rate)})"


def _inverse(scale: str | None) -> str | None:
    return None if scale is None else f"1.0 / {scale}" if scale.isidentifier() or _is_number(scale) \
        else f"1.0 / ({scale})"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _dims(bound: dict[str, ast.expr], entry: RandomCall, kinds: _Kinds) -> str:
    shape = "[" + ", ".join(_src(bound[str(i)]) for i in range(len(bound))) + "]"
    return f"tf.random.{entry.base}({shape})"


_BUILDERS: dict[str, Callable[[dict[str, ast.expr], RandomCall, _Kinds], str]] = {
    "uniform": _uniform,
    "normal": _normal,
    "integers": _integers,
    "choice": _choice,
    "sample": _sample,
    "permutation": _permutation,
    "poisson": _poisson,
    "gamma": _gamma,
    "exponential": _exponential,
    "expovariate": _expovariate,
    "dims": _dims,
}
