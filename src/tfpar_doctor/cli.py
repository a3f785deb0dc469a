"""The command line: thin typer commands that parse options and call the library.

Exit codes (ruff/flake8 conventions): 0 no findings, 1 findings, 2 usage, configuration or internal
error. Heavy modules (TensorFlow, psutil) are imported only by the commands that need them.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from tfpar_doctor import __version__
from tfpar_doctor.render import report_formats
from tfpar_doctor.render.check_formats import DEFAULT_FORMAT, FORMATS
from tfpar_doctor.render.rule_formats import DEFAULT_FORMAT as DEFAULT_RULE_FORMAT
from tfpar_doctor.render.rule_formats import RULE_FORMATS
from tfpar_doctor.settings import CACHE_DIR_ENV, CACHE_DIR_NAME

app = typer.Typer(
    name="tfpar-doctor",
    help="Why num_parallel_calls does not make your tf.data pipeline faster, and what to change.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

# `--output-format` offers the registry's names (typer needs an enum to offer choices).
OutputFormat = enum.Enum(  # type: ignore[misc]
    "OutputFormat", {name.replace("-", "_"): name for name in FORMATS}, type=str
)
# `rule --output-format` offers the names of its own registry the same way.
RuleOutputFormat = enum.Enum(  # type: ignore[misc]
    "RuleOutputFormat", {name.replace("-", "_"): name for name in RULE_FORMATS}, type=str
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tfpar-doctor {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = None,
) -> None:
    """tfpar-doctor: a linter, a probe and an advisor for tf.data input pipelines."""


def _fail(message: str) -> typer.Exit:
    typer.echo(f"tfpar-doctor: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


_SELECTOR_HELP = "Comma-separated codes or prefixes (TFP1) or ALL; repeatable."


class _CheckCommand(TyperCommand):
    """`--add-noqa` takes an optional value (`--add-noqa` or `--add-noqa=REASON`), which typer cannot
    declare: a bare `--add-noqa` is read as `--add-noqa=` (no reason) before parsing."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        end = args.index("--") if "--" in args else len(args)
        args = [("--add-noqa=" if arg == "--add-noqa" else arg) for arg in args[:end]] + args[end:]
        return super().parse_args(ctx, args)


# `check`'s options, one alias each so that the signature below reads as a list.
# Paths are str, not Path: typer validates each Path value through a new pydantic adapter, 0.15 s for the
# 1,800 files a pre-commit run over a large tree passes; a plain Path() per string costs nothing.
_Paths = Annotated[list[str] | None, typer.Argument(help="Files or directories (default: .; - for stdin).")]
_Format = Annotated[
    OutputFormat, typer.Option("--output-format", help="How to print findings: " + ", ".join(FORMATS) + ".")
]
_OutputFile = Annotated[Path | None, typer.Option("-o", "--output-file", help="Write output here.")]
_ExitZero = Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")]
_Select = Annotated[list[str] | None, typer.Option("--select", help="Rules to check. " + _SELECTOR_HELP)]
_ExtendSelect = Annotated[
    list[str] | None, typer.Option("--extend-select", help="Rules to add. " + _SELECTOR_HELP)
]
_Ignore = Annotated[list[str] | None, typer.Option("--ignore", help="Rules to skip. " + _SELECTOR_HELP)]
_PerFileIgnores = Annotated[
    list[str] | None,
    typer.Option("--per-file-ignores", help="PATTERN:CODES, e.g. 'tests/*:TFP1,TFP4'; repeatable."),
]
_Exclude = Annotated[
    list[str] | None, typer.Option("--exclude", help="Replace the default excludes (gitignore patterns).")
]
_ExtendExclude = Annotated[
    list[str] | None, typer.Option("--extend-exclude", help="More excludes (gitignore patterns).")
]
_ForceExclude = Annotated[
    bool, typer.Option("--force-exclude", help="Apply excludes to files passed explicitly too (pre-commit).")
]
_RespectGitignore = Annotated[
    bool, typer.Option("--respect-gitignore/--no-respect-gitignore", help="Skip files ignored by .gitignore.")
]
_Config = Annotated[
    Path | None, typer.Option("--config", help="A pyproject.toml or tfpar-doctor TOML file to use.")
]
_StdinFilename = Annotated[
    str | None, typer.Option("--stdin-filename", help="The path of the source read from stdin (with -).")
]
_Statistics = Annotated[bool, typer.Option("--statistics", help="Print the number of findings per rule.")]
_Fix = Annotated[bool, typer.Option("--fix", help="Apply the safe fixes.")]
_UnsafeFixes = Annotated[
    bool, typer.Option("--unsafe-fixes", help="With --fix or --diff: the unsafe fixes too.")
]
_Diff = Annotated[bool, typer.Option("--diff", help="Print the fixes as a diff; change nothing.")]
_AddNoqa = Annotated[
    str | None,
    typer.Option("--add-noqa", metavar="[=REASON]",
                 help="Write `# noqa: CODES` (and the reason) on reported lines."),
]
_Watch = Annotated[bool, typer.Option("--watch", help="Check again whenever a file changes (Ctrl-C ends).")]
_Jobs = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Worker processes for parsing (default: one per core)."),
]
_NoCache = Annotated[
    bool, typer.Option("--no-cache", help=f"Neither read nor write the facts cache ({CACHE_DIR_NAME}/).")
]
_CacheDir = Annotated[
    Path | None,
    typer.Option("--cache-dir", envvar=CACHE_DIR_ENV,
                 help=f"Where the facts cache lives (default: {CACHE_DIR_NAME}/ at the project root)."),
]


