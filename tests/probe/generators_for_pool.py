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
