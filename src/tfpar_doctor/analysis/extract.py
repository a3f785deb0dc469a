"""One libcst pass over a module: source text in, `ModuleFacts` out.

The pass interprets each function body in statement order with a small abstract environment, so that
`ds = ds.map(fn)` followed by `ds = ds.cache()` keeps the chain, `fn = a if training else b` keeps
both choices, and values derived from a function's parameters (symbolic tensors, once traced) are
tainted. Names that leave the module become `Sym` values resolved later by the project index.
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Callable, Iterable
from collections.abc import Sequence as Seq
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.metadata import (
    MetadataWrapper,
    PositionProvider,
    QualifiedName,
    QualifiedNameProvider,
    QualifiedNameSource,
)

from tfpar_doctor.analysis.facts import (
    CallFact,
    ClassFacts,
    FunctionFacts,
    LoopFact,
    ModuleFacts,
    MutationFact,
    PythonOp,
    Site,
    parse_error,
)
from tfpar_doctor.analysis.values import (
    UNKNOWN,
    Attr,
    CallResult,
    Choice,
    Const,
    FuncRef,
    Item,
    Param,
    SelfRef,
    Sequence,
    Sym,
    Value,
    choice,
)
from tfpar_doctor.knowledge import tfdata
from tfpar_doctor.model import Location

_SITE_METHODS = tfdata.DATASET_METHODS | frozenset(tfdata.TRACED_FUNCTION_ARGUMENT)
_FREE_SITE_FUNCTIONS = tfdata.FREE_SITE_FUNCTIONS
_FREE_SITE_NAMES = frozenset(q.rsplit(".", 1)[1] for q in _FREE_SITE_FUNCTIONS)
_EXPERIMENTAL_MAP_NAMES = {q.rsplit(".", 1)[1]: kws for q, kws in tfdata.EXPERIMENTAL_MAP_FUNCTIONS.items()}
_MUTATING_METHODS = tfdata.MUTATING_METHODS
# Which parameters of the current function a value derives from (they are tensors once traced).
Taint = frozenset[str]
NO_TAINT: Taint = frozenset()
OUTER_TAINT: Taint = frozenset({"*"})  # derives from an enclosing function's parameters
_MAX_LOOP_SUBSCRIPTS = 32
# The Python parts of an element, whatever its tensors hold: a tensor's static attributes, and the keys of a
# dict of tensors (`features.keys()`, the names in `for name, tensor in features.items()`). Dict keys are
# Python values (TensorFlow 2 tensors are not even hashable); `features[name]` is still the element's.
_STATIC_ATTRIBUTES = frozenset({"shape", "dtype", "ndim", "name", "device", "rank"})
_KEY_METHODS = frozenset({"keys", "iterkeys"})
_PAIR_METHODS = frozenset({"items", "iteritems"})


@dataclass
class _Scope:
    func: FunctionFacts
    parent: _Scope | None
    is_module: bool = False
    is_class: bool = False
    class_id: str | None = None  # for methods: the owning class
    env: dict[str, Value] = field(default_factory=dict)
    tainted: dict[str, Taint] = field(default_factory=dict)  # name -> the parameters it derives from
    global_names: set[str] = field(default_factory=set)
    nonlocal_names: set[str] = field(default_factory=set)
    loops: list[int] = field(default_factory=list)
    # Enclosing `if param:` conditions: (parameter, branch taken when it is truthy).
    guards: list[tuple[str, bool]] = field(default_factory=list)
    qual_prefix: str = ""


def extract(source: bytes, path: str, module: str, package: str) -> ModuleFacts:
    """Facts of one module. A file that does not parse gives facts with `error` set, never an exception."""
    too_deep = _too_deep_for_libcst(source)
    if too_deep is not None:
        return parse_error(path, module, package, *too_deep)
    try:
        tree = _parse_on_a_large_stack(source)
    except cst.ParserSyntaxError as exc:
        message, line, column = _python_syntax_error(source) or (
            _syntax_message(exc),
            exc.raw_line,
            exc.raw_column + 1,
        )
        return parse_error(path, module, package, message, line, column)
    # tokenize.detect_encoding (called by libcst) raises a plain SyntaxError for an unknown coding cookie
    # or undecodable bytes in the first two lines; later undecodable lines raise UnicodeDecodeError.
    except (UnicodeDecodeError, LookupError, ValueError, SyntaxError) as exc:
        return parse_error(path, module, package, f"cannot decode the file: {exc}", 1, 1)
    except RecursionError:
        return parse_error(path, module, package, "the file nests too deeply to parse", 1, 1)
    try:
        return _Extractor(tree, path, module, package).run()
    except RecursionError:
        return parse_error(path, module, package, "the file nests too deeply to analyse", 1, 1)


# libcst's native parser recurses on the C stack, a few KB per nesting level, and a stack overflow is a
# segfault that takes the whole run down (measured, libcst 1.9: 2,000 nested brackets or a 10,000-term
# `a or a or ...` on the main thread's 8 MB). It parses on a thread with this much stack instead: address
# space reserved, only touched pages used. CPython rejects deeper brackets and operator chains itself
# (`_too_deep_for_libcst`); what it accepts, such as a 200,000-term `or` chain in a 1 MB file, fits here.
_PARSER_STACK_BYTES = 1 << 30


def _parse_on_a_large_stack(source: bytes) -> cst.Module:
    outcome: list[cst.Module | BaseException] = []

    def parse() -> None:
        try:
            outcome.append(cst.parse_module(source))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread below
            outcome.append(exc)

    try:
        previous = threading.stack_size(_PARSER_STACK_BYTES)
    except (ValueError, RuntimeError):  # a platform without settable or that large stacks
        return cst.parse_module(source)
    try:
        worker = threading.Thread(target=parse, name="tfpar-doctor-parse", daemon=True)
        worker.start()
    except RuntimeError:  # no address space for the stack: parse here, as before
        return cst.parse_module(source)
    finally:
        threading.stack_size(previous)
    worker.join()
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _too_deep_for_libcst(source: bytes) -> tuple[str, int, int] | None:
    """(message, line, column) when CPython finds the file nested too deeply to parse at all: brackets
    past its limit of 200, or operator chains that exhaust its parser. Such files would overflow even
    the large parsing stack, so they never reach libcst. CPython's parser is about fifty times faster
    than libcst with metadata, so asking it first costs little."""
    try:
        compile(source, "<file>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except (RecursionError, MemoryError):
        return "the file nests too deeply to parse", 1, 1
    except SyntaxError as exc:
        if "too many nested parentheses" in str(exc.msg):
            return f"cannot parse: {exc.msg}", exc.lineno or 1, max(exc.offset or 1, 1)
    except ValueError:  # NUL bytes and the like: libcst reports those
        pass
    return None


def _python_syntax_error(source: bytes) -> tuple[str, int, int] | None:
    """CPython's own message and position: libcst points one line late for errors mid-file, and
    users know Python's wording ("Missing parentheses in call to 'print'")."""
    try:
        compile(source, "<file>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        return f"cannot parse: {exc.msg}", exc.lineno or 1, max(exc.offset or 1, 1)
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


def _syntax_message(exc: cst.ParserSyntaxError) -> str:
    text = str(exc.message).strip().splitlines()[0] if str(exc.message).strip() else "invalid syntax"
    return f"cannot parse: {text}"


class _Extractor:
    def __init__(self, tree: cst.Module, path: str, module: str, package: str) -> None:
        self.wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
        self.positions = self.wrapper.resolve(PositionProvider)
        self.qualified = self.wrapper.resolve(QualifiedNameProvider)
        self.module_node = self.wrapper.module
        self.facts = ModuleFacts(path=path, module=module, package=package)
        self.facts.source_lines = self.module_node.code.count("\n") + 1
        self.path = path
        self.module = module
        self.package = package

    # ---------------------------------------------------------------- entry
    def run(self) -> ModuleFacts:
        body_facts = FunctionFacts(
            id=f"{self.module}.<module>",
            name="<module>",
            module=self.module,
            path=self.path,
            location=Location(self.path, 1, 1, 1, 1),
            params=(),
        )
        self.facts.functions[body_facts.id] = body_facts
        scope = _Scope(func=body_facts, parent=None, is_module=True)
        self._exec_block(self.module_node.body, scope)
        self.facts.globals = dict(scope.env)
        return self.facts

    # ---------------------------------------------------------------- helpers
    def _loc(self, node: cst.CSTNode) -> Location:
        rng = self.positions[node]
        return Location(self.path, rng.start.line, rng.start.column + 1, rng.end.line, rng.end.column)

    def _code(self, node: cst.CSTNode, limit: int = 80) -> str:
        text = self.module_node.code_for_node(node)
        text = " ".join(text.split())
        return text if len(text) <= limit else text[: limit - 3] + "..."

    def _absolute(self, name: str) -> str:
        if not name.startswith("."):
            return name
        dots = len(name) - len(name.lstrip("."))
        parts = self.package.split(".") if self.package else []
        if dots > 1:
            parts = parts[: len(parts) - (dots - 1)] if dots - 1 <= len(parts) else []
        rest = name[dots:]
        return ".".join([*parts, rest]) if rest else ".".join(parts)

    def _global_name(self, node: cst.Name) -> Value:
        names: Iterable[QualifiedName] = self.qualified.get(node, ())
        if callable(names):  # libcst resolves qualified names lazily
            names = names()
        best: QualifiedName | None = None
        for qn in names:
            if qn.source is QualifiedNameSource.IMPORT:
                best = qn
                break
            if best is None:
                best = qn
        if best is None:
            # Names bound by `from x import *` are invisible to the scope analysis: the index looks
            # them up through the star-imported modules.
            return Sym(f"{self.module}.{node.value}") if self.facts.star_imports else UNKNOWN
        if best.source is QualifiedNameSource.IMPORT:
            return Sym(self._absolute(best.name))
        if best.source is QualifiedNameSource.BUILTIN:
            return Sym(best.name.removeprefix("builtins."))
        if "<locals>" in best.name:
            return UNKNOWN
        return Sym(f"{self.module}.{best.name}")

    def _lookup(self, name: str, node: cst.Name, scope: _Scope) -> tuple[Value, Taint]:
        current: _Scope | None = scope
        first = True
        while current is not None:
            # Class bodies do not enclose the functions defined in them; the module scope is read
            # through global symbols so that functions see the module's final bindings.
            visible = (first or not current.is_class) and not (current.is_module and not scope.is_module)
            if visible and name in current.env:
                taint = current.tainted.get(name, NO_TAINT)
                # A closure over an enclosing function's tensor is a tensor here too.
                return current.env[name], taint if current is scope or not taint else OUTER_TAINT
            first = False
            current = current.parent
        return self._global_name(node), NO_TAINT

    def _is_local(self, name: str, scope: _Scope) -> bool:
        return name in scope.env and name not in scope.global_names and name not in scope.nonlocal_names

    def _feed(self, owner: str, fed: Taint, scope: _Scope) -> None:
        """A local container or message handed a value (`parts.append(x)`, `example.ParseFromString(x)`,
        `features[name] = x`) holds what the value derives from, from that statement on: `print(features)`
        afterwards shows the element. Outer state fed is a write reported on its own (TFP001), and the
        instance or module whose method runs holds nothing (`_holds_what_it_is_fed`)."""
        if fed and self._is_local(owner, scope) and _holds_what_it_is_fed(scope.env[owner]):
            scope.tainted[owner] = scope.tainted.get(owner, NO_TAINT) | fed

    # ---------------------------------------------------------------- expressions
    def _eval(self, node: cst.BaseExpression, scope: _Scope) -> tuple[Value, Taint]:
        """The value of an expression and the parameters it derives from, one handler per node type."""
        handler = _EVAL_HANDLERS.get(type(node))
        if handler is None:
            return UNKNOWN, self._eval_children(node, scope)
        return handler(self, node, scope)

    def _eval_name(self, node: cst.Name, scope: _Scope) -> tuple[Value, Taint]:
        if node.value in ("True", "False", "None"):
            return Const({"True": True, "False": False, "None": None}[node.value]), NO_TAINT
        return self._lookup(node.value, node, scope)

    def _eval_attribute(self, node: cst.Attribute, scope: _Scope) -> tuple[Value, Taint]:
        base, tainted = self._eval(node.value, scope)
        attr = node.attr.value
        if attr in _STATIC_ATTRIBUTES:
            tainted = NO_TAINT  # `x.shape`, `x.dtype` are Python values even on a symbolic tensor
        if isinstance(base, Sym):
            return Sym(f"{base.name}.{attr}"), tainted
        return _bounded(Attr(base, attr)), tainted

    def _eval_integer(self, node: cst.Integer, scope: _Scope) -> tuple[Value, Taint]:
        try:
            return Const(int(node.value.replace("_", ""), 0)), NO_TAINT
        except ValueError:
            return UNKNOWN, NO_TAINT

    def _eval_float(self, node: cst.Float, scope: _Scope) -> tuple[Value, Taint]:
        return Const(float(node.value.replace("_", ""))), NO_TAINT

    def _eval_string(self, node: cst.SimpleString, scope: _Scope) -> tuple[Value, Taint]:
        try:
            return Const(node.evaluated_value if isinstance(node.evaluated_value, str) else None), NO_TAINT
        except Exception:  # noqa: BLE001 - odd literals are simply unknown values
            return UNKNOWN, NO_TAINT

    def _eval_unary(self, node: cst.UnaryOperation, scope: _Scope) -> tuple[Value, Taint]:
        value, tainted = self._eval(node.expression, scope)
        if isinstance(node.operator, cst.Minus) and isinstance(value, Const):
            number = value.value
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                return Const(-number), tainted
        return UNKNOWN, tainted

    def _eval_lambda(self, node: cst.Lambda, scope: _Scope) -> tuple[Value, Taint]:
        return self._define_lambda(node, scope), NO_TAINT

    def _eval_if_expression(self, node: cst.IfExp, scope: _Scope) -> tuple[Value, Taint]:
        self._eval(node.test, scope)
        guard = self._guard(node.test, scope)
        if guard:
            scope.guards.append(guard)
        a, ta = self._eval(node.body, scope)
        if guard:
            scope.guards[-1] = (guard[0], not guard[1])
        b, tb = self._eval(node.orelse, scope)
        if guard:
            scope.guards.pop()
        return choice(a, b), ta | tb

    def _eval_boolean(self, node: cst.BooleanOperation, scope: _Scope) -> tuple[Value, Taint]:
        a, ta = self._eval(node.left, scope)
        b, tb = self._eval(node.right, scope)
        return choice(a, b), ta | tb

    def _eval_sequence(self, node: cst.List | cst.Tuple, scope: _Scope) -> tuple[Value, Taint]:
        tainted = NO_TAINT
        items: list[Value] = []
        for element in node.elements:
            value, t = self._eval(element.value, scope)
            items.append(value)
            tainted = tainted | t
        if any(isinstance(e, cst.StarredElement) for e in node.elements):
            return UNKNOWN, tainted
        return Sequence(tuple(items)), tainted

    def _eval_binary(self, node: cst.BinaryOperation, scope: _Scope) -> tuple[Value, Taint]:
        _, ta = self._eval(node.left, scope)
        _, tb = self._eval(node.right, scope)
        self._note_python_op(node, scope, ta | tb, "arithmetic")
        return UNKNOWN, ta | tb

    def _eval_yield(self, node: cst.Yield, scope: _Scope) -> tuple[Value, Taint]:
        yielded: Value = UNKNOWN
        tainted = NO_TAINT
        if node.value is not None and isinstance(node.value, cst.BaseExpression):
            yielded, tainted = self._eval(node.value, scope)
        elif isinstance(node.value, cst.From):
            yielded, tainted = self._eval(node.value.item, scope)
        scope.func.is_generator = True
        scope.func.yields.append(yielded)
        for loop_index in scope.loops:
            scope.func.loops[loop_index].yields = True
        if not scope.loops:
            scope.func.yields_outside_loops = True
        return UNKNOWN, tainted

    def _eval_formatted_string(self, node: cst.FormattedString, scope: _Scope) -> tuple[Value, Taint]:
        tainted = self._eval_children(node, scope)
        self._note_python_op(node, scope, tainted, "string formatting")
        return UNKNOWN, tainted

    def _eval_subscript(self, node: cst.Subscript, scope: _Scope) -> tuple[Value, Taint]:
        base, tainted = self._eval(node.value, scope)
        keys: list[Value] = []
        for subscript in node.slice:
            if isinstance(subscript.slice, cst.Index):
                key, t = self._eval(subscript.slice.value, scope)
                keys.append(key)
                tainted = tainted | t
            else:
                tainted = self._eval_children(subscript, scope) | tainted
        if (
            scope.loops
            and isinstance(base, (Attr, Sym, Item, CallResult))
            and (len(scope.func.loop_subscripts) < _MAX_LOOP_SUBSCRIPTS)
        ):
            scope.func.loop_subscripts.append((base, self._loc(node), scope.loops[-1]))
        return _subscript(base, keys), tainted

    def _eval_children(self, node: cst.CSTNode, scope: _Scope) -> Taint:
        tainted = NO_TAINT
        for child in node.children:
            if isinstance(child, cst.BaseExpression):
                _, t = self._eval(child, scope)
                tainted = tainted | t
            elif not isinstance(child, (cst.BaseStatement, cst.BaseSmallStatement)):
                tainted = self._eval_children(child, scope) | tainted
        return tainted

    def _note_python_op(self, node: cst.CSTNode, scope: _Scope, tainted: Taint, what: str) -> None:
        if not scope.loops:
            return
        func = scope.func
        loop = func.loops[scope.loops[-1]]
        loop.python_work = True
        if tainted:
            for index in scope.loops:
                func.loops[index].builds_tf_ops = True
        if len(func.python_ops) < 50:
            func.python_ops.append(PythonOp(what, self._loc(node), len(scope.loops)))

    def _eval_call(self, node: cst.Call, scope: _Scope) -> tuple[Value, Taint]:
        callee, callee_tainted = self._eval(node.func, scope)
        receiver_tainted = callee_tainted if isinstance(node.func, cst.Attribute) else NO_TAINT
        args: list[Value] = []
        kwargs: list[tuple[str, Value]] = []
        tainted_args: list[Taint] = []
        tainted_kwargs: list[Taint] = []
        for arg in node.args:
            value, tainted = self._eval(arg.value, scope)
            if arg.keyword is not None:
                kwargs.append((arg.keyword.value, value))
                tainted_kwargs.append(tainted)
            elif arg.star:
                tainted_args.append(tainted)
                args.append(UNKNOWN)
            else:
                args.append(value)
                tainted_args.append(tainted)
        func = scope.func
        if isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Name):
            # `example.ParseFromString(x)`, `parts.append(x)`, `d.update(x)`, `d.setdefault(k, x)`.
            self._feed(node.func.value.value, NO_TAINT.union(*tainted_args, *tainted_kwargs), scope)
        loop = scope.loops[-1] if scope.loops else None
        fact = CallFact(
            callee=callee,
            args=tuple(args),
            kwargs=tuple(kwargs),
            location=self._loc(node),
            text=self._code(node.func),
            tainted_args=tuple(tainted_args),
            tainted_kwargs=tuple(tainted_kwargs),
            receiver_tainted=receiver_tainted,
            loop_depth=len(scope.loops),
            loop=loop,
            guards=tuple(scope.guards),
        )
        func.calls.append(fact)
        self._note_call_effects(node, fact, scope)
        site_id = self._maybe_site(node, fact, scope)
        result = _bounded(CallResult(callee, tuple(args), tuple(kwargs), site=site_id))
        if site_id is not None:
            self.facts.sites[-1].result = result
        if _lists_keys(node):
            return result, NO_TAINT
        # A call's result derives from the parameters when anything fed into it does.
        return result, callee_tainted.union(*tainted_args, *tainted_kwargs)

    def _note_call_effects(self, node: cst.Call, fact: CallFact, scope: _Scope) -> None:
        func = scope.func
        if isinstance(fact.callee, Sym) and fact.callee.name.startswith("tensorflow."):
            for index in scope.loops:
                func.loops[index].builds_tf_ops = True
        if fact.receiver_tainted and scope.loops:
            for index in scope.loops:
                func.loops[index].builds_tf_ops = True
        method = node.func.attr.value if isinstance(node.func, cst.Attribute) else None
        if method in _MUTATING_METHODS and isinstance(node.func, cst.Attribute):
            root = _root_name(node.func.value)
            outer = root is not None and not self._is_local(root, scope) and root != "self"
            if root == "self" or isinstance(fact.callee, Attr) and isinstance(fact.callee.base, Attr):
                base = fact.callee.base if isinstance(fact.callee, Attr) else None
                outer = outer or _rooted_in_self(base)
            if outer:
                func.mutations.append(
                    MutationFact("method", f"{self._code(node.func.value, 40)}.{method}()", fact.location)
                )
        if method is not None and scope.loops:
            func.loops[scope.loops[-1]].python_work = True

    def _maybe_site(self, node: cst.Call, fact: CallFact, scope: _Scope) -> str | None:
        kind = self._site_kind(node, fact)
        if kind is None:
            return None
        method, qualified, receiver, candidate = kind
        location = self._loc(node.func.attr if isinstance(node.func, cst.Attribute) else node.func)
        function, parallelism = _site_arguments(fact, method, qualified, candidate)
        insert_at, trailing = self._insert_point(node)
        site_id = f"{self.module}:{location.line}:{location.column}"
        self.facts.sites.append(
            Site(
                id=site_id,
                method=method,
                location=location,
                call_location=fact.location,
                receiver=receiver,
                function=function,
                parallelism=parallelism,
                keywords=tuple(k for k, _ in fact.kwargs),
                scope=scope.func.id,
                result=UNKNOWN,
                args=fact.args,
                kwargs=fact.kwargs,
                qualified=qualified,
                insert_at=insert_at,
                trailing_comma=trailing,
                callee=fact.callee if candidate else None,
            )
        )
        return site_id

    def _site_kind(self, node: cst.Call, fact: CallFact) -> tuple[str, str | None, Value | None, bool] | None:
        """(method, qualified free function, receiver, candidate) of a dataset call, or None.

        `candidate`: a free site function reached through an alias (`Dataset.from_generator`,
        `dsvc.register_dataset`): whether it is tf.data's is known once the index resolves the alias."""
        last = node.func.attr.value if isinstance(node.func, cst.Attribute) else None
        if isinstance(fact.callee, Sym) and fact.callee.name in _FREE_SITE_FUNCTIONS:
            return fact.callee.name.rsplit(".", 1)[1], fact.callee.name, None, False
        if last is not None and last in _FREE_SITE_NAMES:
            return last, None, None, True
        if last is None or last not in _SITE_METHODS:
            return None
        if isinstance(fact.callee, Sym):
            # `ds.map` where `ds` is a module-level variable, or `tf.data.Dataset.<constructor>`.
            if fact.callee.name in tfdata.DATASET_CONSTRUCTORS:
                return last, fact.callee.name, None, False
            return last, None, Sym(fact.callee.name.rsplit(".", 1)[0]), False
        receiver = fact.callee.base if isinstance(fact.callee, Attr) else None
        return last, None, receiver, False

    def _insert_point(self, node: cst.Call) -> tuple[tuple[int, int] | None, bool]:
        """Where a new keyword argument goes (after the last argument), and whether a comma follows it."""
        if not node.args:
            return None, False
        last_arg = node.args[-1]
        end = self.positions[last_arg.value].end
        return (end.line, end.column + 1), isinstance(last_arg.comma, cst.Comma)

    def _eval_comprehension(
        self, node: cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp, scope: _Scope
    ) -> tuple[Value, Taint]:
        """A comprehension holds what its element expression derives from, like the list a `for` loop appends
        to: its loop variables derive from the iterable as a `for` loop's do (`_bind_loop_target`), so
        `[v for k, v in features.items()]` holds the element's tensors and `[k for k, v in
        features.items()]` only its keys, Python values. Conditions filter and add nothing."""
        saved_env = dict(scope.env)
        saved_tainted = dict(scope.tainted)
        pushed = 0
        comp: cst.CompFor | None = node.for_in
        while comp is not None:
            iterable, t_iter = self._eval(comp.iter, scope)
            self._push_loop("comprehension", comp, iterable, scope)
            pushed += 1
            self._bind_loop_target(comp.target, comp.iter, t_iter, scope)
            for cond in comp.ifs:
                self._eval(cond.test, scope)
            comp = comp.inner_for_in
        if isinstance(node, cst.DictComp):
            _, tainted = self._eval(node.key, scope)
            _, tv = self._eval(node.value, scope)
            tainted = tainted | tv
        else:
            _, tainted = self._eval(node.elt, scope)
        for _ in range(pushed):
            scope.loops.pop()
        scope.env, scope.tainted = saved_env, saved_tainted
        return UNKNOWN, tainted

    def _push_loop(self, kind: str, node: cst.CSTNode, iterable: Value | None, scope: _Scope) -> int:
        func = scope.func
        func.loops.append(
            LoopFact(
                kind=kind,
                location=self._loc(node),
                iterable=iterable,
                depth=len(scope.loops) + 1,
                parent=scope.loops[-1] if scope.loops else None,
            )
        )
        index = len(func.loops) - 1
        scope.loops.append(index)
        return index

    # ---------------------------------------------------------------- statements
    def _exec_block(self, body: Seq[cst.CSTNode], scope: _Scope) -> None:
        for statement in body:
            self._exec(statement, scope)

    def _exec(self, node: cst.CSTNode, scope: _Scope) -> None:
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                self._exec_small(small, scope)
        elif isinstance(node, cst.FunctionDef):
            value = self._define_function(node, scope)
            self._bind_name(node.name.value, value, NO_TAINT, scope, node)
        elif isinstance(node, cst.ClassDef):
            self._define_class(node, scope)
        elif isinstance(node, cst.If):
            self._eval(node.test, scope)
            guard = self._guard(node.test, scope)
            self._branches(
                scope,
                [node.body.body, _orelse_body(node.orelse)],
                [guard, (guard[0], not guard[1]) if guard else None],
            )
        elif isinstance(node, (cst.For, cst.While)):
            self._exec_loop(node, scope)
        elif isinstance(node, cst.With):
            for item in node.items:
                value, tainted = self._eval(item.item, scope)
                if item.asname is not None:
                    self._bind(item.asname.name, value, tainted, scope, record=False)
            self._exec_block(node.body.body, scope)
        elif isinstance(node, (cst.Try, cst.TryStar)):
            before = dict(scope.env)
            self._exec_block(node.body.body, scope)
            for handler in node.handlers:
                if handler.type is not None:
                    self._eval(handler.type, scope)
                if handler.name is not None:
                    self._bind(handler.name.name, UNKNOWN, NO_TAINT, scope, record=False)
                self._exec_block(handler.body.body, scope)
            if node.orelse is not None:
                self._exec_block(node.orelse.body.body, scope)
            if node.finalbody is not None:
                self._exec_block(node.finalbody.body.body, scope)
            _join_into(scope.env, before)
        elif isinstance(node, cst.Match):
            self._eval(node.subject, scope)
            self._branches(scope, [case.body.body for case in node.cases])
        elif isinstance(node, cst.IndentedBlock):
            self._exec_block(node.body, scope)
        elif isinstance(node, cst.BaseCompoundStatement):
            for child in node.children:
                if isinstance(child, cst.BaseExpression):
                    self._eval(child, scope)
                elif isinstance(child, (cst.BaseSuite,)):
                    self._exec_block(getattr(child, "body", ()), scope)

    def _guard(self, test: cst.BaseExpression, scope: _Scope) -> tuple[str, bool] | None:
        """`if training:` / `if not augment:` on a parameter: a branch a constant argument can rule out."""
        polarity = True
        while isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            test, polarity = test.expression, not polarity
        if isinstance(test, cst.Name) and test.value in scope.func.params and test.value in scope.env:
            return test.value, polarity
        if (  # `if self._train:` in a method: an instance built with train=False rules the branch out
            isinstance(test, cst.Attribute)
            and isinstance(test.value, cst.Name)
            and scope.func.params[:1] == (test.value.value,)
            and scope.class_id is not None
        ):
            return f"self.{test.attr.value}", polarity
        return None

    def _exec_loop(self, node: cst.For | cst.While, scope: _Scope) -> None:
        """The body once, in a loop context; names it rebinds may hold their old or new value after."""
        if isinstance(node, cst.For):
            iterable, tainted = self._eval(node.iter, scope)
        else:
            self._eval(node.test, scope)
            iterable, tainted = None, NO_TAINT
        before = dict(scope.env)
        self._push_loop("for" if isinstance(node, cst.For) else "while", node, iterable, scope)
        if isinstance(node, cst.For):
            self._bind_loop_target(node.target, node.iter, tainted, scope)
        self._exec_block(node.body.body, scope)
        scope.loops.pop()
        if node.orelse is not None:
            self._exec_block(node.orelse.body.body, scope)
        _join_into(scope.env, before)

    def _bind_loop_target(
        self,
        target: cst.BaseAssignTargetExpression,
        iterable: cst.BaseExpression,
        tainted: Taint,
        scope: _Scope,
    ) -> None:
        """`for name, tensor in features.items()`: the name is a dict key, a Python value; the tensor
        derives from what the dict derives from. Any other loop variable derives from its iterable."""
        elements = target.elements if isinstance(target, (cst.Tuple, cst.List)) else ()
        if len(elements) == 2 and _yields_pairs(iterable):
            key, value = (element.value for element in elements)
            self._bind(key, UNKNOWN, NO_TAINT, scope, record=False)
            self._bind(value, UNKNOWN, tainted, scope, record=False)
            return
        self._bind(target, UNKNOWN, tainted, scope, record=False)

    def _branches(
        self,
        scope: _Scope,
        bodies: list[Seq[cst.CSTNode]],
        guards: Seq[tuple[str, bool] | None] = (),
    ) -> None:
        before = dict(scope.env)
        before_tainted = dict(scope.tainted)
        results: list[dict[str, Value]] = []
        tainted: dict[str, Taint] = dict(before_tainted)
        for number, body in enumerate(bodies):
            scope.env = dict(before)
            scope.tainted = dict(before_tainted)
            guard = guards[number] if number < len(guards) else None
            if guard is not None:
                scope.guards.append(guard)
            self._exec_block(body, scope)
            if guard is not None:
                scope.guards.pop()
            results.append(scope.env)
            for name, taint in scope.tainted.items():
                tainted[name] = tainted.get(name, NO_TAINT) | taint
        if len(bodies) == 1 or not bodies[-1]:
            results.append(before)
        merged: dict[str, Value] = {}
        for name in {n for env in results for n in env}:
            values = [env[name] for env in results if name in env]
            merged[name] = choice(*values)
        scope.env = merged
        scope.tainted = tainted

    def _exec_small(self, node: cst.BaseSmallStatement, scope: _Scope) -> None:
        if isinstance(node, cst.Expr):
            self._eval(node.value, scope)
        elif isinstance(node, cst.Assign):
            value, tainted = self._eval(node.value, scope)
            for target in node.targets:
                self._bind(target.target, value, tainted, scope)
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None:
                value, tainted = self._eval(node.value, scope)
                self._bind(node.target, value, tainted, scope)
        elif isinstance(node, cst.AugAssign):
            _, tainted = self._eval(node.value, scope)
            self._note_python_op(node, scope, tainted, "augmented assignment")
            augmented = node.target
            if isinstance(augmented, cst.Name):
                name = augmented.value
                if name in scope.global_names or name in scope.nonlocal_names:
                    kind = "global" if name in scope.global_names else "nonlocal"
                    scope.func.mutations.append(MutationFact(kind, name, self._loc(node)))
                elif not self._is_local(name, scope) and not scope.is_module:
                    pass  # an UnboundLocalError at run time; not ours to report
                if tainted:
                    scope.tainted[name] = scope.tainted.get(name, NO_TAINT) | tainted
                if name in scope.env:
                    scope.env[name] = UNKNOWN
            else:
                self._bind(augmented, UNKNOWN, tainted, scope)
        elif isinstance(node, cst.Return):
            if node.value is not None:
                value, _ = self._eval(node.value, scope)
                scope.func.returns.append(value)
        elif isinstance(node, cst.Global):
            scope.global_names.update(n.name.value for n in node.names)
        elif isinstance(node, cst.Nonlocal):
            scope.nonlocal_names.update(n.name.value for n in node.names)
        elif isinstance(node, (cst.Import, cst.ImportFrom)):
            self._exec_import(node, scope)
        else:
            for child in node.children:
                if isinstance(child, cst.BaseExpression):
                    self._eval(child, scope)

    def _exec_import(self, node: cst.Import | cst.ImportFrom, scope: _Scope) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                dotted = _dotted(alias.name)
                if dotted.split(".")[0] == "tensorflow":
                    self.facts.imports_tensorflow = True
                    if dotted == "tensorflow":
                        self.facts.tf_alias = _asname(alias) if alias.asname else "tensorflow"
                if alias.asname is not None:
                    self._bind_name(_asname(alias), Sym(dotted), NO_TAINT, scope, node)
                else:
                    top = dotted.split(".")[0]
                    self._bind_name(top, Sym(top), NO_TAINT, scope, node)
            return
        module = ("." * len(node.relative)) + (_dotted(node.module) if node.module is not None else "")
        absolute = self._absolute(module)
        if absolute.split(".")[0] == "tensorflow":
            self.facts.imports_tensorflow = True
        if isinstance(node.names, cst.ImportStar):
            if scope.is_module:
                self.facts.star_imports.append(absolute)
            return
        for alias in node.names:
            name = _dotted(alias.name)
            target = f"{absolute}.{name}" if absolute else name
            self._bind_name(_asname(alias) if alias.asname else name, Sym(target), NO_TAINT, scope, node)

    def _bind(
        self, target: cst.BaseExpression, value: Value, tainted: Taint, scope: _Scope, record: bool = True
    ) -> None:
        if isinstance(target, cst.Name):
            self._bind_name(target.value, value, tainted, scope, target if record else None)
        elif isinstance(target, (cst.Tuple, cst.List)):
            items = value.items if isinstance(value, Sequence) else ()
            for index, element in enumerate(target.elements):
                if len(items) == len(target.elements):
                    item: Value = items[index]
                else:
                    item = Item(value, index) if isinstance(value, (CallResult, Sym, Attr, Item)) else UNKNOWN
                self._bind(element.value, item, tainted, scope, record)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, UNKNOWN, tainted, scope, record)
        elif isinstance(target, cst.Attribute):
            base, _ = self._eval(target.value, scope)
            attr = target.attr.value
            setting = tfdata.option_setting(
                attr, value.value if isinstance(value, Const) else None, isinstance(value, Const)
            )
            if setting is not None:
                scope.func.dataset_options.add(setting)
                self.facts.dataset_options.add(setting)
            if isinstance(base, SelfRef):
                cls = self.facts.classes.get(base.cls)
                if cls is not None:
                    cls.attributes.setdefault(attr, []).append(value)
                scope.func.mutations.append(MutationFact("attribute", f"self.{attr}", self._loc(target)))
            else:
                root = _root_name(target.value)
                if root is not None and not self._is_local(root, scope) and not scope.is_module:
                    scope.func.mutations.append(
                        MutationFact("attribute", self._code(target, 40), self._loc(target))
                    )
        elif isinstance(target, cst.Subscript):
            base, _ = self._eval(target.value, scope)
            for subscript in target.slice:
                self._eval_children(subscript, scope)
            root = _root_name(target.value)
            outer = root is not None and not self._is_local(root, scope) and not scope.is_module
            if outer or isinstance(base, SelfRef) or _rooted_in_self(base):
                scope.func.mutations.append(MutationFact("item", self._code(target, 40), self._loc(target)))
            stored_into = _subscripted_name(target)
            if stored_into is not None:
                self._feed(stored_into, tainted, scope)

    def _bind_name(
        self, name: str, value: Value, tainted: Taint, scope: _Scope, node: cst.CSTNode | None
    ) -> None:
        if name in scope.global_names or name in scope.nonlocal_names:
            kind = "global" if name in scope.global_names else "nonlocal"
            if node is not None:
                scope.func.mutations.append(MutationFact(kind, name, self._loc(node)))
            return
        scope.env[name] = value
        if tainted:
            scope.tainted[name] = tainted
        else:
            scope.tainted.pop(name, None)

    # ---------------------------------------------------------------- definitions
    def _child_prefix(self, scope: _Scope, name: str) -> str:
        if scope.is_module:
            return name
        if scope.is_class:
            return f"{scope.qual_prefix}{name}"
        return f"{scope.func.id.removeprefix(self.module + '.')}.<locals>.{name}"

    def _params(self, params: cst.Parameters) -> list[cst.Param]:
        ordered = [*params.posonly_params, *params.params]
        if isinstance(params.star_arg, cst.Param):
            ordered.append(params.star_arg)
        ordered.extend(params.kwonly_params)
        if params.star_kwarg is not None:
            ordered.append(params.star_kwarg)
        return ordered

    def _new_function(
        self,
        qualname: str,
        display: str,
        node: cst.CSTNode,
        params: cst.Parameters,
        scope: _Scope,
        decorators: tuple[Value, ...] = (),
        is_lambda: bool = False,
    ) -> tuple[FunctionFacts, _Scope]:
        func_id = f"{self.module}.{qualname}"
        method_of = scope.class_id if scope.is_class else None
        ordered = self._params(params)
        facts = FunctionFacts(
            id=func_id,
            name=display,
            module=self.module,
            path=self.path,
            location=self._loc(node),
            params=tuple(p.name.value for p in ordered),
            decorators=decorators,
            owner_class=method_of,
            is_lambda=is_lambda,
        )
        for param in ordered:
            if param.default is not None:
                facts.defaults[param.name.value], _ = self._eval(param.default, scope)
            if param.annotation is not None:
                facts.annotations[param.name.value], _ = self._eval(param.annotation.annotation, scope)
        returns = getattr(node, "returns", None)
        if returns is not None:  # "return" cannot be a parameter's name: the return annotation's key
            facts.annotations["return"], _ = self._eval(returns.annotation, scope)
        self.facts.functions[func_id] = facts
        inner = _Scope(func=facts, parent=scope, class_id=method_of)
        static = any(isinstance(d, Sym) and d.name == "staticmethod" for d in decorators)
        classmethod_ = any(isinstance(d, Sym) and d.name == "classmethod" for d in decorators)
        # A lambda in a class body has no method name: its `self` keeps every override (SelfRef.method).
        method_name = node.name.value if isinstance(node, cst.FunctionDef) else ""
        for index, name in enumerate(facts.params):
            if index == 0 and method_of is not None and not static:
                inner.env[name] = Sym(method_of) if classmethod_ else SelfRef(method_of, method_name)
                continue
            inner.env[name] = Param(func_id, name)
            inner.tainted[name] = frozenset({name})
        return facts, inner

    def _define_function(self, node: cst.FunctionDef, scope: _Scope) -> Value:
        decorators = tuple(self._eval(d.decorator, scope)[0] for d in node.decorators)
        name = node.name.value
        qualname = self._child_prefix(scope, name)
        display = qualname.replace(".<locals>", "")
        facts, inner = self._new_function(qualname, display, node, node.params, scope, decorators)
        facts.location = self._loc(node.name)
        if scope.is_class and scope.class_id is not None:
            cls = self.facts.classes.get(scope.class_id)
            if cls is not None:
                cls.methods[name] = facts.id
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else node.body.body
        self._exec_block(body, inner)
        facts.is_abstract = scope.is_class and (
            any(isinstance(d, Sym) and d.name == "abc.abstractmethod" for d in decorators) or _is_stub(body)
        )
        return FuncRef(facts.id)

    def _define_lambda(self, node: cst.Lambda, scope: _Scope) -> Value:
        loc = self._loc(node)
        prefix = (
            "" if scope.is_module or scope.is_class else scope.func.id.removeprefix(self.module + ".") + "."
        )
        qualname = f"{prefix}<lambda:{loc.line}:{loc.column}>"
        facts, inner = self._new_function(
            qualname, f"lambda (line {loc.line})", node, node.params, scope, is_lambda=True
        )
        facts.owner_class = None
        value, _ = self._eval(node.body, inner)
        facts.returns.append(value)
        return FuncRef(facts.id)

    def _define_class(self, node: cst.ClassDef, scope: _Scope) -> None:
        name = node.name.value
        qualname = self._child_prefix(scope, name)
        class_id = f"{self.module}.{qualname}"
        bases = tuple(self._eval(arg.value, scope)[0] for arg in node.bases)
        for decorator in node.decorators:
            self._eval(decorator.decorator, scope)
        self.facts.classes[class_id] = ClassFacts(class_id, qualname, self._loc(node.name), bases)
        body_facts = scope.func
        inner = _Scope(
            func=body_facts, parent=scope, is_class=True, class_id=class_id, qual_prefix=f"{qualname}."
        )
        self._exec_block(
            node.body.body if isinstance(node.body, cst.IndentedBlock) else node.body.body, inner
        )
        for attr, value in inner.env.items():
            self.facts.classes[class_id].attributes.setdefault(attr, []).append(value)
        self._bind_name(name, Sym(class_id), NO_TAINT, scope, None)


