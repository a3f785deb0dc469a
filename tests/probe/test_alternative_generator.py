"""The process-pool alternative for from_generator: copies of the generator, serial vs a spawn pool."""

from __future__ import annotations

import numpy as np

from tfpar_doctor.probe import alternative

from .generators_for_pool import broken, busy_numbers


def test_copies_of_a_module_level_generator_are_timed_in_a_pool() -> None:
    result = alternative.measure_generator(busy_numbers, (), workers=2, seconds=0.2)
    assert result["error"] is None
    assert result["kind"] == "generator"
    assert result["items"] > 0
    assert result["speedup"] > 0  # its size depends on the machine's idle cores: not asserted
    assert result["serial_seconds_per_element"] > 0
    assert result["module_imports_tensorflow"] is False


def test_a_lambda_cannot_go_to_a_pool_and_says_why() -> None:
    result = alternative.measure_generator(lambda: iter(range(10)), (), workers=2, seconds=0.1)
    assert "module-level generator function" in result["error"]
    assert "speedup" not in result


def test_a_generator_that_fails_is_reported_not_raised() -> None:
    result = alternative.measure_generator(broken, (), workers=2, seconds=0.1)
    assert "ValueError: the shard list is empty" in result["error"]


def test_generator_args_are_given_as_the_generator_sees_them() -> None:
    class EagerLike:
        def numpy(self) -> np.ndarray:
            return np.array([1, 2])

    args = alternative.generator_args({"args": (EagerLike(), b"path", 3)})
    assert isinstance(args[0], np.ndarray) and args[1:] == (b"path", 3)
    assert alternative.generator_args({"args": None}) == ()


def test_a_module_level_function_is_timed_serially_and_in_a_pool() -> None:
    """The timing `flat-processes-scale` reads (the probe starts it only when that signature could decide)."""
    from .generators_for_pool import busy_function

    inputs = [(k,) for k in range(1, 400)]
    result = alternative.measure(busy_function, inputs, eager=False, workers=2, seconds=0.2)
    assert result["error"] is None, result
    assert result["workers"] == 2 and result["items"] > 0
    assert result["speedup"] > 0 and result["worker_startup_seconds"] > 0
