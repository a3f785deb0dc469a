"""The tf-native rewrite: each recognised library call in a per-element Python body as a TensorFlow op.

Statements are rewritten with `ast`: every recognised call is replaced by its template from
`knowledge.rewrites.TF_NATIVE`, filled with the user's own argument expressions, and the statement is
unparsed. What has no known TensorFlow equivalent is listed, not guessed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from tfpar_doctor.advice.model import Replacement
from tfpar_doctor.advice.source import FunctionSource, ObservedCall, segment
from tfpar_doctor.knowledge.rewrites import IN_MEMORY_WRAPPERS, NOT_WORK, TF_NATIVE, Rewrite

_PLACEHOLDER = re.compile(r"\{([a-z_]+|\d+)\}")


def lookup(key: str) -> Rewrite | None:
    """The rewrite for a call key: the exact key, else the longest module prefix ending in '.'."""
    if key in TF_NATIVE:
        return TF_NATIVE[key]
    best: str | None = None
    for candidate in TF_NATIVE:
        module_prefix = candidate.endswith(".") and not candidate.startswith(".")
        if module_prefix and key.startswith(candidate) and (best is None or len(candidate) > len(best)):
            best = candidate
    return TF_NATIVE[best] if best else None


def is_bookkeeping(key: str) -> bool:
    return any(key == k or (k.endswith(".") and key.startswith(k)) for k in NOT_WORK)


def complement(pattern_source: str | None) -> str | None:
    """`r"[a-z']+"` -> `"[^a-z']+"`: what a findall pattern does not match, when it is one class."""
    if not pattern_source:
        return None
    try:
        pattern = ast.literal_eval(pattern_source)
    except (ValueError, SyntaxError):
        return None
    if not isinstance(pattern, str):
        return None
    match = re.fullmatch(r"\[([^\]^][^\]]*)\]\+", pattern)
    return repr(f"[^{match.group(1)}]+") if match else None


def fill(rewrite: Rewrite, call: ObservedCall, args: list[str], in_memory: bool = False) -> str | None:
    """The template filled with this call's arguments, or None when it needs something the call lacks."""
    dtype = next((k.value for k in call.node.keywords if k.arg == "dtype"), None)
    template = rewrite.template
    if in_memory and rewrite.from_bytes:
        template = rewrite.from_bytes
    elif dtype is not None and rewrite.with_dtype:
        template = rewrite.with_dtype
    values: dict[str, str] = {str(i): a for i, a in enumerate(args)}
    values["args"] = ", ".join(args)
    values["name"] = call.key.rsplit(".", 1)[-1]
    if dtype is not None:
        values["dtype"] = ast.unparse(dtype)
    if call.receiver is not None:
        values["self"] = call.receiver
    if call.pattern is not None:
        values["pattern"] = call.pattern
    not_pattern = complement(call.pattern if call.pattern else (args[0] if args else None))
    if not_pattern is not None:
        values["not_pattern"] = not_pattern
    names = _PLACEHOLDER.findall(template)
    if any(n not in values for n in names):
        return None
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


@dataclass(slots=True)
class NativePlan:
    replacements: list[Replacement]
    unknown: list[ObservedCall]  # work the table has no TensorFlow op for
    recognised: int
    total: int
    categories: frozenset[str] = frozenset()  # "image", "audio", ... of the recognised calls


def plan(source: FunctionSource) -> NativePlan:
    wanted: dict[int, tuple[ObservedCall, Rewrite]] = {}
    unknown: list[ObservedCall] = []
    total = 0
    for call in source.calls:
        if is_bookkeeping(call.key):
            continue
        rewrite = lookup(call.key)
        if rewrite is not None and call.key == ".get" and call.receiver not in source.module_names:
            rewrite = None  # a lookup table is a module-level dict; a local dict is bookkeeping
            if call.receiver is not None:
                continue
        total += 1
        if rewrite is None:
            unknown.append(call)
        else:
            wanted[id(call.node)] = (call, rewrite)
    replacements: list[Replacement] = []
    done: set[int] = set()
    for line, stmt in sorted(source.statements.items()):
        inside = [n for n in ast.walk(stmt) if id(n) in wanted]
        if not inside:
            continue
        rewritten, used = _rewrite(stmt, wanted)
        if not used:
            continue
        done.update(used)
        notes = "; ".join(dict.fromkeys(_note(*wanted[i]) for i in used if wanted[i][1].note))
        original = (segment(source.lines, stmt) or source.line_text(line)).strip()
        replacements.append(Replacement(source.path, line, original, rewritten, notes))
    # Calls outside simple statements (loop headers, `with`, helpers): the outermost call, rewritten.
    left = {k: v for k, v in wanted.items() if k not in done}
    nested = {id(n) for k, (call, _) in left.items() for n in ast.walk(call.node) if id(n) != k}
    for key, (call, rewrite) in left.items():
        if key in nested:
            continue
        text, used = _rewrite(call.node, left)
        notes = "; ".join(dict.fromkeys(_note(*left[i]) for i in used if left[i][1].note)) or _note(call, rewrite)
        replacements.append(Replacement(call.path, call.line, call.text, text if used else rewrite.example, notes))
    replacements.sort(key=lambda r: (r.path, r.line))
    categories = frozenset(rewrite.category for _, rewrite in wanted.values())
    return NativePlan(replacements, unknown, len(wanted), total, categories)