@app.command(cls=_CheckCommand)
def check(
    paths: _Paths = None,
    output_format: _Format = OutputFormat(DEFAULT_FORMAT),  # noqa: B008 - an enum member, built once
    output_file: _OutputFile = None,
    exit_zero: _ExitZero = False,
    select: _Select = None,
    extend_select: _ExtendSelect = None,
    ignore: _Ignore = None,
    per_file_ignores: _PerFileIgnores = None,
    exclude: _Exclude = None,
    extend_exclude: _ExtendExclude = None,
    force_exclude: _ForceExclude = False,
    respect_gitignore: _RespectGitignore = True,
    config: _Config = None,
    stdin_filename: _StdinFilename = None,
    statistics: _Statistics = False,
    fix: _Fix = False,
    unsafe_fixes: _UnsafeFixes = False,
    diff: _Diff = False,
    add_noqa: _AddNoqa = None,
    watch: _Watch = False,
    jobs: _Jobs = None,
    no_cache: _NoCache = False,
    cache_dir: _CacheDir = None,
) -> None:
    """Statically check Python files for tf.data parallelism problems (never imports TensorFlow)."""
    from tfpar_doctor.check_command import CheckRequest, UsageError, run
    from tfpar_doctor.config import ConfigError, cli_layer

    try:
        layer = cli_layer(select, extend_select, ignore, per_file_ignores, exclude, extend_exclude)
        request = CheckRequest(
            paths=list(paths or ()), layer=layer, output_format=output_format.value, output_file=output_file,
            exit_zero=exit_zero, config=config, stdin_filename=stdin_filename, statistics=statistics, fix=fix,
            unsafe_fixes=unsafe_fixes, diff=diff, add_noqa=add_noqa, watch=watch, force_exclude=force_exclude,
            respect_gitignore=respect_gitignore, jobs=jobs, no_cache=no_cache, cache_dir=cache_dir,
        )
        code = run(request)
    except (ConfigError, UsageError) as exc:
        raise _fail(str(exc)) from None
    raise typer.Exit(code)


