"""Each file's facts extracted once per test run, for the tests whose subject is what `check` does with the
facts (import scopes, the prefilter, the rule fixtures, reports), not the extraction itself.

Those tests run `check` over the same fixture trees again and again, and nearly all of that time is libcst
extracting the same bytes again: the rules tree takes ~13 s of CPU to extract and ~0.4 s to analyse. With
the `facts_once` fixture (conftest.py) a test sees `tfpar_doctor.analysis.extract.extract` behind a memo:
the first extraction of a file's bytes under its module names in the run is real and returned as it is;
every later one gets a copy of its result, unpickled as the facts cache serves them, under the path this
caller names the file by. The memo is keyed as the facts cache is (bytes and module names: the path is a
label, written into the facts, not an input) and relabels a copy with the cache's own `relabel`, so a
fixture file checked from several working directories is still extracted once. Copies, because the
pipeline writes to the facts it loads (suppressions, a site's resolved name, which depends on the scope it
was resolved in): each run gets facts of its own, as it does from a parse or the cache. Under
pytest-xdist the pickles are shared through the run's directory, so each file is extracted once for all
the workers (and for the check's pool processes, forked from a test with the memo in place).

Tests whose subject is extraction or what happens to facts on their way (the output's determinism, the
process pool, the cache, and the baseline those compare with) do not ask for the fixture; the baseline
only records what it extracts (`ExtractOnce.recording`), as real extractions, for the others to reuse.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the extractor imports libcst: not in the xdist controller, which runs no test
    from tfpar_doctor.analysis.facts import ModuleFacts

Extract = Callable[[bytes, str, str, str], "ModuleFacts"]


def _key(source: bytes, module: str, package: str) -> str:
    from tfpar_doctor.cache import FactsCache
    from tfpar_doctor.sources import content_key

    return FactsCache.key(content_key(source), module, package)


class ExtractOnce:
    """`extract` with a memo of its results: pickles, in this process and in `directory`."""

    def __init__(self, extract: Extract, directory: Path) -> None:
        self.extract = extract
        self._directory = directory / "facts-once"
        self._pickles: dict[str, bytes] = {}
        self._reuse = True
        self.extracted = 0  # real extractions, in this process

    def __call__(self, source: bytes, path: str, module: str, package: str) -> ModuleFacts:
        from tfpar_doctor.cache import relabel

        key = _key(source, module, package)
        if self._reuse:
            known = self._pickles.get(key) or self._read(key)
            if known is not None:
                self._pickles[key] = known
                copy = relabel(pickle.loads(known), path)
                if copy is not None:  # None: too deeply nested to relabel, as the cache would parse again
                    return copy
        facts = self.extract(source, path, module, package)
        self.extracted += 1
        try:
            data = pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, RecursionError):  # facts too deeply nested to pickle: never reused
            return facts
        self._pickles[key] = data
        self._write(key, data)
        return facts

    def _read(self, key: str) -> bytes | None:
        try:
            return (self._directory / key).read_bytes()
        except FileNotFoundError:
            return None

    def _write(self, key: str, data: bytes) -> None:
        self._directory.mkdir(exist_ok=True)
        # written whole, then renamed: another worker never reads half a pickle
        partial = self._directory / f"{key}.{os.getpid()}.partial"
        partial.write_bytes(data)
        partial.replace(self._directory / key)

    @contextlib.contextmanager
    def recording(self) -> Iterator[None]:
        """Inside the block `check` extracts through this memo, and every extraction is real (nothing is
        reused) and kept for later tests."""
        from tfpar_doctor.analysis import extract as extract_module

        before = extract_module.extract
        extract_module.extract = self
        self._reuse = False
        try:
            yield
        finally:
            self._reuse = True
            extract_module.extract = before