def _subscript(base: Value, keys: list[Value]) -> Value:
    """`pair[0]` on a known tuple is its item; `splits["train"]` on a call or a name is an Item. A name bound
    in two branches (`dataset, info = tfds.load(...)` or a loader of the project's own) is subscripted in
    each: `dataset["train"]` is one of their items."""
    if len(keys) != 1:
        return UNKNOWN
    if isinstance(base, Choice):
        return choice(*(_subscript(option, keys) for option in base.options))
    key = keys[0].value if isinstance(keys[0], Const) else None
    if isinstance(key, bool) or not isinstance(key, (int, str, type(None))):
        key = None
    if isinstance(base, Sequence) and isinstance(key, int) and -len(base.items) <= key < len(base.items):
        return base.items[key]
    if isinstance(base, (CallResult, Sym, Attr, Item)):
        return _bounded(Item(base, key))
    return UNKNOWN


_MAX_VALUE_DEPTH = 48


def _bounded(value: Value) -> Value:
    """Cut chains like `s = s.replace(...)` repeated hundreds of times: deep values would make hashing,
    pickling and resolution recurse without limit, and no rule needs to see that far up a chain."""
    depth = 0
    current: Value | None = value
    while isinstance(current, (Attr, CallResult, Item)) and depth <= _MAX_VALUE_DEPTH:
        current = current.callee if isinstance(current, CallResult) else current.base
        if isinstance(current, Attr) and isinstance(current.base, CallResult):
            current = current.base
        depth += 1
    return UNKNOWN if depth > _MAX_VALUE_DEPTH else value


