"""The command line: thin typer commands that parse options and call the library.

Exit codes (ruff/flake8 conventions): 0 no findings, 1 findings, 2 usage, configuration or internal
error. Heavy modules (TensorFlow, psutil) are imported only by the commands that need them.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

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
CACHE_DIR_NAME = ".tfpar_doctor_cache"  # the same name as tfpar_doctor.cache's, without importing it


class OutputFormat(str, enum.Enum):
    full = "full"
    concise = "concise"
    json = "json"
    json_lines = "json-lines"
    github = "github"
    sarif = "sarif"
    junit = "junit"


class RuleFormat(str, enum.Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


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


@app.command()
def check(
    # str, not Path: typer validates each Path value through a new pydantic adapter, 0.15 s for the 1,800
    # files a pre-commit run over a large tree passes; a plain Path() per string costs nothing.
    paths: Annotated[list[str] | None, typer.Argument(help="Files or directories (default: .; - for stdin).")] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--output-format", help="How to print findings.")
    ] = OutputFormat.full,
    output_file: Annotated[Path | None, typer.Option("-o", "--output-file", help="Write output here.")] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")] = False,
    select: Annotated[list[str] | None, typer.Option("--select", help="Rules to check. " + _SELECTOR_HELP)] = None,
    extend_select: Annotated[
        list[str] | None, typer.Option("--extend-select", help="Rules to add. " + _SELECTOR_HELP)
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Rules to skip. " + _SELECTOR_HELP)] = None,
    per_file_ignores: Annotated[
        list[str] | None,
        typer.Option("--per-file-ignores", help="PATTERN:CODES, e.g. 'tests/*:TFP1,TFP4'; repeatable."),
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Replace the default excludes (gitignore patterns).")
    ] = None,
    extend_exclude: Annotated[
        list[str] | None, typer.Option("--extend-exclude", help="More excludes (gitignore patterns).")
    ] = None,
    force_exclude: Annotated[
        bool, typer.Option("--force-exclude", help="Apply excludes to files passed explicitly too (pre-commit).")
    ] = False,
    respect_gitignore: Annotated[
        bool, typer.Option("--respect-gitignore/--no-respect-gitignore", help="Skip files ignored by .gitignore.")
    ] = True,
    config: Annotated[
        Path | None, typer.Option("--config", help="A pyproject.toml or tfpar-doctor TOML file to use.")
    ] = None,
    stdin_filename: Annotated[
        str | None, typer.Option("--stdin-filename", help="The path of the source read from stdin (with -).")
    ] = None,
    statistics: Annotated[bool, typer.Option("--statistics", help="Print the number of findings per rule.")] = False,
    fix: Annotated[bool, typer.Option("--fix", help="Apply the fixes that are certainly safe.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print the safe fixes as a diff; change nothing.")] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes for parsing (default: one per core).")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help=f"Neither read nor write the facts cache ({CACHE_DIR_NAME}/).")
    ] = False,
) -> None:
    """Statically check Python files for tf.data parallelism problems (never imports TensorFlow)."""
    from tfpar_doctor.check import check_files, run_check
    from tfpar_doctor.config import ConfigError, cli_layer, resolve_settings

    # As in ruff, --stdin-filename alone (no paths) means: read the source from stdin.
    targets = [Path(p) for p in paths] if paths else [Path("-" if stdin_filename else ".")]
    from_stdin = any(str(p) == "-" for p in targets)
    if from_stdin and len(targets) > 1:
        raise _fail("`-` (stdin) cannot be combined with other paths")
    if from_stdin and fix:
        raise _fail("--fix cannot rewrite stdin; use --diff")
    missing = [str(p) for p in targets if str(p) != "-" and not p.exists()]
    if missing:
        raise _fail(f"no such file or directory: {', '.join(missing)}")
    if config is not None and not config.is_file():
        raise _fail(f"--config: no such file: {config}")
    stdin_path = Path(stdin_filename or "stdin.py")
    try:
        layer = cli_layer(select, extend_select, ignore, per_file_ignores, exclude, extend_exclude)
        settings = resolve_settings(layer, [stdin_path.parent if from_stdin else p for p in targets], config,
                                    force_exclude=force_exclude, respect_gitignore=respect_gitignore)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    settings.jobs = jobs
    settings.cache_dir = None if no_cache else Path(CACHE_DIR_NAME)
    if from_stdin:
        source = sys.stdin.buffer.read()
        if stdin_filename and force_exclude and settings.excludes and settings.excludes.excluded(stdin_path, False):
            result_findings, files, internal_errors = [], [], []
        else:
            settings.sources[stdin_path] = source
            result = check_files([stdin_path], settings)
            result_findings, files, internal_errors = result.findings, result.files, result.internal_errors
    else:
        result = run_check(targets, settings)
        result_findings, files, internal_errors = result.findings, result.files, result.internal_errors
        if not files:
            typer.echo(f"tfpar-doctor: warning: no Python files found in {', '.join(map(str, targets))}", err=True)
    findings = result_findings
    stdin_text = {files[0]: source.decode("utf-8", errors="replace")} if from_stdin and files else {}
    if fix or diff:
        from tfpar_doctor.fix import plan_fixes, write_atomically

        plans = plan_fixes(findings, stdin_text)
        fixed = {id(f) for plan in plans for f in plan.applied}
        for plan in plans:
            for skipped, why in plan.skipped:
                where = skipped.location
                typer.echo(f"tfpar-doctor: warning: not fixing {skipped.code} at {where.path}:{where.line}: {why}",
                           err=True)
        if diff:
            sys.stdout.write("".join(plan.diff() for plan in plans if plan.changed))
            count = len(fixed)
            typer.echo(f"Would fix {count} finding{'s' if count != 1 else ''}.", err=True)
            raise typer.Exit(EXIT_FINDINGS if count and not exit_zero else EXIT_CLEAN)
        for plan in plans:
            if plan.changed:
                try:
                    write_atomically(plan.path, plan.fixed)
                except OSError as exc:
                    raise _fail(f"cannot write {plan.path}: {exc.strerror or exc}") from None
        findings = [f for f in findings if id(f) not in fixed]
        if fixed:
            typer.echo(f"Fixed {len(fixed)} finding{'s' if len(fixed) != 1 else ''}.", err=True)
    text = _render(findings, files, output_format, statistics, stdin_text)
    if output_file is not None:
        try:
            output_file.write_text(text, encoding="utf-8", errors="surrogateescape")
        except OSError as exc:
            raise _fail(f"cannot write {output_file}: {exc.strerror or exc}") from None
    else:
        _write_stdout(text)
    if internal_errors:
        # The findings above are still valid; the exit code says the run was incomplete.
        for message in internal_errors:
            typer.echo(f"tfpar-doctor: internal error: {message}", err=True)
        typer.echo("tfpar-doctor: error: the check above is incomplete because of a bug in tfpar-doctor; "
                   "please report it with the file named", err=True)
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FINDINGS if findings and not exit_zero else EXIT_CLEAN)


def _write_stdout(text: str) -> None:
    """Print the report. A file name with bytes undecodable in the locale arrives as surrogate escapes
    (PEP 383); a strict UTF-8 stdout would refuse them, so they go out as the bytes they were (as `ls`)."""
    try:
        sys.stdout.write(text)
        return
    except UnicodeEncodeError:
        pass
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        data = text.encode(encoding, errors="surrogateescape")
    except UnicodeEncodeError:  # characters the locale's encoding lacks (an ASCII terminal)
        data = text.encode(encoding, errors="replace")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _python_lines(text: str) -> list[str]:
    """Lines as Python (and so every finding's line number) counts them: ended by \\n, \\r\\n or \\r only.

    str.splitlines also splits at form feeds, \\v, \\x1c-\\x1e, \\x85 and \\u2028, which would shift
    every snippet after one of them.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _render(findings: list, files: list[str], output_format: OutputFormat, statistics: bool,  # type: ignore[type-arg]
            sources: dict[str, str]) -> str:
    from tfpar_doctor.render import github, json_output, junit, sarif, terminal

    if statistics:
        return terminal.statistics(findings, as_json=output_format in (OutputFormat.json, OutputFormat.json_lines))
    if output_format is OutputFormat.json:
        return json_output.render_json(findings)
    if output_format is OutputFormat.json_lines:
        return json_output.render_json_lines(findings)
    if output_format is OutputFormat.github:
        return github.render_github(findings)
    if output_format is OutputFormat.sarif:
        return sarif.render_sarif(findings)
    if output_format is OutputFormat.junit:
        return junit.render_junit(findings, files)
    if output_format is OutputFormat.concise:
        return terminal.concise(findings) + terminal.summary_line(len(findings), 0)
    cache: dict[str, list[str] | None] = {path: _python_lines(text) for path, text in sources.items()}

    def read_lines(path: str) -> list[str] | None:
        if path not in cache:
            try:
                cache[path] = _python_lines(Path(path).read_text(encoding="utf-8", errors="replace"))
            except OSError:
                cache[path] = None
        return cache[path]

    fixable = sum(1 for f in findings if f.fix is not None)
    return terminal.full(findings, read_lines) + terminal.summary_line(len(findings), fixable)


@app.command()
def rule(
    codes: Annotated[list[str] | None, typer.Argument(help="Rule codes, e.g. TFP101.")] = None,
    all_rules: Annotated[bool, typer.Option("--all", help="Every rule.")] = False,
    output_format: Annotated[RuleFormat, typer.Option("--output-format", help="text, markdown or json.")] = (
        RuleFormat.text),
) -> None:
    """Print a rule's documentation: what it does, why, an example, what to use instead."""
    import json

    from tfpar_doctor import rule_docs
    from tfpar_doctor.rules import ALL_RULES, RULES_BY_CODE

    if all_rules == bool(codes):
        raise _fail("give a rule code (e.g. `tfpar-doctor rule TFP101`) or --all")
    wanted = list(ALL_RULES) if all_rules else []
    for code in codes or ():
        found = RULES_BY_CODE.get(code.upper()) or next((r for r in ALL_RULES if r.name == code), None)
        if found is None:
            raise _fail(f"unknown rule `{code}` (see `tfpar-doctor rule --all`)")
        wanted.append(found)
    if output_format is RuleFormat.json:
        data = [rule_docs.as_dict(r) for r in wanted]
        typer.echo(json.dumps(data if all_rules or len(data) > 1 else data[0], indent=2))
    elif output_format is RuleFormat.markdown:
        typer.echo("\n".join(rule_docs.markdown(r) for r in wanted), nl=False)
    else:
        typer.echo("\n".join(rule_docs.text(r) for r in wanted), nl=False)


@app.command()
def report(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or directories to check (default: .).")] = None,
    probe_files: Annotated[
        list[Path] | None,
        typer.Option("--probe", help="Results of `tfpar-doctor probe -o results.json` (repeatable)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="report.html, report.md or report.json (default: stdout).")
    ] = None,
    report_format: Annotated[
        str | None, typer.Option("--format", help="html, markdown or json (default: from the -o suffix).")
    ] = None,
) -> None:
    """Join findings and probe results per call site into advice: HTML with charts, Markdown or JSON."""
    from tfpar_doctor.report import ReportError, format_for, make_report, render

    try:
        fmt = format_for(output, report_format)
        built = make_report(paths or [Path(".")], probe_files or [])
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
    typer.echo(f"wrote {output}: {len(built.sections)} call sites, "
               f"{sum(len(s.advice) for s in built.sections)} pieces of advice", err=True)
    raise typer.Exit(EXIT_CLEAN)


def _register_probe() -> None:
    # The probe's option parsing lives with the probe; importing it loads typer and rich only.
    from tfpar_doctor.probe.cli import probe

    app.command("probe")(probe)


_register_probe()


@app.command()
def clean() -> None:
    """Remove the facts cache (.tfpar_doctor_cache/) of the current directory."""
    from tfpar_doctor.cache import clean as remove_cache

    try:
        removed = remove_cache(Path(CACHE_DIR_NAME))
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"Removed {CACHE_DIR_NAME}/" if removed else f"No {CACHE_DIR_NAME}/ here; nothing to remove.")


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
