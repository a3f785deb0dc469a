"""The process-pool rewrite as `probe --verify-rewrite` measured it: the rewritten pipeline next to the
original.

The probe applies the rewrite to a copy of the user's tree as handed over and measures both pipelines in
turns; this module turns that record (SiteResult.rewrite) into the words and the decision the advice, the
report and the probe's terminal output show. Three outcomes: faster by REWRITE_BEATS (recommended, with the
number), slower or no faster (not recommended: no code), or not measured reliably (a busy machine, or repeats
on both sides of REWRITE_BEATS: neither, the number stays an estimate). Without a record the pool advice stays
an estimate and says so.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tfpar_doctor.model import SiteResult
from tfpar_doctor.probe.thresholds import REWRITE_BEATS

if TYPE_CHECKING:
    from tfpar_doctor.advice.model import Advice

UNRELIABLE = "not measured reliably here: probe again on a quiet machine"


class Outcome(enum.Enum):
    """What `probe --verify-rewrite` gave for the rewritten pipeline, decided once (here) for every reader."""

    FASTER = "faster"  # measured, at least REWRITE_BEATS: recommended with the number
    NOT_FASTER = "not-faster"  # measured below REWRITE_BEATS: not recommended
    UNRELIABLE = "unreliable"  # measured on a busy machine or with repeats on both sides of REWRITE_BEATS
    FAILED = "failed"  # the rewritten pipeline could not be measured (the record says why)
    NOT_MEASURED = "not-measured"  # the probe did not run --verify-rewrite: the number is an estimate


@dataclass(frozen=True, slots=True)
class RewriteMeasurement:
    """What the report says about the rewrite's number, and whether it still recommends the rewrite."""

    speedup: float | None  # rewritten pipeline / pipeline as written; None when not measured (reliably)
    measured: str  # the words next to the number ("" when not measured)
    outcome: Outcome

    @property
    def recommend(self) -> bool:
        """False only when the rewritten pipeline was measured no faster than REWRITE_BEATS."""
        return self.outcome is not Outcome.NOT_FASTER


def pool_rewrite_measurement(result: SiteResult | None) -> RewriteMeasurement | None:
    """The probe's measurement of the rewritten pipeline, or None when the probe did not measure it."""
    record = result.rewrite if result is not None else None
    if not record or record.get("kind") != "multiprocessing":
        return None
    assert result is not None
    error = record.get("error")
    speedup = record.get("speedup")
    if error or speedup is None or record.get("elements_per_second") is None:
        why = error or "no throughput was recorded"
        return RewriteMeasurement(None, f"the rewritten pipeline could not be measured here: {why}",
                                  Outcome.FAILED)
    words = measured_words(record, f"{result.unit}/s")
    if record.get("unreliable"):
        return RewriteMeasurement(None, f"{UNRELIABLE} ({record['unreliable']}); {words}",
                                  Outcome.UNRELIABLE)
    if speedup < REWRITE_BEATS:
        slower = "slower here" if speedup < 1.0 else f"no faster here (below {REWRITE_BEATS}x)"
        return RewriteMeasurement(speedup, f"not recommended, {slower}: {words}", Outcome.NOT_FASTER)
    return RewriteMeasurement(speedup, words, Outcome.FASTER)


def measured_words(record: dict[str, Any], unit: str) -> str:
    """"the rewritten pipeline ran 1700 batches/s against 913 batches/s as written (1.86x; median of 3
    windows each, taken in turns: 1.70-2.01x)"."""
    new, old = record["elements_per_second"], record["original_elements_per_second"]
    speedup = record["speedup"]
    detail = f"{speedup:.2f}x"
    repeats, low, high = record.get("repeats"), record.get("speedup_low"), record.get("speedup_high")
    if repeats and repeats > 1:
        detail += f"; median of {repeats} windows each, taken in turns"
        if low is not None and high is not None:
            detail += f": {low:.2f}-{high:.2f}x"
    return f"the rewritten pipeline ran {new:.0f} {unit} against {old:.0f} {unit} as written ({detail})"


def not_recommended(advice: Advice, result: SiteResult | None) -> bool:
    """Whether `advice` is the process-pool rewrite the probe measured no faster on the user's machine: the
    report shows it apart from the advice, never as a recommendation."""
    if advice.kind != "multiprocessing":
        return False
    measurement = pool_rewrite_measurement(result)
    return measurement is not None and not measurement.recommend


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
    outcome = verified.outcome if verified is not None else Outcome.NOT_MEASURED
    return RewriteMeasurement(None, "; ".join(words), outcome)
