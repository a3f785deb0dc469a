"""Python programs for the property tests, from hypothesmith's grammar strategy, built when first drawn.

`hypothesmith.from_grammar()` builds a LALR parser of the whole Python grammar (lark) each time it is
called: 0.7-0.9 s of CPU (2026-12-06, 2 cores). Called in `@given(...)` at the top of the test modules, it
ran at collection, four times, in every xdist worker (each worker collects every module), whether or not
the worker ran a property test. Deferred and shared, the parser is built once, by the first test of a
process that draws a program; the strategy, and so every drawn program, is the same.
"""

from __future__ import annotations

import hypothesmith
from hypothesis import strategies as st

# Any string the Python grammar derives (`from_grammar()`'s defaults: a module, auto-targeting on).
GRAMMAR_PROGRAMS: st.SearchStrategy[str] = st.deferred(hypothesmith.from_grammar)
