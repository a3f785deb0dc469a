"""Shared helpers for the probe tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "probe"

HAS_TF = (
    importlib.util.find_spec("tensorflow") is not None and importlib.util.find_spec("gilknocker") is not None
)
needs_tf = pytest.mark.skipif(not HAS_TF, reason="TensorFlow (the probe extra) is not installed")


def fixture(name: str) -> str:
    return str(FIXTURES / name)


@pytest.fixture
def app() -> typer.Typer:
    from tfpar_doctor.probe.cli import probe

    application = typer.Typer()
    application.command()(probe)
    return application


@pytest.fixture
def invoke(app):
    runner = CliRunner()

    def run(*args: str):
        env = {"COLUMNS": "120", "TF_CPP_MIN_LOG_LEVEL": "2"}
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    return run


def group_alive(pgid: int) -> list[int]:
    """Pids still alive in a process group (the probe child and what it started)."""
    from tfpar_doctor.probe.runner import group_members

    return group_members(pgid)
