"""`self.generator` in a base class's method, where `generator` is abstract: the subclasses' overrides run
there, but only those of subclasses that run that method's body (ProjectIndex._runs_method). A subclass
whose own `create` replaces the base's `create` never feeds its generator to the base's `from_generator`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfpar_doctor.check import CheckSettings, run_check

BASE = '''import abc

import tensorflow as tf


class Base(abc.ABC):
    @abc.abstractmethod
    def generator(self, paths):
        pass

    def create(self):
        return tf.data.Dataset.from_generator(self.generator, output_types=tf.float32, args=(self.paths,))
'''
BASE_LINE = 12  # the base's from_generator

LOADING = '''
    def generator(self, paths):
        for path in paths:
            yield np.load(path)
'''
YIELDING = '''
    def generator(self, paths):
        for path in paths:
            yield path
'''
OWN_CREATE = '''
    def create(self):
        return tf.data.Dataset.from_generator(self.generator, output_types=tf.float32, args=(self.paths,))
'''
SUPER_CREATE = '''
    def create(self):
        return super().create().batch(8)
'''
EXPLICIT_CREATE = '''
    def create(self):
        return Base.create(self).batch(8)
'''


# The abstract `generator` is declared in `Base`; `create` is in `Builder`, one of its subclasses.
SPLIT_BASE = BASE.replace("    def create(self):", "\nclass Builder(Base):\n    def create(self):")
SPLIT_BASE_LINE = BASE_LINE + 2


def _subclass(name: str, *members: str, base: str = "Base") -> str:
    return (
        f"import numpy as np\nimport tensorflow as tf\n\nfrom base import {base}\n\n\n"
        f"class {name}({base}):\n    paths = []\n" + "".join(members)
    )


def _tfp104(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, base: str = BASE, **modules: str
) -> dict[tuple[str, int], str]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "base.py").write_text(base, encoding="utf-8")
    for name, source in modules.items():
        (tmp_path / f"{name}.py").write_text(source, encoding="utf-8")
    result = run_check([Path(".")], CheckSettings())
    return {(f.location.path, f.location.line): f.message for f in result.findings if f.code == "TFP104"}


def test_subclass_with_its_own_create_does_not_reach_the_base_create(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _tfp104(tmp_path, monkeypatch, audio=_subclass("Audio", LOADING, OWN_CREATE))
    assert ("base.py", BASE_LINE) not in found
    assert ("audio.py", 15) in found  # its own from_generator runs its loading generator


def test_subclass_that_inherits_create_is_reported_in_the_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _tfp104(tmp_path, monkeypatch, audio=_subclass("Audio", LOADING))
    assert ("base.py", BASE_LINE) in found


@pytest.mark.parametrize("create", [SUPER_CREATE, EXPLICIT_CREATE], ids=["super", "explicit"])
def test_override_that_hands_over_to_the_base_create_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, create: str
) -> None:
    found = _tfp104(tmp_path, monkeypatch, audio=_subclass("Audio", LOADING, create))
    assert ("base.py", BASE_LINE) in found


def test_only_the_subclasses_that_run_the_base_create_bring_their_generator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One subclass replaces `create` and loads files; the other inherits `create` and yields paths: the
    base's `from_generator` runs only the second generator, which does no per-element work."""
    found = _tfp104(
        tmp_path,
        monkeypatch,
        audio=_subclass("Audio", LOADING, OWN_CREATE),
        paths=_subclass("Paths", YIELDING),
    )
    assert ("base.py", BASE_LINE) not in found
    found = _tfp104(
        tmp_path,
        monkeypatch,
        audio=_subclass("Audio", YIELDING, OWN_CREATE),
        paths=_subclass("Paths", LOADING),
    )
    assert "Paths.generator" in found[("base.py", BASE_LINE)]


def test_a_sibling_that_shares_only_the_abstract_base_does_not_reach_the_builder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`self` in `Builder.create` is a `Builder`: a class that derives from `Base` but not from `Builder`
    never runs there, whatever its generator does."""
    found = _tfp104(tmp_path, monkeypatch, SPLIT_BASE, audio=_subclass("Audio", LOADING))
    assert ("base.py", SPLIT_BASE_LINE) not in found


def test_a_subclass_in_a_file_that_names_only_the_intermediate_class_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """audio.py holds no dataset call (so it is loaded only when looked for) and names `Builder`, not
    `Base` where the abstract method is declared: it is found through the subclass it names."""
    found = _tfp104(tmp_path, monkeypatch, SPLIT_BASE, audio=_subclass("Audio", LOADING, base="Builder"))
    assert "Audio.generator" in found[("base.py", SPLIT_BASE_LINE)]
