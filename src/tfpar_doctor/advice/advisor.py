"""The advisor: the findings and the probe verdict of one call site -> the advice for that site.

Which advice applies comes from two places: the rules' `advice_kinds` (static evidence) and the probe's
verdict (measured evidence). A measured verdict adds advice the rules could not know (a Python body the
analyzer could not classify that the probe found GIL-bound) and drops advice it contradicts (more
parallel calls for a GIL-bound stage).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tfpar_doctor.advice import multiprocess, pipeline, processes, tf_native
from tfpar_doctor.advice.model import Advice
from tfpar_doctor.advice.resolve import python_body
from tfpar_doctor.advice.source import FunctionSource, load_function
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.knowledge.rewrites import ADVICE_TITLES
from tfpar_doctor.model import (
    VERDICT_MEANING,
    BodyClass,
    Finding,
    Location,
    Related,
    Severity,
    SiteResult,
    Verdict,
)
from tfpar_doctor.rules import python_body_of
from tfpar_doctor.rules.base import PythonBody

# A tf-native stage busier than this share of the cores saturates the host (tf.data service helps then).
_SATURATED = 0.8


@dataclass(slots=True)
class SiteInput:
    site: Location
    findings: Sequence[Finding]
    result: SiteResult | None = None
    cores: int | None = None


def advise(item: SiteInput) -> list[Advice]:
    kinds = _kinds(item)
    body_finding = _body_finding(item.findings) or _measured_body(item)
    source: FunctionSource | None = None
    if body_finding is not None and body_finding.function:
        source = load_function(body_finding.function)
    out: list[Advice] = []
    for kind in kinds:
        out.extend(_one_kind(kind, item, body_finding, source))
    return _unique(out)


def _kinds(item: SiteInput) -> list[AdviceKind]:
    named = [kind for found in item.findings for kind in found.advice_kinds]
    kinds = [k for k in (AdviceKind.of(name) for name in named) if k is not None]
    result = item.result
    if result is not None:
        kinds += _measured_kinds(result, item.cores)
        if result.verdict is Verdict.GIL_BOUND:
            # measured: more parallel calls do not help this stage
            kinds = [k for k in kinds if k is not AdviceKind.ADD_PARALLELISM]
    if _is_cpu_bound(item):
        kinds = [k for k in kinds if k is not AdviceKind.ADD_PARALLELISM]
    kinds = list(dict.fromkeys(kinds))
    if AdviceKind.THREAD_POOL in kinds and any(_body_kind(f) is BodyClass.IO for f in item.findings):
        kinds.remove(AdviceKind.THREAD_POOL)
        # for waits, the one-line pool change comes before any rewrite
        kinds.insert(0, AdviceKind.THREAD_POOL)
    return kinds


def _measured_kinds(result: SiteResult, cores: int | None) -> list[AdviceKind]:
    """The advice a measured verdict asks for, whatever the rules found (`VERDICT_MEANING` lists it), and
    tf.data service for a tf-native stage that scales and already keeps the host's cores busy."""
    kinds = list(VERDICT_MEANING[result.verdict].advice_kinds)
    if result.verdict is Verdict.SCALES and not result.site.runs_python and _saturated(result, cores):
        kinds.append(AdviceKind.DATA_SERVICE)
    return kinds


def _saturated(result: SiteResult, cores: int | None) -> bool:
    if not cores:
        return False
    busiest = max((x.cpu_cores for x in result.pipeline), default=0.0)
    return busiest >= _SATURATED * cores


def _is_cpu_bound(item: SiteInput) -> bool:
    return any(f.classification is not None and f.classification.kind is BodyClass.CPU for f in item.findings)


def _body_finding(findings: Sequence[Finding]) -> Finding | None:
    """The finding that names the site's per-element Python body (the one to rewrite or move to
    processes), in the order `PythonBody` lists; the rules that name one say so (`Rule.python_body`)."""
    named = [(body, found) for found in findings
             if found.function and (body := python_body_of(found.code)) is not None]
    order = list(PythonBody)
    return min(named, key=lambda pair: order.index(pair[0]))[1] if named else None


def _measured_body(item: SiteInput) -> Finding | None:
    """A stand-in for the body finding when only the probe saw the site run Python (not rendered)."""
    result = item.result
    if result is None or not result.site.runs_python:
        return None
    body = python_body(result.site)
    if body is None:
        return None
    return Finding(code="", name="", message="", location=item.site, severity=Severity.INFO,
                   call_site=item.site, function=body.function_id,
                   related=(Related(body.wrapper, "the probed site runs Python per element here"),))


@dataclass(frozen=True, slots=True)
class _Ask:
    """What one advice handler gets: the site, the findings asking for its kind, the Python body."""

    item: SiteInput
    of_kind: list[Finding]
    body: Finding | None
    source: FunctionSource | None


def _one_kind(kind: AdviceKind, item: SiteInput, body: Finding | None,
              source: FunctionSource | None) -> list[Advice]:
    of_kind = [f for f in item.findings if kind in f.advice_kinds]
    return _HANDLERS[kind](_Ask(item, of_kind, body, source))


def _listed(advice: Advice | None) -> list[Advice]:
    return [advice] if advice else []


def _multiprocessing(ask: _Ask) -> list[Advice]:
    body, result = ask.body, ask.item.result
    # An I/O or native body already releases the GIL: processes are for what holds it.
    if body is None or (_body_kind(body) in (BodyClass.IO, BodyClass.NATIVE)
                        and not (result and result.verdict is Verdict.GIL_BOUND)):
        return []
    return _listed(multiprocess.advise(body, ask.source, result, ask.item.cores))


