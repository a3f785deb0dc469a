"""Advice about the pipeline around a call site: thread pools, parallelism, cache placement, randomness,
trace-time effects, vectorisation and tf.data service. Each function returns one Advice or None."""

from __future__ import annotations

import ast
import textwrap

from tfpar_doctor.advice.cache_move import CacheMove
from tfpar_doctor.advice.cache_move import move_cache as move_cache_edit
from tfpar_doctor.advice.edits import (
    parsed_file,
    read_lines,
    replace_nodes,
    set_keywords,
    statement_at,
)
from tfpar_doctor.advice.model import Advice, Replacement
from tfpar_doctor.advice.randomness import is_random, rewrite_random
from tfpar_doctor.advice.source import load_function, parse_quietly, segment
from tfpar_doctor.knowledge.randomness import PYTHON_CASTS
from tfpar_doctor.knowledge.rewrites import ADVICE_TITLES, SIDE_EFFECT_REPLACEMENTS
from tfpar_doctor.model import Finding, LevelResult, Location, SiteResult, Verdict

# In-flight I/O calls to ask for when the storage's own limit is unknown (docs/how-probe-measures.md §3:
# 16 in flight gave 13.6x for a 10 ms wait on 2 cores).
IO_IN_FLIGHT = 16


_SERVICE_CODE = """\
# On each worker host:
#   tf.data.experimental.service.WorkerServer(
#       tf.data.experimental.service.WorkerConfig(dispatcher_address="dispatcher:5050")).join()
# On the trainer:
ds = ds.apply(tf.data.experimental.service.distribute(
    processing_mode="parallel_epochs", service="grpc://dispatcher:5050"))"""


_CACHE_FIRST = "cache the deterministic work, then draw new random values every epoch"


