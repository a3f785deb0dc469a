"""Module-level generators for the process-pool tests (spawn workers import this module by name)."""

from __future__ import annotations


def busy_numbers(limit: int = 10**9):
    for k in range(limit):
        total = 0
        for i in range(2_000):
            total = (total + i * k) % 65_521
        yield total


def broken():
    yield 1
    raise ValueError("the shard list is empty")


def busy_function(k: int) -> int:
    """Pure Python per element, like a py_function body (the pool test's function)."""
    total = 0
    for i in range(20_000):
        total = (total + i * k) % 65_521
    return total
