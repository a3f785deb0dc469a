"""The rule registry: one module per code, each exporting RULE."""

from __future__ import annotations

from tfpar_doctor.rules import (
    tfp001_trace_time_side_effect,
    tfp002_trace_time_randomness,
    tfp003_numpy_on_symbolic_tensor,
    tfp004_unrolled_python_loop,
    tfp005_cache_after_random_map,
    tfp101_python_in_map,
    tfp102_gil_bound_parallel_map,
    tfp103_thread_pool_capped_io_map,
    tfp104_python_generator_source,
    tfp105_sequential_stateful_map,
    tfp301_service_incompatible_pipeline,
    tfp401_missing_prefetch,
    tfp402_map_before_batch,
    tfp403_nondeterministic_ok,
    tfp900_unparsable_file,
    tfp901_unused_suppression,
)
from tfpar_doctor.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = tuple(
    module.RULE
    for module in (
        tfp001_trace_time_side_effect,
        tfp002_trace_time_randomness,
        tfp003_numpy_on_symbolic_tensor,
        tfp004_unrolled_python_loop,
        tfp005_cache_after_random_map,
        tfp101_python_in_map,
        tfp102_gil_bound_parallel_map,
        tfp103_thread_pool_capped_io_map,
        tfp104_python_generator_source,
        tfp105_sequential_stateful_map,
        tfp301_service_incompatible_pipeline,
        tfp401_missing_prefetch,
        tfp402_map_before_batch,
        tfp403_nondeterministic_ok,
        tfp900_unparsable_file,
        tfp901_unused_suppression,
    )
)
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