def _is_stub(body: Seq[cst.CSTNode]) -> bool:
    """A body of only a docstring, `pass`, `...` or `raise NotImplementedError`: meant to be overridden."""
    for statement in body:
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            if isinstance(small, cst.Pass):
                continue
            if isinstance(small, cst.Expr) and isinstance(
                small.value, (cst.SimpleString, cst.Ellipsis, cst.ConcatenatedString)
            ):
                continue
            if isinstance(small, cst.Raise) and small.exc is not None:
                raised = small.exc.func if isinstance(small.exc, cst.Call) else small.exc
                if isinstance(raised, cst.Name) and raised.value == "NotImplementedError":
                    continue
            return False
    return True


def _orelse_body(orelse: cst.If | cst.Else | None) -> Seq[cst.CSTNode]:
    if orelse is None:
        return ()
    if isinstance(orelse, cst.Else):
        return orelse.body.body
    return (orelse,)


def _join_into(env: dict[str, Value], before: dict[str, Value]) -> None:
    for name, value in before.items():
        if name in env and env[name] != value:
            env[name] = choice(value, env[name])


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


# Expression evaluation, one handler per libcst node type (anything else: unknown, its children walked).
_EVAL_HANDLERS: dict[type[cst.CSTNode], Callable[[_Extractor, Any, _Scope], tuple[Value, Taint]]] = {
    cst.Name: _Extractor._eval_name,
    cst.Attribute: _Extractor._eval_attribute,
    cst.Call: _Extractor._eval_call,
    cst.Integer: _Extractor._eval_integer,
    cst.Float: _Extractor._eval_float,
    cst.SimpleString: _Extractor._eval_string,
    cst.UnaryOperation: _Extractor._eval_unary,
    cst.Lambda: _Extractor._eval_lambda,
    cst.IfExp: _Extractor._eval_if_expression,
    cst.BooleanOperation: _Extractor._eval_boolean,
    cst.List: _Extractor._eval_sequence,
    cst.Tuple: _Extractor._eval_sequence,
    cst.BinaryOperation: _Extractor._eval_binary,
    cst.ListComp: _Extractor._eval_comprehension,
    cst.SetComp: _Extractor._eval_comprehension,
    cst.GeneratorExp: _Extractor._eval_comprehension,
    cst.DictComp: _Extractor._eval_comprehension,
    cst.Yield: _Extractor._eval_yield,
    cst.FormattedString: _Extractor._eval_formatted_string,
    cst.Subscript: _Extractor._eval_subscript,
}


