from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest

from tests.facts_once import ExtractOnce
from tests.workers import Turns, computed_once, run_directory
from tfpar_doctor.check import CheckSettings, run_check
from tfpar_doctor.rules import ALL_RULES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# The fixture trees the check-path tests run `check .` in: every per-rule fixture, then each project.
TREES = [FIXTURES / "rules", *sorted(p for p in (FIXTURES / "projects").iterdir() if p.is_dir())]
EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")
# The default run draws a quarter of each property test's examples, enough to catch a crash on the
# common shapes in a few seconds; TFPAR_LONG_PROPERTIES=1 draws all of them (the long run, before a release).
LONG_PROPERTIES = os.environ.get("TFPAR_LONG_PROPERTIES") == "1"


def examples(full: int) -> int:
    """How many examples a property test draws: `full` in the long run, a quarter (at least 5) by default."""
    return full if LONG_PROPERTIES else max(5, full // 4)


def expected_findings(path: Path) -> set[tuple[str, int]]:
    """(code, line) pairs from `# expect: TFP101, TFP102` comments."""
    found: set[tuple[str, int]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        match = EXPECT.search(line)
        if match:
            for code in match.group(1).replace(" ", "").split(","):
                if code:
                    found.add((code, number))
    return found


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


# A finding as the check-path tests compare them: code, path, line, column, message.
Row = tuple[str, str, int, int, str]


def findings_in(base: Path, settings: CheckSettings) -> list[Row]:
    """The findings of `check .` run in `base` with `settings`, in their reported order."""
    cwd = os.getcwd()
    os.chdir(base)
    try:
        result = run_check([Path(".")], settings)
    finally:
        os.chdir(cwd)
    return [(f.code, f.location.path, f.location.line, f.location.column, f.message) for f in result.findings]


@pytest.fixture(scope="session")
def extract_once(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> ExtractOnce:
    """The run's memo of extracted facts (tests/facts_once.py), kept on disk for the xdist workers and the
    check's own pool processes (forked from a test, they extract through the memo too)."""
    from tfpar_doctor.analysis import extract as extract_module

    directory = run_directory(pytestconfig) or tmp_path_factory.mktemp("facts-once")
    # made before any function-scoped fixture of the test that first asks for it: the extractor unpatched
    return ExtractOnce(extract_module.extract, directory)


@pytest.fixture
def facts_once(extract_once: ExtractOnce, monkeypatch: pytest.MonkeyPatch) -> ExtractOnce:
    """`check` in this test extracts each file's facts once per run (tests/facts_once.py says which tests
    may ask for it: not those of extraction, the cache or the process pool)."""
    from tfpar_doctor.analysis import extract as extract_module

    monkeypatch.setattr(extract_module, "extract", extract_once)
    return extract_once


@pytest.fixture(scope="session")
def baseline_findings(pytestconfig: pytest.Config, extract_once: ExtractOnce) -> Callable[[Path], list[Row]]:
    """The reference run of a fixture tree: every rule, one job, the prefilter on, no cache.

    test_jobs (other job counts), test_cache (cold and warm cache) and test_prefilter (prefilter off) each
    compare their variant with exactly this run; it is computed once per tree for the whole test run
    instead of once in each of them (the rules tree alone takes seconds), and once for all the xdist
    workers, which run those files side by side. Its extractions are real (it is what the cache and the
    pool are compared with) and are kept for the tests that extract through `facts_once`."""
    computed: dict[Path, list[Row]] = {}
    shared = run_directory(pytestconfig)

    def reference(tree: Path) -> list[Row]:
        with extract_once.recording():
            return findings_in(tree, CheckSettings(rules=ALL_RULES, jobs=1))

    def baseline(tree: Path) -> list[Row]:
        if tree not in computed:
            name = "baseline-" + tree.relative_to(FIXTURES).as_posix().replace("/", "-")
            rows = computed_once(shared, name, lambda: reference(tree))
            computed[tree] = [(code, path, line, column, message)
                              for code, path, line, column, message in rows]
        return computed[tree]

    return baseline


_TURNS = pytest.StashKey[Turns]()


def pytest_configure(config: pytest.Config) -> None:
    shared = run_directory(config)
    if shared is not None:
        config.stash[_TURNS] = Turns(shared)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadfile` handing out the slowest test files first (tests/scheduling.py)."""
    if config.getoption("dist") != "loadfile":
        return None
    from tests.scheduling import SlowestFilesFirst

    return SlowestFilesFirst(config, log)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item,
                            nextitem: pytest.Item | None) -> Generator[None, object, object]:
    """Under xdist, a test marked `alone` runs (setup, call and teardown) with no test of another worker
    beside it; the other tests run side by side. In one process the tests run one at a time anyway."""
    turns = item.config.stash.get(_TURNS, None)
    if turns is None:
        return (yield)
    with turns.turn(alone=item.get_closest_marker("alone") is not None):
        return (yield)
