"""`tfpar-doctor rule --output-format`: one registry of formats (render/rule_formats.py) that the command
line offers and looks up, as `check` and `report` do with theirs."""

from __future__ import annotations

import json

import pytest
import typer.core
import typer.main
from typer.testing import CliRunner

from tfpar_doctor import rule_docs
from tfpar_doctor.cli import app
from tfpar_doctor.render.rule_formats import DEFAULT_FORMAT, RULE_FORMATS, RuleDocs, render
from tfpar_doctor.rules import ALL_RULES, RULES_BY_CODE

# What each format printed before the registry existed (the command's own if-chain), kept as the contract.
_EXPECTED = {
    "text": lambda rules: "\n".join(rule_docs.text(r) for r in rules),
    "markdown": lambda rules: "\n".join(rule_docs.markdown(r) for r in rules),
}


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["rule", *args], env={"COLUMNS": "400"})
    return result.exit_code, result.output


def _option(command_name: str) -> typer.core.TyperOption:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    command = group.commands[command_name]
    return next(p for p in command.params
                if isinstance(p, typer.core.TyperOption) and "--output-format" in p.opts)


def test_the_command_offers_exactly_the_registry() -> None:
    """Its help and its default come from the registry, it accepts every name in it and, in its usage
    error, lists exactly those."""
    option = _option("rule")
    assert list(RULE_FORMATS) == ["text", "markdown", "json"]
    assert getattr(option.default, "value", option.default) == DEFAULT_FORMAT
    for name in RULE_FORMATS:
        assert name in (option.help or "")
        assert _invoke("TFP101", "--output-format", name)[0] == 0
    code, output = _invoke("TFP101", "--output-format", "xml")
    assert code == 2 and "is not one of " + ", ".join(f"'{n}'" for n in RULE_FORMATS) + "." in output


@pytest.mark.parametrize("name", ["text", "markdown"])
@pytest.mark.parametrize("codes", [["TFP101"], ["TFP102", "TFP005"], ["--all"]])
def test_text_formats_print_each_rule_once_in_order(name: str, codes: list[str]) -> None:
    rules = list(ALL_RULES) if codes == ["--all"] else [RULES_BY_CODE[c] for c in codes]
    code, output = _invoke(*codes, "--output-format", name)
    assert code == 0
    assert output == _EXPECTED[name](rules)
    assert output == render(name, RuleDocs(rules, as_list=len(rules) > 1))


def test_text_is_the_default() -> None:
    assert _invoke("TFP104") == _invoke("TFP104", "--output-format", "text")
    assert _invoke("TFP104")[1].startswith("TFP104 python-generator-source\n")


def test_json_is_an_object_for_one_code_and_an_array_otherwise() -> None:
    code, single = _invoke("python-in-map", "--output-format", "json")
    assert code == 0 and single.endswith("}\n") and not single.endswith("\n\n")
    assert json.loads(single) == rule_docs.as_dict(RULES_BY_CODE["TFP101"])
    assert single == json.dumps(rule_docs.as_dict(RULES_BY_CODE["TFP101"]), indent=2) + "\n"
    _, pair = _invoke("TFP101", "TFP103", "--output-format", "json")
    assert [d["code"] for d in json.loads(pair)] == ["TFP101", "TFP103"]
    _, everything = _invoke("--all", "--output-format", "json")
    assert [d["code"] for d in json.loads(everything)] == [r.code for r in ALL_RULES]
    # --all is a list even when it would hold one rule: what a tool reading it relies on
    assert json.loads(render("json", RuleDocs(ALL_RULES[:1], as_list=True)))[0]["code"] == ALL_RULES[0].code


def test_an_unknown_format_is_a_usage_error_like_check() -> None:
    """Both commands reject a name outside their registry the same way: exit 2, the option and the
    choices named, no traceback."""
    runner = CliRunner()
    rule_result = runner.invoke(app, ["rule", "TFP101", "--output-format", "nope"], env={"COLUMNS": "400"})
    check_result = runner.invoke(app, ["check", ".", "--output-format", "nope"], env={"COLUMNS": "400"})
    assert rule_result.exit_code == check_result.exit_code == 2
    assert rule_result.exception is None or isinstance(rule_result.exception, SystemExit)
    for name in RULE_FORMATS:
        assert f"'{name}'" in rule_result.output
    for result in (rule_result, check_result):
        assert "Invalid value for '--output-format'" in result.output and "'nope'" in result.output
        assert "Traceback" not in result.output