def _site_arguments(
    fact: CallFact, method: str, qualified: str | None, candidate: bool
) -> tuple[Value | None, Value | None]:
    """The function a dataset call runs per element and its `num_parallel_calls` (or equivalent)."""
    function: Value | None = None
    parallelism: Value | None = None
    free_name = qualified.rsplit(".", 1)[1] if qualified else (method if candidate else None)
    if free_name in _EXPERIMENTAL_MAP_NAMES:
        function = fact.argument(0, "map_func")
        for keyword in _EXPERIMENTAL_MAP_NAMES[free_name]:
            parallelism = parallelism or fact.kwarg(keyword)
    elif free_name == "from_generator":
        function = fact.argument(0, "generator")
    elif method in tfdata.TRACED_FUNCTION_ARGUMENT:
        position, keyword = tfdata.TRACED_FUNCTION_ARGUMENT[method]
        function = fact.argument(position, keyword)
    if method in tfdata.NUM_PARALLEL_CALLS_POSITION and qualified is None and not candidate:
        parallelism = fact.argument(tfdata.NUM_PARALLEL_CALLS_POSITION[method], "num_parallel_calls")
    return function, parallelism


def _asname(alias: cst.ImportAlias) -> str:
    assert alias.asname is not None
    name = alias.asname.name
    return name.value if isinstance(name, cst.Name) else _dotted(name)