def _note(call: ObservedCall, rewrite: Rewrite) -> str:
    """The rewrite's note with the user's receiver name (`VOCAB_table` for `VOCAB.get`)."""
    return rewrite.note.replace("{self}", call.receiver) if call.receiver else rewrite.note


class _Replace(ast.NodeTransformer):
    def __init__(self, wanted: dict[int, tuple[ObservedCall, Rewrite]]) -> None:
        self.wanted = wanted
        self.used: list[int] = []

    def visit_Call(self, node: ast.Call) -> ast.AST:
        key = id(node)
        in_memory = bool(node.args) and _is_in_memory(node.args[0], self.wanted)
        self.generic_visit(node)  # inner calls first, so arguments are already rewritten
        if key not in self.wanted:
            return node
        call, rewrite = self.wanted[key]
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        if receiver is not None and call.receiver is not None:
            call = _with_receiver(call, ast.unparse(receiver))
        filled = fill(rewrite, call, [ast.unparse(a) for a in node.args], in_memory)
        if filled is None:
            return node
        try:
            expr = ast.parse(filled, mode="eval").body
        except SyntaxError:
            return node
        self.used.append(key)
        return ast.copy_location(expr, node)


def _is_in_memory(arg: ast.expr, wanted: dict[int, tuple[ObservedCall, Rewrite]]) -> bool:
    return isinstance(arg, ast.Call) and id(arg) in wanted and wanted[id(arg)][0].key in IN_MEMORY_WRAPPERS


def _with_receiver(call: ObservedCall, receiver: str) -> ObservedCall:
    return ObservedCall(call.key, call.node, call.path, call.line, call.text, receiver, call.pattern)


def _rewrite(stmt: ast.AST, wanted: dict[int, tuple[ObservedCall, Rewrite]]) -> tuple[str, list[int]]:
    # Transform a copy so that the function's own tree (and the ids in `wanted`) stay intact.
    import copy

    ids: dict[int, int] = {}
    clone = copy.deepcopy(stmt, memo={})
    for original, copied in zip(ast.walk(stmt), ast.walk(clone)):
        if id(original) in wanted:
            ids[id(copied)] = id(original)
    transformer = _Replace({copied: wanted[orig] for copied, orig in ids.items()})
    new = transformer.visit(clone)
    ast.fix_missing_locations(new)
    return ast.unparse(new), [ids[c] for c in transformer.used]


def code_block(source: FunctionSource, native: NativePlan) -> str:
    """The rewrite as one block: each original statement as a comment, its TensorFlow form below it."""
    short = source.path.rsplit("/", 1)[-1]
    out = [
        f"# `{source.name}` with TensorFlow ops: call it directly in the map, without py_function/",
        "# numpy_function. It is traced once and runs as graph ops: parallel, no GIL, service-ready.",
    ]
    for rep in native.replacements:
        out.append(f"# {short}:{rep.line}  {_one_line(rep.python)}")
        out.append(rep.tensorflow)
    if native.unknown or source.loops:
        out.append("# Still Python, rewrite by hand:")
        for call in native.unknown:
            out.append(f"#   {short}:{call.line}  {_one_line(call.text)}")
        if source.loops:
            lines = ", ".join(str(n) for n in sorted(set(source.loops)))
            out.append(f"#   Python loops over the element's data (line {lines}): use whole-tensor ops")
    return "\n".join(out)


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 90 else flat[:87] + "..."
