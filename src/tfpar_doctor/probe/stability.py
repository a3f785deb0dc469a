"""Whether the evidence is decisive: the verdict of all rounds together against each round's own verdict.

One measuring window at a threshold edge must not decide between two verdicts (a 1.16x gain against a 1.15
"flat" limit once flipped between runs). So the probe judges the site on all rounds together (the medians)
and on every round alone. A single round decides only when it sits clear of every edge: moving each level's
rate and CPU by the window noise (`thresholds.WINDOW_NOISE`) either way, in every combination, gives the same
verdict (`clear_of_edges`), and the machine was quiet while it was measured. That noise is the idle
machine's; on a loaded one the windows move more (a CI run read a generator alone 1.7x faster than the same
generator in its pipeline under a weak calibration, and one round called it not-bottleneck). Otherwise
`thresholds.EDGE_ROUNDS` rounds must agree. When the rounds disagree, the evidence straddles an edge: the
probe measures another round (up to `thresholds.MAX_ROUNDS`). When it must stop, a verdict that a majority of
the rounds shares is kept with a lower confidence; a split is `inconclusive`, with the rounds' verdicts as
the reason.

Pure: no TensorFlow; tested on recorded rounds.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from tfpar_doctor.model import LevelResult, Verdict
from tfpar_doctor.probe import thresholds as T
from tfpar_doctor.probe.verdict import SIGNATURES, Decision, SiteMeasurements, impossible_speedup, judge

# Verdicts that do not rest on the throughput curve: a round cannot disagree with them.
_NOT_FROM_THE_CURVE = (Verdict.TRACE_TIME_ONLY, Verdict.UNMEASURABLE)
# ... except this one, which reads the curve: a single round never decides it (its name read from the table).
_MEASURED_IMPOSSIBLE = next(sig.name for sig in SIGNATURES if sig.check is impossible_speedup)


@dataclass
class Stability:
    decision: Decision  # the verdict of all rounds together (medians), confidence already adjusted
    round_verdicts: list[str]  # each round's verdict on its own, in order
    agreement: float  # share of the rounds that agree with the decision
    decisive: bool  # every round agrees (or the verdict does not rest on the curve): stop measuring
    clear: bool | None = None  # one round sat clear of every edge (None: not asked, two rounds or more)
    over_read: int = 0  # rounds counted as agreeing with `scales` although they read an impossible speed-up

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "rounds": len(self.round_verdicts),
            "round_verdicts": self.round_verdicts,
            "agreement": round(self.agreement, 3),
            "decisive": self.decisive,
        }
        if self.clear is not None:
            out["clear_of_edges"] = self.clear
        if self.over_read:
            out["over_read"] = self.over_read
        return out


def assess(
    make: Callable[[Sequence[LevelResult]], SiteMeasurements],
    combined: Sequence[LevelResult],
    rounds: Sequence[Sequence[LevelResult]],
    needed: int = T.MIN_ROUNDS,
    clear_of_edges: Callable[[], bool] | None = None,
) -> Stability:
    """`make(levels)` builds the site's measurements with the varied curve set to `levels`; `combined` is
    that curve over all rounds, `rounds[i]` the same curve as round i alone measured it (trusted rounds
    only). Decisive takes `needed` rounds that all agree, and `thresholds.EDGE_ROUNDS` of them unless
    `clear_of_edges()` says the rounds so far sit clear of every edge."""
    decision = judge(make(combined))
    round_decisions = [judge(make(r)) for r in rounds]
    verdicts = [d.verdict.value for d in round_decisions]
    over_read = sum(_over_read(decision, d) for d in round_decisions)
    impossible = decision.signature == _MEASURED_IMPOSSIBLE
    if impossible and 0 < len(verdicts) < T.EDGE_ROUNDS:
        # a speed-up beyond the cores is itself a measurement: one noisy window read 2.5x on 2 cores for a
        # stage that scales (idle machine, fixtures/probe/tf_native.py); another round confirms or refutes it
        return Stability(decision, verdicts, 1.0, False)
    if (decision.verdict in _NOT_FROM_THE_CURVE and not impossible) or not verdicts:
        # ... and after that the rounds must agree on it like on any verdict read from the curve: one slow
        # window at npc=1 in one of two rounds made numpy_sort.py and p14_noise_mixing.py (both scale)
        # `unmeasurable` in 1 of 3 probes each (2026-12-05 stability run)
        return Stability(decision, verdicts, 1.0, True)
    agreement = (sum(v == decision.verdict.value for v in verdicts) + over_read) / len(verdicts)
    if agreement < 1.0 or len(verdicts) < needed:
        return Stability(decision, verdicts, agreement, False, over_read=over_read)
    if decision.verdict is Verdict.INCONCLUSIVE and len(verdicts) < T.EDGE_ROUNDS:
        # `inconclusive` read from a curve says this round did not identify the site; another round may.
        # p03_midi_generator.py:53 (a GIL-bound generator; idle machine, 2026-12-05 stability run) came out
        # `flat-other` from one round sitting "clear of every edge" in 1 of 3 probes and gil-bound in the
        # others: its windows moved 35-61 el/s between probes, far more than the window noise perturbed.
        return Stability(decision, verdicts, agreement, False)
    if len(verdicts) >= T.EDGE_ROUNDS:
        return Stability(decision, verdicts, agreement, True, over_read=over_read)
    clear = clear_of_edges() if clear_of_edges is not None and not over_read else False
    return Stability(decision, verdicts, agreement, clear, clear, over_read=over_read)


def _over_read(decision: Decision, round_decision: Decision) -> bool:
    """A round that read more speed-up than the cores allow, for a stage that computes, agrees with `scales`
    from all rounds together: it over-read a stage that scales (one window's speed moved: a VM's stolen time,
    a slow first window at npc=1). No other verdict's stage reaches the cores with such a gain: a GIL-bound or
    waiting stage never computes on all cores, and a `partial` gain is far below the cores. The 2026-12-05
    idle stability run (22:01-23:02 UTC) read such rounds on four sites, all labelled `scales`
    (numpy_sort.py:16, tf_native.py:15, p10_image_augment.py:49, p12_sort_features.py:24); counted as
    disagreeing, they split p10's rounds 2-2 (`inconclusive`) in 1 of 3 probes."""
    return decision.verdict is Verdict.SCALES and round_decision.signature == _MEASURED_IMPOSSIBLE


