"""Symbolic values: what an expression may evaluate to, before names are resolved across modules.

Facts extracted from one file refer to other files only through these values (`Sym` names a global
symbol by its fully qualified name), so a file's facts can be cached and analysed alone, and the
project index resolves them later. All values are frozen and hashable.
"""

from __future__ import annotations

from dataclasses import dataclass


class Value:
    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Unknown(Value):
    pass


UNKNOWN = Unknown()


@dataclass(frozen=True, slots=True)
class Const(Value):
    value: int | float | str | bool | None


@dataclass(frozen=True, slots=True)
class Sym(Value):
    """A global name: `tensorflow.data.Dataset`, `pkg.audio.load`, a builtin such as `print`."""

    name: str


@dataclass(frozen=True, slots=True)
class FuncRef(Value):
    """A `def` or `lambda` of this module, by function id."""

    id: str


@dataclass(frozen=True, slots=True)
class Param(Value):
    """A parameter of a function (the function id and the parameter's name)."""

    func: str
    name: str


@dataclass(frozen=True, slots=True)
class SelfRef(Value):
    """`self` inside the method `method` of the class with this id (also in functions nested in it).

    The method matters where `self.x` names an abstract method: only subclasses that run this method's
    body with themselves as `self` bring their override of `x` here (ProjectIndex.member)."""

    cls: str
    method: str = ""


@dataclass(frozen=True, slots=True)
class Attr(Value):
    base: Value
    name: str


@dataclass(frozen=True, slots=True)
class CallResult(Value):
    """The result of a call. `site` is set when the call is a dataset transformation site."""

    callee: Value
    args: tuple[Value, ...] = ()
    kwargs: tuple[tuple[str, Value], ...] = ()
    site: str | None = None

    def kwarg(self, name: str) -> Value | None:
        for key, value in self.kwargs:
            if key == name:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Choice(Value):
    """One of several values (if/else, conditional expressions, loops)."""

    options: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class Sequence(Value):
    """A list or tuple literal: its length matters for unrolled loops, its items for `a, b = f()`."""

    items: tuple[Value, ...]

    @property
    def length(self) -> int:
        return len(self.items)


@dataclass(frozen=True, slots=True)
class Item(Value):
    """One element of a value: `train, test = tfds.load(...)`, `splits["train"]`, `pair[0]`."""

    base: Value
    key: int | str | None = None  # the subscript when it is a constant


def choice(*values: Value) -> Value:
    """A Choice of distinct values, flattened; a single value stays itself."""
    flat: list[Value] = []
    for value in values:
        for option in value.options if isinstance(value, Choice) else (value,):
            if option not in flat:
                flat.append(option)
    if len(flat) == 1:
        return flat[0]
    # Unbounded growth in loops adds nothing: cap the alternatives kept.
    return Choice(tuple(flat[:8]))
