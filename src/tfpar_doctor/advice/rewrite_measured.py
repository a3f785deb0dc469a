"""The process-pool rewrite as `probe --verify-rewrite` measured it: the rewritten pipeline next to the
original.

The probe applies the rewrite to a copy of the user's tree and runs both pipelines at the parallelism the user
wrote; this module turns that record (SiteResult.rewrite) into the words and the decision the advice shows.
Without a record the pool advice stays an estimate and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from tfpar_doctor.model import SiteResult
from tfpar_doctor.probe.thresholds import REWRITE_BEATS


@dataclass(frozen=True, slots=True)
class RewriteMeasurement:
    """What the report says about the rewrite's number, and whether it still recommends the rewrite."""

    speedup: float | None  # rewritten pipeline / pipeline as written; None when not measured
    measured: str  # the words next to the number ("" when not measured)
    recommend: bool  # False when the rewritten pipeline was measured no faster than REWRITE_BEATS


def pool_rewrite_measurement(result: SiteResult | None) -> RewriteMeasurement | None:
    """The probe's measurement of the rewritten pipeline, or None when the probe did not measure it."""
    record = result.rewrite if result is not None else None
    if not record or record.get("kind") != "multiprocessing":
        return None
    assert result is not None
    unit = f"{result.unit}/s"
    error = record.get("error")
    new, old, speedup = (record.get("elements_per_second"), record.get("original_elements_per_second"),
                         record.get("speedup"))
    if error or new is None or old is None or speedup is None:
        why = error or "no throughput was recorded"
        return RewriteMeasurement(None, f"the rewritten pipeline could not be measured here: {why}", True)
    words = (f"the rewritten pipeline ran {new:.0f} {unit} against {old:.0f} {unit} as written "
             f"({speedup:.2f}x)")
    if speedup < REWRITE_BEATS:
        slower = "slower" if speedup < 1.0 else "no faster"
        return RewriteMeasurement(speedup, f"measured {slower} here: not recommended; {words}", False)
    return RewriteMeasurement(speedup, f"measured here: {words}", True)


def pool_advice_numbers(result: SiteResult | None, alone_speedup: float | None,
                        alone_words: str) -> RewriteMeasurement:
    """The number and words the pool advice shows: the rewritten pipeline's when the probe measured it;
    otherwise the function-alone timing (`alone_*`, not the pipeline) or nothing, labelled as an estimate."""
    verified = pool_rewrite_measurement(result)
    if verified is not None and verified.speedup is not None:
        return verified
    words = [verified.measured] if verified is not None else []
    if alone_words:
        words.append(f"estimate from {alone_words}"
                     + (f" ({alone_speedup:.2f}x)" if alone_speedup is not None else ""))
    return RewriteMeasurement(None, "; ".join(words), True)