def _root_name(node: cst.BaseExpression) -> str | None:
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _subscripted_name(target: cst.Subscript) -> str | None:
    """The name an item store writes into: `features` of `features[name] = x` and of `out[i][j] = x`. A store
    into an attribute's item (`self.cache[k] = x`, `args.table[k] = x`) writes into another object."""
    node: cst.BaseExpression = target.value
    while isinstance(node, cst.Subscript):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _holds_what_it_is_fed(owner: Value) -> bool:
    """Whether `owner.method(x)` puts x into `owner`: a local container or message does (`parts.append(x)`,
    `example.ParseFromString(x)`). The instance or class whose method runs does not (`self._parse(fc, x)`
    hands x to a helper to compute with; a helper that keeps it assigns an attribute, an outer-state write
    reported on its own), nor does a module. Otherwise one helper call would make every configuration
    attribute read afterwards a value of the element."""
    return not isinstance(owner, (SelfRef, Sym))


def _lists_keys(node: cst.Call) -> bool:
    """`features.keys()`: the names of a dict of tensors, Python values."""
    return isinstance(node.func, cst.Attribute) and node.func.attr.value in _KEY_METHODS and not node.args


def _yields_pairs(node: cst.BaseExpression) -> bool:
    """`features.items()`: (key, value) pairs whose key is a Python value."""
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value in _PAIR_METHODS
        and not node.args
    )


def _rooted_in_self(value: Value | None) -> bool:
    while isinstance(value, Attr):
        value = value.base
    return isinstance(value, SelfRef)