def clear_of_edges(
    verdict_of: Callable[[Mapping[str, Sequence[LevelResult]]], Verdict],
    curves: Mapping[str, Sequence[LevelResult]],
    quiet: bool,
    noise: float = T.WINDOW_NOISE,
) -> bool:
    """Whether `verdict_of(curves)` stays the same with every level's rate and CPU moved by `noise` up or
    down, in every combination (the measured curves are named; `verdict_of` judges a set of them). Never on
    a machine that was not `quiet` (load, calibration or spread cost the verdict confidence): `noise` is the
    idle machine's."""
    if not quiet:
        return False
    base = verdict_of(curves)
    places = [(name, i) for name, levels in curves.items() for i in range(len(levels))]
    if len(places) > T.MAX_PERTURBED_LEVELS:
        return False
    for signs in itertools.product((-1.0, 1.0), repeat=len(places)):
        moved = {name: list(levels) for name, levels in curves.items()}
        for (name, i), sign in zip(places, signs, strict=True):
            lv = moved[name][i]
            factor = 1.0 + sign * noise
            moved[name][i] = replace(lv, elements_per_second=lv.elements_per_second * factor,
                                     cpu_cores=lv.cpu_cores * factor)
        if verdict_of(moved) is not base:
            return False
    return True


def _over_read_note(s: Stability) -> str:
    if not s.over_read:
        return ""
    return f"; {s.over_read} {Verdict.UNMEASURABLE.value} counted as an over-read {Verdict.SCALES.value}"


def conclude(s: Stability) -> Decision:
    """The final decision once measuring stops: decisive as is; a majority less sure; a split inconclusive."""
    d = s.decision
    if s.decisive or s.agreement == 1.0:
        n = len(s.round_verdicts)
        if d.verdict in _NOT_FROM_THE_CURVE or n == 0:
            return d
        if n == 1 and s.clear:
            noise = f"{T.WINDOW_NOISE:.0%}"
            reasons = d.reasons + (
                f"one round decided it: with every level's rate and CPU moved {noise} up or down, in every "
                f"combination, the verdict stays {d.verdict.value}",
            )
            return Decision(d.verdict, d.confidence, reasons, d.signature, d.explain)
        if n == 1:  # the other rounds were dropped, or measuring had to stop: one round near an edge
            reasons = d.reasons + ("only one round could be trusted: judged on it alone",)
            confidence = round(max(0.05, d.confidence - 0.1), 2)
            return Decision(d.verdict, confidence, reasons, d.signature, d.explain)
        if s.over_read:
            agreeing = (
                f"all {n} rounds agree: {n - s.over_read} gave {d.verdict.value} on their own, {s.over_read} "
                f"read more speed-up than the cores allow (an over-read of a stage that scales)"
            )
        else:
            agreeing = f"all {n} rounds gave {d.verdict.value} on their own"
        return Decision(d.verdict, d.confidence, d.reasons + (agreeing,), d.signature, d.explain)
    counts = Counter(s.round_verdicts)
    split = ", ".join(f"{verdict} {n}" for verdict, n in counts.most_common())
    if s.agreement >= T.MAJORITY:
        confidence = round(max(0.05, d.confidence - T.SPLIT_PENALTY * (1 - s.agreement) * 2), 2)
        reasons = d.reasons + (
            f"{counts[d.verdict.value]} of {len(s.round_verdicts)} rounds gave {d.verdict.value} on their "
            f"own ({split}{_over_read_note(s)}): the evidence sits near an edge, confidence lowered",
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
