"""Memory per parallelism level, against the budget AUTOTUNE works with (pure; no TensorFlow).

Each measuring window samples the probed process's resident memory; a level's peak is the highest sample of
its windows. tf.data's AUTOTUNE sizes buffers within `options.autotune.ram_budget` (default: half the
available RAM), and users lose training runs when it grows past what the machine can spare (TensorFlow
issue 33516 and later). So the probe compares the recommended level and AUTOTUNE with the budget (the
pipeline's `ram_budget`, or `--memory-budget`, or half the RAM) and says which option to set.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tfpar_doctor.model import LevelResult

MIB = 1 << 20


def mib(n: int | float | None) -> str:
    return "-" if n is None else f"{n / MIB:,.0f} MiB"


def peak(levels: Sequence[LevelResult], name: str | None) -> int | None:
    for lv in levels:
        if lv.level == name:
            return lv.peak_rss_bytes
    return None


def report(
    levels: Sequence[LevelResult],
    recommended: str | None,
    budget_bytes: int | None,
    budget_source: str,
    element_bytes: int | None,
) -> dict[str, Any] | None:
    """The memory summary of one site: peaks at level 1, the recommended level and AUTOTUNE, and advice when
    one of them grows past the budget (None when no level recorded its memory)."""
    peaks = [lv.peak_rss_bytes for lv in levels if lv.peak_rss_bytes]
    if not peaks:
        return None
    base = peak(levels, "1") or min(peaks)
    rec = peak(levels, recommended)
    auto = peak(levels, "autotune")
    out: dict[str, Any] = {
        "budget_bytes": budget_bytes,
        "budget_source": budget_source,
        "level1_peak_bytes": base,
        "recommended_peak_bytes": rec,
        "autotune_peak_bytes": auto,
        "element_bytes": element_bytes,
        "advice": advice(base, rec, auto, recommended, budget_bytes, budget_source),
    }
    return out


def advice(
    base: int | None,
    rec: int | None,
    auto: int | None,
    recommended: str | None,
    budget: int | None,
    source: str,
) -> str | None:
    """What to set when AUTOTUNE or the recommended level grows memory past the budget."""
    if not budget:
        return None
    if auto and auto > budget:
        lower = f"a fixed num_parallel_calls={recommended}" if recommended and recommended.isdigit() else (
            "a lower fixed num_parallel_calls"
        )
        return (
            f"AUTOTUNE grew the process to {mib(auto)} (level 1: {mib(base)}), over the {mib(budget)} budget "
            f"({source}): set options.autotune.ram_budget = {budget} (bytes), or "
            "options.autotune.initial_parallelism, or use " + lower
        )
    if rec and recommended and rec > budget:
        return (
            f"the recommended level {recommended} peaks at {mib(rec)}, over the {mib(budget)} budget "
            f"({source}): use a lower fixed num_parallel_calls, or smaller elements/prefetch buffers"
        )
    return None
