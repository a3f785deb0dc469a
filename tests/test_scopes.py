"""A file's findings depend only on that file and what it imports, resolved from its own location.

Repositories hold unrelated scripts with the same module name in sibling folders (`projA/data.py`,
`projB/data.py`): checking them together must not let one shadow the other. The property is checked over
every fixture tree: the findings of a whole-tree run are exactly the union of the runs of each file alone,
and of each project alone.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tfpar_doctor.analysis.scopes import DirectoryListings, ImportScope
from tfpar_doctor.check import CheckSettings, run_check

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

Key = tuple[str, int, int, str]

# Two unrelated scripts with the same module names (`data.py`, `helpers.py`): one pair maps py_functions under
# parallel calls, the other a plain function.
SHADOW = FIXTURES / "projects" / "realworld_shapes"

# The subject is which files a file's findings depend on, not extraction: each file's facts are extracted once
# per run (tests/facts_once.py), however many scopes check it.
pytestmark = pytest.mark.usefixtures("facts_once")


def _settings() -> CheckSettings:
    return CheckSettings(jobs=1, cache_dir=None)


def _keys(paths: list[Path]) -> set[Key]:
    result = run_check(paths, _settings())
    assert not result.internal_errors
    return {(f.location.path, f.location.line, f.location.column, f.code) for f in result.findings}


@pytest.fixture
def shadowing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SHADOW / "shadowA", tmp_path / "projA")
    shutil.copytree(SHADOW / "shadowB", tmp_path / "projB")
    return tmp_path


def test_same_name_scripts_in_sibling_folders_do_not_shadow_each_other(shadowing: Path) -> None:
    alone = _keys([Path("projA")])
    assert {(p, line, code) for p, line, _, code in alone} == {
        (os.path.join("projA", "data.py"), 14, "TFP101"),
        (os.path.join("projA", "data.py"), 14, "TFP102"),
        (os.path.join("projA", "data.py"), 15, "TFP101"),
        (os.path.join("projA", "data.py"), 15, "TFP102"),
    }
    assert _keys([Path("projA"), Path("projB")]) == alone
    assert _keys([Path("projB"), Path("projA")]) == alone
    assert _keys([Path(".")]) == alone
    assert _keys([Path("projA", "data.py")]) == alone


def test_an_import_found_in_two_places_resolves_to_nothing(tmp_path: Path) -> None:
    """A script inside a package sees `helpers` both next to it and at the import root: ambiguous."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "helpers.py").write_text("", encoding="utf-8")
    (tmp_path / "helpers.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "other.py").write_text("", encoding="utf-8")
    scope = ImportScope(tmp_path / "pkg" / "train.py", DirectoryListings(), cwd=tmp_path)
    assert scope.find("helpers") is None
    assert scope.find("pkg.other") == tmp_path / "pkg" / "other.py"
    assert scope.find("other") == tmp_path / "pkg" / "other.py"
    assert scope.find("missing") is None


def _trees() -> list[Path]:
    trees = sorted(p for p in (FIXTURES / "projects").iterdir() if p.is_dir())
    trees += sorted(p for p in (FIXTURES / "rules").iterdir() if p.is_dir())
    return trees


@pytest.fixture(scope="module")
def tree_alone() -> Callable[[Path], set[Key]]:
    """The findings of one fixture tree checked alone from its parent directory, paths as seen from
    fixtures/: computed once, by the per-tree test, and reused by the test of all trees together."""
    computed: dict[Path, set[Key]] = {}

    def alone(tree: Path) -> set[Key]:
        if tree not in computed:
            cwd = os.getcwd()
            os.chdir(tree.parent)
            try:
                keys = _keys([Path(tree.name)])
            finally:
                os.chdir(cwd)
            prefix = tree.parent.relative_to(FIXTURES)
            computed[tree] = {(os.path.join(prefix, path), line, column, code)
                              for path, line, column, code in keys}
        return computed[tree]

    return alone


@pytest.mark.parametrize("tree", _trees(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_tree_finds_exactly_what_its_files_find_alone(
    tree: Path, monkeypatch: pytest.MonkeyPatch, tree_alone: Callable[[Path], set[Key]]
) -> None:
    whole = tree_alone(tree)
    prefix = tree.parent.relative_to(FIXTURES)
    monkeypatch.chdir(tree.parent)
    files = sorted(p.relative_to(tree.parent) for p in tree.rglob("*.py"))
    each = {(os.path.join(prefix, path), line, column, code)
            for path, line, column, code in set().union(*(_keys([file]) for file in files))}
    assert each == whole


def test_all_fixture_trees_together_find_what_each_finds_alone(
    monkeypatch: pytest.MonkeyPatch, tree_alone: Callable[[Path], set[Key]]
) -> None:
    """Each tree alone is checked from its own parent directory (as the per-tree test checks it), all of
    them together from fixtures/: the findings must not depend on which trees are checked with it, nor on
    the directory the check starts in."""
    monkeypatch.chdir(FIXTURES)
    together = _keys([tree.relative_to(FIXTURES) for tree in _trees()])
    each = set().union(*(tree_alone(tree) for tree in _trees()))
    assert together == each
