"""The command line: thin typer commands that parse options and call the library.

Exit codes (ruff/flake8 conventions): 0 no findings, 1 findings, 2 usage, configuration or internal
error. Heavy modules (TensorFlow, psutil) are imported only by the commands that need them.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from tfpar_doctor import __version__

app = typer.Typer(
    name="tfpar-doctor",
    help="Why num_parallel_calls does not make your tf.data pipeline faster, and what to change.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class OutputFormat(str, enum.Enum):
    full = "full"
    concise = "concise"
    json = "json"
    json_lines = "json-lines"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tfpar-doctor {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = None,
) -> None:
    """tfpar-doctor: a linter, a probe and an advisor for tf.data input pipelines."""


def _fail(message: str) -> typer.Exit:
    typer.echo(f"tfpar-doctor: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


@app.command()
def check(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Files or directories (default: .).")] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--output-format", help="How to print findings.")
    ] = OutputFormat.full,
    output_file: Annotated[Optional[Path], typer.Option("-o", "--output-file", help="Write output here.")] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")] = False,
) -> None:
    """Statically check Python files for tf.data parallelism problems (never imports TensorFlow)."""
    from tfpar_doctor.check import CheckSettings, run_check
    from tfpar_doctor.render import json_output, terminal

    targets = paths or [Path(".")]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        raise _fail(f"no such file or directory: {', '.join(missing)}")
    result = run_check(targets, CheckSettings())
    findings = result.findings
    if output_format is OutputFormat.json:
        text = json_output.render_json(findings)
    elif output_format is OutputFormat.json_lines:
        text = json_output.render_json_lines(findings)
    elif output_format is OutputFormat.concise:
        text = terminal.concise(findings) + terminal.summary_line(len(findings), 0)
    else:
        cache: dict[str, list[str] | None] = {}

        def read_lines(path: str) -> list[str] | None:
            if path not in cache:
                try:
                    cache[path] = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
                except OSError:
                    cache[path] = None
            return cache[path]

        fixable = sum(1 for f in findings if f.fix is not None)
        text = terminal.full(findings, read_lines) + terminal.summary_line(len(findings), fixable)
    if output_file is not None:
        output_file.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    raise typer.Exit(EXIT_FINDINGS if findings and not exit_zero else EXIT_CLEAN)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("tfpar-doctor: interrupted", err=True)
        sys.exit(130)