def _keep_parallelism(ask: _Ask) -> list[Advice]:
    result = ask.item.result
    return _listed(pipeline.keep_parallelism(ask.item.site, result)) if result is not None else []


def _processes(kind: AdviceKind) -> Callable[[_Ask], list[Advice]]:
    """The handlers of `knowledge.processes` kinds (TFP106, TFP201, TFP202)."""
    return lambda ask: processes.HANDLERS[kind.value](ask.of_kind, ask.item.result)


# One handler per advice kind; a kind with several findings gets one block per finding unless the
# advice is about the site as a whole (`[:1]`, or a handler that reads the site).
_HANDLERS: dict[AdviceKind, Callable[[_Ask], list[Advice]]] = {
    AdviceKind.TF_NATIVE: lambda ask: _listed(_tf_native(ask.item, ask.body, ask.source)),
    AdviceKind.MULTIPROCESSING: _multiprocessing,
    AdviceKind.THREAD_POOL: lambda ask: [
        pipeline.thread_pool(ask.item.site, ask.of_kind, ask.item.result, ask.item.cores)],
    AdviceKind.ADD_PARALLELISM: lambda ask: [pipeline.add_parallelism(f) for f in ask.of_kind[:1]],
    AdviceKind.MOVE_CACHE: lambda ask: [pipeline.move_cache(f) for f in ask.of_kind],
    AdviceKind.TF_RANDOM: lambda ask: [pipeline.tf_random(f) for f in ask.of_kind],
    AdviceKind.MOVE_SIDE_EFFECT: lambda ask: [pipeline.move_side_effect(f) for f in ask.of_kind],
    AdviceKind.TF_RANGE: lambda ask: [pipeline.tf_range(f) for f in ask.of_kind],
    AdviceKind.DATA_SERVICE: lambda ask: [
        pipeline.data_service(ask.item.site, ask.of_kind, ask.item.result, ask.item.cores)],
    AdviceKind.VECTORISE: lambda ask: [pipeline.vectorise(ask.item.site, ask.of_kind)],
    AdviceKind.PREFETCH: lambda ask: [pipeline.prefetch(f) for f in ask.of_kind[:1]],
    AdviceKind.NONDETERMINISTIC: lambda ask: [pipeline.nondeterministic(f) for f in ask.of_kind[:1]],
    AdviceKind.KEEP_PARALLELISM: _keep_parallelism,
    # the kinds `processes` handles are named once, in its own table
    **{AdviceKind(kind): _processes(AdviceKind(kind)) for kind in processes.HANDLERS},
}


def _body_kind(found: Finding) -> BodyClass:
    return found.classification.kind if found.classification else BodyClass.UNKNOWN


def _tf_native(item: SiteInput, body: Finding | None, source: FunctionSource | None) -> Advice | None:
    if body is None or source is None:
        return None
    native = tf_native.plan(source)
    if not native.replacements:
        return None
    if native.unknown:
        coverage = (f"{native.recognised} of {native.total} library calls in `{source.name}` have TensorFlow "
                    "equivalents; the rest is listed at the end of the block")
    else:
        coverage = f"All {native.recognised} library calls in `{source.name}` have TensorFlow equivalents"
    if source.loops:
        coverage += "; its Python loops over the element's data must become whole-tensor ops"
    return Advice(
        kind=AdviceKind.TF_NATIVE.value,
        title=ADVICE_TITLES[AdviceKind.TF_NATIVE.value],
        site=item.site,
        summary=f"{coverage}. As TensorFlow ops the function is traced once and runs as graph ops: "
        f"in parallel without the GIL, up to the core count, and in tf.data service workers."
        f"{_native_evidence(native)}{_native_verified(item.result)}",
        code=tf_native.code_block(source, native),
        finding_codes=tuple(f.code for f in item.findings if AdviceKind.TF_NATIVE in f.advice_kinds),
        replacements=tuple(native.replacements),
        notes=tuple(dict.fromkeys(r.note for r in native.replacements if r.note)),
    )


def _native_verified(result: SiteResult | None) -> str:
    """What `probe --verify-rewrite` showed when it ran the rewrite on the site's own inputs; a rewrite
    whose outputs differ is said to differ, so nobody takes it as a drop-in replacement."""
    if result is None or result.verification is None:
        return ""
    from tfpar_doctor.probe.rewrite_verify import from_record, summary

    checked = from_record(result.verification)
    if checked.error or checked.same_outputs:
        return f" On this site's recorded inputs: {summary(checked)}."
    return (f" On this site's recorded inputs the rewrite's outputs differ ({checked.first_difference}): "
            "it is not a drop-in replacement; fix the differing step before using it.")


def _native_evidence(native: tf_native.NativePlan) -> str:
    """The reference measurement that fits the rewrite, when there is one (PIL's row is the JPEG row of
    docs/how-probe-measures.md §2; tf.io.decode_jpeg was timed on the same images)."""
    if "image" in native.categories:
        return (" Measured for JPEG decoding: tf.io.decode_jpeg 0.18 s vs PIL 0.27-0.29 s for the same "
                "images at 2 parallel calls on 2 cores, and the traced op needs no py_function.")
    return ""


def _unique(advice: list[Advice]) -> list[Advice]:
    seen: set[tuple[str, str]] = set()
    out: list[Advice] = []
    for item in advice:
        key = (item.kind, item.code or item.summary)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