@app.command()
def rule(
    codes: Annotated[list[str] | None, typer.Argument(help="Rule codes, e.g. TFP101.")] = None,
    all_rules: Annotated[bool, typer.Option("--all", help="Every rule.")] = False,
    output_format: Annotated[
        RuleOutputFormat,
        typer.Option("--output-format", help="How to print it: " + ", ".join(RULE_FORMATS) + "."),
    ] = RuleOutputFormat(DEFAULT_RULE_FORMAT),  # noqa: B008 - an enum member, built once
) -> None:
    """Print a rule's documentation: what it does, why, an example, what to use instead."""
    from tfpar_doctor.render.rule_formats import RuleDocs, render
    from tfpar_doctor.rules import ALL_RULES, RULES_BY_CODE

    if all_rules == bool(codes):
        raise _fail("give a rule code (e.g. `tfpar-doctor rule TFP101`) or --all")
    wanted = list(ALL_RULES) if all_rules else []
    for code in codes or ():
        found = RULES_BY_CODE.get(code.upper()) or next((r for r in ALL_RULES if r.name == code), None)
        if found is None:
            raise _fail(f"unknown rule `{code}` (see `tfpar-doctor rule --all`)")
        wanted.append(found)
    docs = RuleDocs(wanted, as_list=all_rules or len(wanted) > 1)
    typer.echo(render(output_format.value, docs), nl=False)


@app.command(help="Join findings and probe results per call site into advice: "
                  f"{report_formats.format_names()} (HTML with charts).")
def report(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or directories to check (default: .).")
    ] = None,
    probe_files: Annotated[
        list[Path] | None,
        typer.Option("--probe", help="Results of `tfpar-doctor probe -o results.json` (repeatable)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help=f"{report_formats.output_examples()} (default: stdout)."),
    ] = None,
    report_format: Annotated[
        str | None,
        typer.Option("--format", help=f"{report_formats.format_names()} (default: from the -o suffix, "
                                      f"else {report_formats.DEFAULT_FORMAT})."),
    ] = None,
    no_cache: _NoCache = False,
    cache_dir: _CacheDir = None,
) -> None:
    from tfpar_doctor.report import ReportError, format_for, make_report, render

    try:
        fmt = format_for(output, report_format)
        built = make_report(paths or [Path(".")], probe_files or [], no_cache=no_cache, cache_dir=cache_dir)
    except ReportError as exc:
        raise _fail(str(exc)) from None
    text = render(built, fmt)
    if output is None:
        sys.stdout.write(text)
        raise typer.Exit(EXIT_CLEAN)
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc.strerror or exc}") from None
    # the count the report itself shows: a rewrite measured no faster here is not advice
    typer.echo(f"wrote {output}: {len(built.sections)} call sites, "
               f"{sum(len(s.recommended) for s in built.sections)} pieces of advice", err=True)
    raise typer.Exit(EXIT_CLEAN)


def _register_probe() -> None:
    # The probe's option parsing lives with the probe; importing it loads typer and rich only.
    from tfpar_doctor.probe.cli import probe

    app.command("probe")(probe)


_register_probe()


@app.command()
def server() -> None:
    """Run the language server over stdio (diagnostics, hover docs and quick fixes in editors)."""
    try:
        from tfpar_doctor.server.app import serve
    except ImportError as exc:  # pygls is an extra: say how to get it
        raise _fail(f"the language server needs pygls ({exc}); install tfpar-doctor[server]") from None
    serve()


@app.command()
def clean(cache_dir: _CacheDir = None) -> None:
    """Remove the facts cache (.tfpar_doctor_cache/ at the project root, or --cache-dir)."""
    from tfpar_doctor.cache import clean as remove_cache
    from tfpar_doctor.config import ConfigError, project_root
    from tfpar_doctor.settings import cache_dir_for

    try:
        directory = cache_dir_for(project_root(Path.cwd()), cache_dir)
        removed = remove_cache(directory)
    except (ConfigError, ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"Removed {directory}/" if removed else f"No {directory}/ here; nothing to remove.")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("tfpar-doctor: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a clear message and exit 2
        import os
        import traceback

        if os.environ.get("TFPAR_DOCTOR_DEBUG"):
            traceback.print_exc()
        frames = traceback.extract_tb(exc.__traceback__)
        where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
        typer.echo(f"tfpar-doctor: internal error: {type(exc).__name__}: {exc}{where}", err=True)
        typer.echo("tfpar-doctor: this is a bug in tfpar-doctor; please report it "
                   "(set TFPAR_DOCTOR_DEBUG=1 to see the traceback)", err=True)
        sys.exit(EXIT_ERROR)
