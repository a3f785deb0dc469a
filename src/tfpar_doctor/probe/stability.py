"""Whether the evidence is decisive: the verdict of all rounds together against each round's own verdict.

One measuring window at a threshold edge must not decide between two verdicts (TFDATA_FACTS 7: a 1.16x gain
against a 1.15 "flat" limit flipped between runs). So the probe judges the site on all rounds together (the
medians) and on every round alone. When every round agrees, the evidence is decisive and measuring stops.
When they disagree, the evidence straddles an edge: the probe measures another round (up to
`thresholds.MAX_ROUNDS`, within the time budget). When it must stop, a verdict that a majority of the rounds
shares is kept with a lower confidence; a split is `inconclusive`, with the rounds' verdicts as the reason.

Pure: no TensorFlow; tested on recorded rounds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tfpar_doctor.model import LevelResult, Verdict
from tfpar_doctor.probe import thresholds as T
from tfpar_doctor.probe.verdict import Decision, SiteMeasurements, judge

# Verdicts that do not rest on the throughput curve: a round cannot disagree with them.
_NOT_FROM_THE_CURVE = (Verdict.TRACE_TIME_ONLY, Verdict.UNMEASURABLE)


@dataclass
class Stability:
    decision: Decision  # the verdict of all rounds together (medians), confidence already adjusted
    round_verdicts: list[str]  # each round's verdict on its own, in order
    agreement: float  # share of the rounds that agree with the decision
    decisive: bool  # every round agrees (or the verdict does not rest on the curve): stop measuring

    def as_dict(self) -> dict[str, object]:
        return {
            "rounds": len(self.round_verdicts),
            "round_verdicts": self.round_verdicts,
            "agreement": round(self.agreement, 3),
            "decisive": self.decisive,
        }


def assess(
    make: Callable[[Sequence[LevelResult]], SiteMeasurements],
    combined: Sequence[LevelResult],
    rounds: Sequence[Sequence[LevelResult]],
    needed: int = T.MIN_ROUNDS,
) -> Stability:
    """`make(levels)` builds the site's measurements with the varied curve set to `levels`; `combined` is
    that curve over all rounds, `rounds[i]` the same curve as round i alone measured it (trusted rounds
    only). Decisive takes `needed` rounds that all agree."""
    decision = judge(make(combined))
    verdicts = [judge(make(r)).verdict.value for r in rounds]
    if decision.verdict in _NOT_FROM_THE_CURVE or not verdicts:
        return Stability(decision, verdicts, 1.0, True)
    agreement = sum(v == decision.verdict.value for v in verdicts) / len(verdicts)
    return Stability(decision, verdicts, agreement, agreement == 1.0 and len(verdicts) >= needed)


def conclude(s: Stability) -> Decision:
    """The final decision once measuring stops: decisive as is; a majority less sure; a split inconclusive."""
    d = s.decision
    if s.decisive or s.agreement == 1.0:
        n = len(s.round_verdicts)
        if d.verdict in _NOT_FROM_THE_CURVE or n == 0:
            return d
        if n == 1:  # the other rounds were dropped: the machine did not lend its cores then
            reasons = d.reasons + ("only one round could be trusted: judged on it alone",)
            confidence = round(max(0.05, d.confidence - 0.1), 2)
            return Decision(d.verdict, confidence, reasons, d.signature, d.explain)
        reasons = d.reasons + (f"all {n} rounds gave {d.verdict.value} on their own",)
        return Decision(d.verdict, d.confidence, reasons, d.signature, d.explain)
    counts = Counter(s.round_verdicts)
    split = ", ".join(f"{verdict} {n}" for verdict, n in counts.most_common())
    if s.agreement >= T.MAJORITY:
        confidence = round(max(0.05, d.confidence - T.SPLIT_PENALTY * (1 - s.agreement) * 2), 2)
        reasons = d.reasons + (
            f"{counts[d.verdict.value]} of {len(s.round_verdicts)} rounds gave {d.verdict.value} on their "
            f"own ({split}): the evidence sits near an edge, confidence lowered",
        )
        return Decision(d.verdict, confidence, reasons, d.signature, d.explain)
    reasons = (
        f"the rounds disagree ({split} over {len(s.round_verdicts)} rounds) and all rounds together suggest "
        f"{d.verdict.value}: the evidence straddles an edge between verdicts",
        "probe again on an idle machine, or with longer windows (--seconds 2) or more rounds (--max-rounds)",
    ) + d.reasons
    explain = d.explain + [
        {"signature": "rounds-agree", "matched": True, "verdict": Verdict.INCONCLUSIVE.value, "why": split}
    ]
    return Decision(Verdict.INCONCLUSIVE, 0.3, reasons, "rounds-split", explain)
