"""The kinds of advice a rule or a probe verdict can ask for.

A `str` enum (the package supports Python 3.10, before `StrEnum`), so a kind compares equal to the plain
string a rule writes in its `advice_kinds` and to the keys of `ADVICE_TITLES`. Enum members hash by name,
not by value: look a rule's string up with `AdviceKind.of` before using it as a key. The advisor keeps one
handler per member.
"""

from __future__ import annotations

from enum import Enum


class AdviceKind(str, Enum):
    TF_NATIVE = "tf-native"
    MULTIPROCESSING = "multiprocessing"
    THREAD_POOL = "thread-pool"
    MOVE_CACHE = "move-cache"
    ADD_PARALLELISM = "add-parallelism"
    TF_RANDOM = "tf-random"
    TF_RANGE = "tf-range"
    MOVE_SIDE_EFFECT = "move-side-effect"
    DATA_SERVICE = "data-service"
    VECTORISE = "vectorise"
    KEEP_PARALLELISM = "keep-parallelism"
    PREFETCH = "prefetch"
    NONDETERMINISTIC = "nondeterministic"
    MOVE_TF_CALL = "move-tf-call"
    SPAWN_CONTEXT = "spawn-context"
    PYDATASET_WORKERS = "pydataset-workers"

    @classmethod
    def of(cls, value: str) -> AdviceKind | None:
        """The member for a rule's string, or None for a kind no handler knows."""
        try:
            return cls(value)
        except ValueError:
            return None