def _short(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _lifted_gain(levels: list[LevelResult]) -> tuple[float, str] | None:
    lifted = next((x for x in levels if x.level.startswith(("private:", "unbounded"))), None)
    base = next((x for x in levels if x.level == "1"), None)
    if lifted is None or base is None or base.elements_per_second <= 0:
        return None
    gain = lifted.elements_per_second / base.elements_per_second
    capped = max((x for x in levels if not x.level.startswith(("private:", "unbounded"))),
                 key=lambda x: x.elements_per_second)
    text = (f"{_rate(lifted.elements_per_second)} el/s with `{lifted.level}`, {gain:.2f}x level 1 (the "
            f"core-sized pool: {_rate(capped.elements_per_second)} el/s at best)")
    return gain, text


def _rate(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"


def _site_call(site: Location, result: SiteResult | None) -> tuple[str | None, str | None]:
    """The tf.data method at the site and the function it maps: the probe's when it measured the site (it
    saw the call run), else the method named at the analysis's location."""
    if result is not None:
        return result.site.method, result.site.function
    return _method_name(site), None


def thread_pool(site: Location, findings: list[Finding], result: SiteResult | None,
                cores: int | None) -> Advice:
    method, function = _site_call(site, result)
    edit = set_keywords(site, {"num_parallel_calls": str(IO_IN_FLIGHT), "use_unbounded_threadpool": "True"},
                        method, function)
    name = edit.target if edit and edit.target else "ds"
    code: list[str] = []
    if edit is not None:
        comment = (f"# {_short(edit.path)}:{edit.line}: up to {IO_IN_FLIGHT} waits in flight, not one per "
                   "core (TensorFlow 2.21+)")
        code += [comment, f"# was: {_flat(edit.before)}", edit.after, ""]
    code += ["# or, for every stage of this pipeline (any TensorFlow 2 version):",
             "options = tf.data.Options()",
             f"options.threading.private_threadpool_size = {IO_IN_FLIGHT}",
             f"{name} = {name}.with_options(options)"]
    # The stage alone shows what the lifted cap gives this map; the whole pipeline what it gives end to end
    # (less when another stage is slower).
    parts: list[str] = []
    speedup = None
    for name, levels in (("stage alone", result.isolated if result else []),
                         ("whole pipeline", result.pipeline if result else [])):
        measured_series = _lifted_gain(levels)
        if measured_series is None:
            continue
        gain, text = measured_series
        speedup = gain if speedup is None else speedup
        parts.append(f"{name}: {text}")
    measured = "; ".join(parts)
    core_text = f" ({cores} on the probed machine)" if cores else ""
    return Advice(
        kind="thread-pool",
        title=ADVICE_TITLES["thread-pool"],
        site=site,
        summary=f"The body waits on I/O and releases the GIL, but tf.data runs parallel calls on one thread "
        f"pool per iterator sized to the cores{core_text}, so no more calls are in flight whatever "
        "num_parallel_calls says. A private or unbounded pool lifts the cap (measured: 16 in flight, 13.6x "
        "for a 10 ms wait on 2 cores). max_intra_op_parallelism and inter-op threads do not.",
        code="\n".join(code),
        finding_codes=tuple(f.code for f in findings),
        measured_speedup=speedup,
        measured=measured,
        notes=((f"pick the size from your storage's concurrency: {IO_IN_FLIGHT} suits one object store or "
                "NFS mount; AUTOTUNE with use_unbounded_threadpool=True goes up to 10 x cores"),),
    )


def add_parallelism(finding: Finding) -> Advice:
    site = finding.call_site or finding.location
    edit = set_keywords(site, {"num_parallel_calls": "tf.data.AUTOTUNE"}, _method_name(site))
    code = ""
    if edit is not None:
        code = f"# {_short(edit.path)}:{edit.line}\n# was: {_flat(edit.before)}\n{edit.after}"
    return Advice(
        kind="add-parallelism",
        title=ADVICE_TITLES["add-parallelism"],
        site=site,
        summary="The function is stateful, so TensorFlow's automatic map_parallelization skips it and the "
        "map runs one element at a time. Ask for parallel calls (add deterministic=False if order does not "
        "matter).",
        code=code,
        finding_codes=(finding.code,),
    )


def move_cache(finding: Finding) -> Advice:
    random_site = finding.call_site or finding.location
    moved = move_cache_edit(finding.location, random_site)
    code, why = "", ""
    if isinstance(moved, CacheMove):
        lines = (f"{moved.first_line}" if moved.first_line == moved.last_line
                 else f"{moved.first_line}-{moved.last_line}")
        was = [f"# was: {line}" if line.strip() else "#" for line in moved.before.splitlines()]
        code = "\n".join([f"# {_short(moved.path)}:{lines}: {_CACHE_FIRST}", *was, moved.after])
    else:
        why = f" No edit is handed over: {moved}; move the cache by hand."
    return Advice(
        kind="move-cache",
        title=ADVICE_TITLES["move-cache"],
        site=random_site,
        summary="cache() stores what it receives the first epoch; after a random map, every later epoch "
        f"replays the first epoch's random draws. Cache before the random map.{why}",
        code=code,
        finding_codes=(finding.code,),
        notes=("the cache then holds the un-augmented elements: check the memory or pass a filename",),
    )


def tf_random(finding: Finding) -> Advice:
    replacement, why = _random_rewrite(finding)
    code = ""
    if replacement is not None:
        code = (f"# {_short(replacement.path)}:{replacement.line}\n# was: {_flat(replacement.python)}\n"
                f"{replacement.tensorflow}")
    notes = [replacement.note] if replacement is not None and replacement.note else []
    notes.append("for reproducible augmentation, use tf.random.stateless_* with a per-element seed")
    return Advice(
        kind="tf-random",
        title=ADVICE_TITLES["tf-random"],
        site=finding.call_site or finding.location,
        summary="Python and NumPy random calls in a traced function run once, at trace time: every element "
        "gets the same value. tf.random ops draw per element, from the same distribution."
        + (f" {why[0].upper()}{why[1:]}." if why else ""),
        code=code,
        finding_codes=(finding.code,),
        replacements=(replacement,) if replacement else (),
        notes=tuple(notes),
    )


def _random_rewrite(finding: Finding) -> tuple[Replacement | None, str]:
    """The statement with the random call at the finding rewritten, or the reason it is not."""
    source = load_function(finding.function) if finding.function else None
    loc = finding.location
    call = next((c for c in source.calls if c.line == loc.line and c.node.col_offset + 1 == loc.column),
                None) if source is not None else None
    if source is None or call is None:
        return None, ""
    drawn = rewrite_random(call.key, call.node, source.module_values)
    if drawn.tensorflow is None:
        return None, drawn.reason
    statement = source.statements.get(call.line)
    in_statement = {id(n) for n in ast.walk(statement)} if statement is not None else set()
    if statement is None or id(call.node) not in in_statement:
        return Replacement(loc.path, loc.line, call.text, drawn.tensorflow, drawn.note), ""
    # Every random call of the statement at once: `np.random.uniform() + random.random()` rewritten one
    # call per block left the other drawing at trace time in each (fresh-clone audit, fixtures/probe).
    swaps, notes = [_cast_of(statement, call.node, drawn.tensorflow)], [drawn.note]
    inside = {id(n) for n in ast.walk(call.node)}
    for other in source.calls:
        if other is call or id(other.node) not in in_statement or id(other.node) in inside \
                or not is_random(other.key) or any(n is call.node for n in ast.walk(other.node)):
            continue
        also = rewrite_random(other.key, other.node, source.module_values)
        if also.tensorflow is not None:
            swaps.append(_cast_of(statement, other.node, also.tensorflow))
            notes.append(also.note)
            inside |= {id(n) for n in ast.walk(other.node)}
        else:
            notes.append(f"`{other.text}` stays Python: {also.reason}")
    note = "; ".join(dict.fromkeys(n for n in notes if n))
    return Replacement(loc.path, statement.lineno, segment(source.lines, statement),
                       replace_nodes(statement, swaps), note), ""


def _cast_of(statement: ast.stmt, call: ast.Call, draw: str) -> tuple[ast.AST, str]:
    """`int(<call>)` is replaced whole, by a cast of the draw; otherwise the call alone."""
    for node in ast.walk(statement):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in PYTHON_CASTS \
                and len(node.args) == 1 and node.args[0] is call and not node.keywords:
            return node, f"tf.cast({draw}, {PYTHON_CASTS[node.func.id]})"
    return call, draw


def move_side_effect(finding: Finding) -> Advice:
    code = ""
    notes: list[str] = []
    if finding.function is not None:
        source = load_function(finding.function)
        if source is not None:
            for call in source.calls:
                if call.line == finding.location.line and call.key in SIDE_EFFECT_REPLACEMENTS:
                    new = SIDE_EFFECT_REPLACEMENTS[call.key]
                    code = f"# {_short(finding.location.path)}:{call.line}\n# was: {_flat(call.text)}\n"
                    code += (call.text.replace(call.text.split("(")[0], new, 1) if new.startswith("tf.")
                             else f"# {new}")
                    first = call.node.args[0] if call.node.args else None
                    if new == "tf.print" and isinstance(first, ast.Constant) and "%" in str(first.value):
                        notes.append("tf.print does not %-format: it prints its arguments separated by "
                                     "spaces")
                    break
    return Advice(
        kind="move-side-effect",
        title=ADVICE_TITLES["move-side-effect"],
        site=finding.call_site or finding.location,
        summary="A traced function runs its Python once, when tf.data traces it, not per element. Use the "
        "TensorFlow op (tf.print, tf.io.read_file) or move the effect out of the map.",
        code=code,
        finding_codes=(finding.code,),
        notes=tuple(notes),
    )


def tf_range(finding: Finding) -> Advice:
    loop = _range_loop(finding.location)
    code = ""
    if loop is not None:
        where = f"{_short(finding.location.path)}:{finding.location.line}"
        code = f"# {where}: the same loop over tf.range\n{loop}"
    return Advice(
        kind="tf-range",
        title=ADVICE_TITLES["tf-range"],
        site=finding.call_site or finding.location,
        summary="A Python `for` over range(N) in a traced function is unrolled into N copies of its ops "
        "(about 1 ms of graph building per iteration). tf.range makes it one While op.",
        code=code,
        finding_codes=(finding.code,),
        notes=("values carried across iterations must be tensors (or a tf.TensorArray)",),
    )


# A longer loop is not repeated in the advice: the one change is named in the summary's words.
_LOOP_LINES = 30


def _range_loop(location: Location) -> str | None:
    """The `for ... in range(...)` loop at `location`, as written, with `range` changed to `tf.range`."""
    parsed, lines = parsed_file(location.path), read_lines(location.path)
    if parsed is None or lines is None:
        return None
    loop = next((n for n in ast.walk(parsed[0]) if isinstance(n, ast.For) and n.lineno == location.line
                 and isinstance(n.iter, ast.Call) and ast.unparse(n.iter.func) == "range"), None)
    if loop is None or (loop.end_lineno or loop.lineno) - loop.lineno >= _LOOP_LINES:
        return None
    assert isinstance(loop.iter, ast.Call)
    func = loop.iter.func
    text = lines[loop.lineno - 1:loop.end_lineno]
    if func.lineno != loop.lineno:
        return None
    header = text[0].encode()
    text[0] = (header[:func.col_offset] + b"tf." + header[func.col_offset:]).decode(errors="replace")
    code = textwrap.dedent("\n".join(text))
    try:
        parse_quietly(code)
    except SyntaxError:
        return None
    return code


def data_service(site: Location, blocking: list[Finding], result: SiteResult | None,
                 cores: int | None) -> Advice:
    """tf.data service advice; `blocking` are the findings that asked for it: a rule asks only when the
    pipeline has Python callbacks the service workers cannot run, so they must go first."""
    blocked = bool(blocking)
    code = _SERVICE_CODE
    if blocked:
        summary = ("tf.data service runs the pipeline in separate worker processes, which cannot call back "
                   "into this process's Python: py_function, numpy_function and from_generator fail there "
                   "with 'Could not find callback with key=pyfunc_0' (TF issue 50252). Make the pipeline "
                   "tf-native first (see the rewrite above), then distribute it.")
    else:
        used = max((x.cpu_cores for x in (result.pipeline if result else [])), default=None)
        summary = ("This stage is tf-native and already uses the host's cores"
                   + (f" ({used:.1f} of {cores} cores busy)" if used is not None and cores else "")
                   + ": more parallelism on one host cannot help. tf.data service moves the preprocessing to "
                   "worker hosts; it works because the pipeline has no Python callbacks.")
    return Advice(
        kind="data-service",
        title=ADVICE_TITLES["data-service"],
        site=site,
        summary=summary,
        code=code,
        finding_codes=tuple(f.code for f in blocking),
    )


def vectorise(site: Location, findings: list[Finding]) -> Advice:
    """Batch-first advice for a cheap element-wise map; `findings` are those that asked for it."""
    from tfpar_doctor.advice.edits import batch_first, mapped_argument

    chained = batch_first(site)
    if chained is not None:
        code = (f"# {_short(chained.path)}:{chained.line}: batch first; the function now gets whole batches\n"
                f"# was: {_flat(chained.before)}\n{chained.after}")
    else:
        edit = statement_at(site)
        name = edit.target if edit and edit.target else "ds"
        function = mapped_argument(site, None) or "fn"
        code = (f"# {_short(site.path)}:{site.line}: move the later .batch() up, then map whole batches\n"
                + (f"# was: {_flat(edit.before)}\n" if edit else "")
                + f"{name} = {name}.batch(BATCH_SIZE)\n"
                f"{name} = {name}.map({function}, num_parallel_calls=tf.data.AUTOTUNE)")
    return Advice(
        kind="vectorise",
        title=ADVICE_TITLES["vectorise"],
        site=site,
        summary="A cheap element-wise map pays its per-call overhead for every element; after batch() it "
        "runs once per batch on whole tensors. Element-wise ops work on a batch unchanged; check ops that "
        "assume one element's shape (indexing, reshape, per-element Python).",
        code=code,
        finding_codes=tuple(f.code for f in findings),
    )


def prefetch(finding: Finding) -> Advice:
    from tfpar_doctor.advice.edits import chain_method

    location = finding.location
    method = _method_name(location)
    edit = chain_method(location, method, "prefetch(tf.data.AUTOTUNE)") if method else None
    code = (f"# {_short(edit.path)}:{edit.line}\n# was: {_flat(edit.before)}\n{edit.after}" if edit else
            "ds = ds.prefetch(tf.data.AUTOTUNE)")
    return Advice(
        kind="prefetch",
        title=ADVICE_TITLES["prefetch"],
        site=finding.call_site or location,
        summary="prefetch lets tf.data prepare the next batches while the model trains on this one, with a "
        "buffer the autotuner sizes; without it, input and training take turns.",
        code=code,
        finding_codes=(finding.code,),
    )


def _method_name(location: Location) -> str | None:
    lines = read_lines(location.path) or []
    if not 0 < location.line <= len(lines):
        return None
    rest = lines[location.line - 1][location.column - 1:]
    name = "".join(c for c in rest.split("(", 1)[0] if c.isalnum() or c == "_")
    return name or None


def nondeterministic(finding: Finding) -> Advice:
    site = finding.call_site or finding.location
    edit = set_keywords(site, {"deterministic": "False"}, _method_name(site))
    return Advice(
        kind="nondeterministic",
        title=ADVICE_TITLES["nondeterministic"],
        site=site,
        summary="With the default deterministic order, one slow element holds back every finished element "
        "behind it. If the order does not matter (shuffled training data), let them overtake.",
        code=f"# {_short(edit.path)}:{edit.line}\n# was: {_flat(edit.before)}\n{edit.after}" if edit else "",
        finding_codes=(finding.code,),
    )


def keep_parallelism(site: Location, result: SiteResult) -> Advice | None:
    if result.verdict is not Verdict.SCALES or not result.best_level:
        return None
    speedup = result.best_speedup
    level = "tf.data.AUTOTUNE" if result.best_level == "autotune" else result.best_level
    edit = set_keywords(site, {"num_parallel_calls": level}, result.site.method, result.site.function)
    return Advice(
        kind="keep-parallelism",
        title=ADVICE_TITLES["keep-parallelism"],
        site=site,
        summary=f"Throughput rises with parallelism here: the probe recommends {result.best_level}"
        + (f" ({speedup:.2f}x level 1)." if speedup else "."),
        code=(f"# was: {_flat(edit.before)}\n{edit.after}" if edit and edit.before != edit.after else ""),
        measured_speedup=speedup,
        measured=f"best level {result.best_level}" + (f", {speedup:.2f}x level 1" if speedup else ""),
    )
