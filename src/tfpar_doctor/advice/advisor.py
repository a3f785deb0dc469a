"""The advisor: the findings and the probe verdict of one call site -> the advice for that site.

Which advice applies comes from two places: the rules' `advice_kinds` (static evidence) and the probe's
verdict (measured evidence). A measured verdict adds advice the rules could not know (a Python body the
analyzer could not classify that the probe found GIL-bound) and drops advice it contradicts (more
parallel calls for a GIL-bound stage).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tfpar_doctor.advice import multiprocess, pipeline, processes, tf_native
from tfpar_doctor.advice.model import Advice
from tfpar_doctor.advice.resolve import python_body
from tfpar_doctor.advice.source import FunctionSource, load_function
from tfpar_doctor.knowledge.rewrites import ADVICE_TITLES
from tfpar_doctor.model import BodyClass, Finding, Location, Related, Severity, SiteResult, Verdict

# Findings whose `function` is the per-element Python body (the one to rewrite or move to processes).
_PYTHON_BODY_CODES = ("TFP102", "TFP101", "TFP103", "TFP104")
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


def _kinds(item: SiteInput) -> list[str]:
    kinds: list[str] = []
    for found in item.findings:
        kinds.extend(found.advice_kinds)
    result = item.result
    if result is not None:
        if result.verdict is Verdict.GIL_BOUND:
            kinds += ["tf-native", "multiprocessing"]
        elif result.verdict is Verdict.THREADPOOL_CAPPED:
            kinds.append("thread-pool")
        elif result.verdict is Verdict.SCALES:
            kinds.append("keep-parallelism")
            if not result.site.runs_python and _saturated(result, item.cores):
                kinds.append("data-service")
        if result.verdict is Verdict.GIL_BOUND and "add-parallelism" in kinds:
            kinds.remove("add-parallelism")  # measured: more calls do not help this stage
    if any(f.code == "TFP402" for f in item.findings):
        kinds.append("vectorise")
    if _is_cpu_bound(item) and "add-parallelism" in kinds:
        kinds.remove("add-parallelism")
    kinds = list(dict.fromkeys(kinds))
    if "thread-pool" in kinds and any(f.classification is not None and f.classification.kind is BodyClass.IO
                                      for f in item.findings):
        kinds.remove("thread-pool")
        kinds.insert(0, "thread-pool")  # for waits, the one-line pool change comes before any rewrite
    return kinds


def _saturated(result: SiteResult, cores: int | None) -> bool:
    if not cores:
        return False
    busiest = max((x.cpu_cores for x in result.pipeline), default=0.0)
    return busiest >= _SATURATED * cores


def _is_cpu_bound(item: SiteInput) -> bool:
    return any(f.classification is not None and f.classification.kind is BodyClass.CPU for f in item.findings)


def _body_finding(findings: Sequence[Finding]) -> Finding | None:
    for code in _PYTHON_BODY_CODES:
        for found in findings:
            if found.code == code and found.function:
                return found
    return None


def _measured_body(item: SiteInput) -> Finding | None:
    """A stand-in for the body finding when only the probe saw the site run Python (not rendered)."""
    result = item.result
    if result is None or not result.site.runs_python:
        return None
    body = python_body(result.site)
    if body is None:
        return None
    return Finding(code="", name="", message="", location=item.site, severity=Severity.INFO, call_site=item.site,
                   function=body.function_id,
                   related=(Related(body.wrapper, "the probed site runs Python per element here"),))


def _one_kind(kind: str, item: SiteInput, body: Finding | None, source: FunctionSource | None) -> list[Advice]:
    findings = list(item.findings)
    of_kind = [f for f in findings if kind in f.advice_kinds]
    if kind == "tf-native":
        advice = _tf_native(item, body, source)
        return [advice] if advice else []
    if kind == "multiprocessing":
        # An I/O or native body already releases the GIL: processes are for what holds it.
        if body is None or (_body_kind(body) in (BodyClass.IO, BodyClass.NATIVE)
                            and not (item.result and item.result.verdict is Verdict.GIL_BOUND)):
            return []
        advice = multiprocess.advise(body, source, item.result, item.cores)
        return [advice] if advice else []
    if kind == "thread-pool":
        return [pipeline.thread_pool(item.site, of_kind, item.result, item.cores)]
    if kind == "add-parallelism":
        return [pipeline.add_parallelism(f) for f in of_kind[:1]]
    if kind == "move-cache":
        return [pipeline.move_cache(f) for f in of_kind]
    if kind == "tf-random":
        return [pipeline.tf_random(f) for f in of_kind]
    if kind == "move-side-effect":
        return [pipeline.move_side_effect(f) for f in of_kind]
    if kind == "tf-range":
        return [pipeline.tf_range(f) for f in of_kind]
    if kind == "data-service":
        return [pipeline.data_service(item.site, findings, item.result, item.cores)]
    if kind == "vectorise":
        return [pipeline.vectorise(item.site, findings)]
    if kind == "prefetch":
        return [pipeline.prefetch(f) for f in of_kind[:1]]
    if kind == "nondeterministic":
        return [pipeline.nondeterministic(f) for f in of_kind[:1]]
    if kind in processes.HANDLERS:  # TFP106, TFP201, TFP202
        return processes.HANDLERS[kind](of_kind, item.result)
    if kind == "keep-parallelism" and item.result is not None:
        advice = pipeline.keep_parallelism(item.site, item.result)
        return [advice] if advice else []
    return []


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
        kind="tf-native",
        title=ADVICE_TITLES["tf-native"],
        site=item.site,
        summary=f"{coverage}. As TensorFlow ops the function is traced once and runs as graph ops: in parallel "
        f"without the GIL, up to the core count, and in tf.data service workers.{_native_evidence(native)}",
        code=tf_native.code_block(source, native),
        finding_codes=tuple(f.code for f in item.findings if "tf-native" in f.advice_kinds),
        replacements=tuple(native.replacements),
        notes=tuple(dict.fromkeys(r.note for r in native.replacements if r.note)),
    )


def _native_evidence(native: tf_native.NativePlan) -> str:
    """The reference measurement that fits the rewrite (TFDATA_FACTS section 2), when there is one."""
    if "image" in native.categories:
        return (" Measured for JPEG decoding: tf.io.decode_jpeg 0.18 s vs PIL 0.27-0.29 s for the same images at "
                "2 parallel calls on 2 cores, and the traced op needs no py_function.")
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
