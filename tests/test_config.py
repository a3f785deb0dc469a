"""[tool.tfpar-doctor] parsing, validation, and how selection layers config under the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfpar_doctor.config import ConfigError, Layer, cli_layer, find_pyproject, load_config, resolve_settings
from tfpar_doctor.rules import ALL_RULES
from tfpar_doctor.selection import select_rules

DEFAULT_CODES = {r.code for r in ALL_RULES if r.enabled_by_default}


def codes(layers: list[Layer]) -> set[str]:
    return {r.code for r in select_rules(layers)}


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_advice_rules_are_off_by_default() -> None:
    assert codes([]) == DEFAULT_CODES
    assert not any(c.startswith("TFP4") for c in DEFAULT_CODES)
    assert {"TFP401", "TFP402", "TFP403"} <= {r.code for r in ALL_RULES}


def test_prefix_and_all_selectors() -> None:
    assert codes([Layer(select=("TFP1",))]) == {c for c in DEFAULT_CODES if c.startswith("TFP1")}
    assert codes([Layer(select=("TFP4",))]) == {"TFP401", "TFP402", "TFP403"}
    assert codes([Layer(select=("ALL",))]) == {r.code for r in ALL_RULES}
    assert codes([Layer(extend_select=("TFP402",))]) == DEFAULT_CODES | {"TFP402"}
    assert codes([Layer(ignore=("TFP10",))]) == {c for c in DEFAULT_CODES if not c.startswith("TFP10")}


def test_command_line_wins_over_config() -> None:
    config = Layer(select=("TFP1",), ignore=("TFP101",))
    assert "TFP101" not in codes([config])
    # A CLI select replaces the config's set; a CLI extend-select re-enables what the config ignored.
    assert codes([config, Layer(select=("TFP001",))]) == {"TFP001"}
    assert "TFP101" in codes([config, Layer(extend_select=("TFP101",))])
    assert "TFP102" not in codes([config, Layer(ignore=("TFP102",))])


def test_full_table_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, """
[tool.tfpar-doctor]
select = ["TFP1", "TFP0"]
extend-select = ["TFP401"]
ignore = ["TFP104"]
exclude = ["build/"]
extend-exclude = ["gen/"]
loop-threshold = 64

[tool.tfpar-doctor.per-file-ignores]
"tests/*" = ["TFP1"]
""")
    config = load_config(path)
    layer = config.layer
    assert layer.select == ("TFP1", "TFP0") and layer.extend_select == ("TFP401",)
    assert layer.ignore == ("TFP104",)
    assert layer.per_file_ignores == (("tests/*", ("TFP1",)),)
    assert layer.exclude == ("build/",) and layer.extend_exclude == ("gen/",)
    assert layer.options == {"loop_threshold": 64}
    assert config.root == tmp_path.resolve()


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('select = ["TFP7"]', "select"),
        ('ignore = "TFP1xx"', "ignore"),
        ("extend-select = [1]", "extend-select"),
        ("loop-threshold = 0", "loop-threshold"),
        ('loop-threshold = "64"', "loop-threshold"),
        ("selct = []", "selct"),
        ('per-file-ignores = ["x"]', "per-file-ignores"),
        ('[tool.tfpar-doctor.per-file-ignores]\n"a.py" = ["NOPE1"]', "per-file-ignores"),
    ],
)
def test_bad_values_name_the_key_and_the_file(tmp_path: Path, body: str, key: str) -> None:
    path = write(tmp_path, f"[tool.tfpar-doctor]\n{body}\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(path) in str(error.value) and key in str(error.value)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[tool.tfpar-doctor]\nselect = [\n")
    with pytest.raises(ConfigError, match="invalid TOML") as error:
        find_pyproject(tmp_path)
    assert str(path) in str(error.value)


def test_nearest_pyproject_with_our_table(tmp_path: Path) -> None:
    write(tmp_path, '[tool.tfpar-doctor]\nselect = ["TFP1"]\n')
    inner = tmp_path / "pkg" / "sub"
    inner.mkdir(parents=True)
    # A pyproject.toml without our table (a sub-package's) does not hide the project's config.
    (tmp_path / "pkg" / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert find_pyproject(inner) == tmp_path / "pyproject.toml"


def test_resolve_settings_maps_rule_options(tmp_path: Path) -> None:
    write(tmp_path, "[tool.tfpar-doctor]\nloop-threshold = 100\nextend-select = ['TFP4']\n")
    settings = resolve_settings(Layer(), [tmp_path])
    assert settings.loop_threshold == 100
    assert {r.code for r in settings.rules} == DEFAULT_CODES | {"TFP401", "TFP402", "TFP403"}


def test_explicit_config_file_may_hold_keys_at_top_level(tmp_path: Path) -> None:
    path = tmp_path / "tfpar.toml"
    path.write_text('select = ["TFP3"]\n', encoding="utf-8")
    assert load_config(path, explicit=True).layer.select == ("TFP3",)


def test_cli_layer_splits_commas_and_validates() -> None:
    layer = cli_layer(["TFP1,TFP4", "TFP001"], None, None, ["tests/*:TFP1,TFP3"], None, None)
    assert layer.select == ("TFP1", "TFP4", "TFP001")
    assert layer.per_file_ignores == (("tests/*", ("TFP1", "TFP3")),)
    with pytest.raises(ConfigError, match="--ignore"):
        cli_layer(None, None, ["XYZ"], None, None, None)
    with pytest.raises(ConfigError, match="PATTERN:CODES"):
        cli_layer(None, None, None, ["tests"], None, None)


@pytest.mark.parametrize("content", [b"tool = 1\n", b"[tool]\nx = 2\n"])
def test_pyproject_without_our_table_is_skipped(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "pyproject.toml").write_bytes(content)
    assert find_pyproject(tmp_path) is None


def test_undecodable_config_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_bytes(b'[tool.tfpar-doctor]\nselect = ["\xff"]\n')
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(path)
