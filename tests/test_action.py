"""The GitHub Action (`action.yml`): a valid composite action whose steps install tfpar-doctor, run `check`
with GitHub annotations and optionally upload SARIF, with inputs passed through the environment."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from typer.testing import CliRunner

from tfpar_doctor.cli import app

ROOT = Path(__file__).resolve().parent.parent
# What GitHub accepts at the top level of an action and in a composite step.
ACTION_KEYS = {"name", "author", "description", "inputs", "outputs", "runs", "branding"}
STEP_KEYS = {"name", "id", "if", "uses", "with", "run", "shell", "env", "working-directory",
             "continue-on-error"}


def _action() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_action_is_a_valid_composite_action() -> None:
    action = _action()
    assert set(action) <= ACTION_KEYS and action["name"] and action["description"]
    assert action["runs"]["using"] == "composite"
    for name, spec in action["inputs"].items():
        assert re.fullmatch(r"[a-z][a-z0-9-]*", name) and spec["description"]
        assert "default" in spec or spec.get("required") is True
    for step in action["runs"]["steps"]:
        assert set(step) <= STEP_KEYS, step
        assert ("uses" in step) != ("run" in step), step  # exactly one of them
        if "run" in step:
            assert step["shell"] == "bash"  # composite run steps must name their shell
            # Inputs reach scripts through env, never spliced into the script (injection).
            assert "${{" not in step["run"], step["run"]
        for expression in re.findall(r"\$\{\{(.*?)\}\}", yaml.safe_dump(step)):
            for ref in re.findall(r"inputs\.([a-z0-9-]+)", expression):
                assert ref in action["inputs"], ref


def test_action_runs_check_with_github_annotations_and_optional_sarif() -> None:
    steps = _action()["runs"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    assert any("pip install" in run for run in runs)
    lines = [line for run in runs for line in run.splitlines()]
    commands = [shlex.split(line) for line in lines if line.startswith("tfpar-doctor ")]
    formats = [cmd[cmd.index("--output-format") + 1] for cmd in commands]
    assert formats == ["sarif", "github"]
    uploads = "github/codeql-action/upload-sarif"
    upload = next(step for step in steps if step.get("uses", "").startswith(uploads))
    assert upload["if"] == "${{ inputs.sarif == 'true' }}"
    # Every option the action passes exists in `check`.
    help_text = CliRunner().invoke(app, ["check", "--help"]).stdout
    for cmd in commands:
        for option in (arg for arg in cmd if arg.startswith("--")):
            assert option in help_text, option


def test_readme_shows_a_workflow_using_the_action() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(name: tfpar-doctor.*?)```", readme, re.DOTALL)
    assert block, "the README's workflow example is missing"
    workflow = yaml.safe_load(block.group(1))
    steps = workflow["jobs"]["tfpar-doctor"]["steps"]
    assert any("tfpar-doctor@" in step.get("uses", "") for step in steps)
