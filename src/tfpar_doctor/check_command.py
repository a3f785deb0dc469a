"""`tfpar-doctor check` as a command: validate the request, run the check, write fixes or noqa comments,
render the chosen format, and decide the exit code. `cli.check` only parses options into a `CheckRequest`.

Exit codes (ruff/flake8 conventions): 0 no findings, 1 findings, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tfpar_doctor.model import Finding
from tfpar_doctor.settings import CheckSettings, Layer

if TYPE_CHECKING:
    from tfpar_doctor.fix import FileFix

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A request that cannot run; the message is shown to the user and the exit code is 2."""


@dataclass
class CheckRequest:
    """Everything `check` was asked on the command line (`layer`: the selection and exclude options)."""

    paths: list[str] = field(default_factory=list)
    layer: Layer = field(default_factory=Layer)
    output_format: str = "full"
    output_file: Path | None = None
    exit_zero: bool = False
    config: Path | None = None
    stdin_filename: str | None = None
    statistics: bool = False
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    add_noqa: str | None = None  # None: off; "": no reason; text: the reason written after the codes
    watch: bool = False
    force_exclude: bool = False
    respect_gitignore: bool = True
    jobs: int | None = None
    no_cache: bool = False
    cache_dir: Path | None = None

    @property
    def targets(self) -> list[Path]:
        # As in ruff, --stdin-filename alone (no paths) means: read the source from stdin.
        return [Path(p) for p in self.paths] if self.paths else [Path("-" if self.stdin_filename else ".")]

    @property
    def from_stdin(self) -> bool:
        return any(str(p) == "-" for p in self.targets)

    @property
    def stdin_path(self) -> Path:
        return Path(self.stdin_filename or "stdin.py")


@dataclass
class Outcome:
    """One run's findings and what the command did with them."""

    findings: list[Finding]
    files: list[str]
    internal_errors: list[str]
    sources: dict[str, str] = field(default_factory=dict)  # texts not on disk (stdin), by reported path


def warn(message: str) -> None:
    sys.stderr.write(f"tfpar-doctor: warning: {message}\n")


def note(message: str) -> None:
    sys.stderr.write(message + "\n")


def validate(request: CheckRequest) -> None:
    """Raise UsageError for a request that contradicts itself or names what is not there."""
    targets = request.targets
    if request.from_stdin:
        if len(targets) > 1:
            raise UsageError("`-` (stdin) cannot be combined with other paths")
        if request.fix:
            raise UsageError("--fix cannot rewrite stdin; use --diff")
        if request.add_noqa is not None:
            raise UsageError("--add-noqa cannot rewrite stdin")
        if request.watch:
            raise UsageError("--watch cannot watch stdin")
    if request.add_noqa is not None and (request.fix or request.diff):
        raise UsageError("--add-noqa cannot be combined with --fix or --diff")
    missing = [str(p) for p in targets if str(p) != "-" and not p.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    if request.config is not None and not request.config.is_file():
        raise UsageError(f"--config: no such file: {request.config}")
    if "\n" in (request.add_noqa or "") or "\r" in (request.add_noqa or ""):
        raise UsageError("--add-noqa: the reason must be one line")


def settings_for(request: CheckRequest) -> CheckSettings:
    from tfpar_doctor.config import ConfigError, resolve_settings
    from tfpar_doctor.settings import cache_dir_for

    # from_stdin reads every target: asked once, not once per target (quadratic: 1790 paths took 10 s)
    start = [request.stdin_path.parent] if request.from_stdin else request.targets
    try:
        settings = resolve_settings(request.layer, start, request.config, force_exclude=request.force_exclude,
                                    respect_gitignore=request.respect_gitignore)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    settings.jobs = request.jobs
    settings.cache_dir = None if request.no_cache else cache_dir_for(settings.project_root, request.cache_dir)
    return settings


def check_once(request: CheckRequest, settings: CheckSettings, stdin: bytes | None = None) -> Outcome:
    """Run the check pipeline on the request's paths (or the stdin source)."""
    from tfpar_doctor.check import check_files, run_check

    if request.from_stdin:
        source = stdin if stdin is not None else b""
        excludes, path = settings.excludes, request.stdin_path
        if request.stdin_filename and request.force_exclude and excludes and excludes.excluded(path, False):
            return Outcome([], [], [])
        settings.sources[path] = source
        result = check_files([path], settings)
        text = {f: source.decode("utf-8", errors="replace") for f in result.files[:1]}
        return Outcome(result.findings, result.files, result.internal_errors, text)
    result = run_check(request.targets, settings)
    if not result.files:
        warn(f"no Python files found in {', '.join(map(str, request.targets))}")
    return Outcome(result.findings, result.files, result.internal_errors)


def _plural(count: int, noun: str, plural: str = "") -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _write_plans(plans: list[FileFix]) -> None:
    from tfpar_doctor.fix import write_atomically

    for plan in plans:
        if plan.changed:
            try:
                write_atomically(plan.path, plan.fixed)
            except OSError as exc:
                raise UsageError(f"cannot write {plan.path}: {exc.strerror or exc}") from None


def _report_skipped(plans: list[FileFix], verb: str) -> None:
    for plan in plans:
        for skipped, why in plan.skipped:
            where = skipped.location
            warn(f"not {verb} {skipped.code} at {where.path}:{where.line}: {why}")


def apply_fixes(request: CheckRequest, outcome: Outcome) -> int | None:
    """`--fix` / `--diff`: returns the exit code when the command ends here (`--diff`), else None and
    `outcome.findings` keeps the findings left unfixed."""
    from tfpar_doctor.fix import plan_fixes, withheld

    plans = plan_fixes(outcome.findings, outcome.sources, unsafe=request.unsafe_fixes)
    fixed = {id(f) for plan in plans for f in plan.applied}
    _report_skipped(plans, "fixing")
    held = withheld(outcome.findings, request.unsafe_fixes)
    held_note = ""
    if held:
        held_note = f" {_plural(held, 'unsafe fix', 'unsafe fixes')} not applied (use --unsafe-fixes)."
    if request.diff:
        sys.stdout.write("".join(plan.diff() for plan in plans if plan.changed))
        note(f"Would fix {_plural(len(fixed), 'finding')}.{held_note}")
        return EXIT_FINDINGS if fixed and not request.exit_zero else EXIT_CLEAN
    _write_plans(plans)
    outcome.findings = [f for f in outcome.findings if id(f) not in fixed]
    if fixed or held:
        note(f"Fixed {_plural(len(fixed), 'finding')}.{held_note}")
    return None


def add_noqa(request: CheckRequest, outcome: Outcome) -> int:
    """`--add-noqa[=REASON]`: a noqa comment on every reported line; exit 0 when every finding got one."""
    from tfpar_doctor.fix import plan_noqa

    plans = plan_noqa(outcome.findings, request.add_noqa or "")
    _report_skipped(plans, "suppressing")
    _write_plans(plans)
    covered = sum(len(plan.applied) for plan in plans)
    changed = sum(1 for plan in plans if plan.changed)
    note(f"Added noqa comments for {_plural(covered, 'finding')} in {_plural(changed, 'file')}.")
    left = any(plan.skipped for plan in plans)
    return EXIT_FINDINGS if left and not request.exit_zero else EXIT_CLEAN


def render(request: CheckRequest, outcome: Outcome) -> str:
    from tfpar_doctor.render.check_formats import CheckOutput
    from tfpar_doctor.render.check_formats import render as render_format
    from tfpar_doctor.render.source_lines import SourceLines

    out = CheckOutput(outcome.findings, outcome.files, SourceLines(outcome.sources), request.unsafe_fixes)
    return render_format(request.output_format, out, request.statistics)


def write_stdout(text: str) -> None:
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


def emit(request: CheckRequest, text: str) -> None:
    if request.output_file is None:
        write_stdout(text)
        return
    try:
        request.output_file.write_text(text, encoding="utf-8", errors="surrogateescape")
    except OSError as exc:
        raise UsageError(f"cannot write {request.output_file}: {exc.strerror or exc}") from None


def report_internal_errors(errors: list[str]) -> None:
    # The findings printed are still valid; the exit code says the run was incomplete.
    for message in errors:
        note(f"tfpar-doctor: internal error: {message}")
    note("tfpar-doctor: error: the check above is incomplete because of a bug in tfpar-doctor; "
         "please report it with the file named")


def run_once(request: CheckRequest, settings: CheckSettings, stdin: bytes | None = None) -> int:
    """One check: findings, then noqa or fixes if asked, then the output; returns the exit code."""
    outcome = check_once(request, settings, stdin)
    if request.add_noqa is not None:
        code = add_noqa(request, outcome)
    else:
        ended = apply_fixes(request, outcome) if request.fix or request.diff else None
        if ended is not None:
            return EXIT_ERROR if outcome.internal_errors else ended
        emit(request, render(request, outcome))
        code = EXIT_FINDINGS if outcome.findings and not request.exit_zero else EXIT_CLEAN
    if outcome.internal_errors:
        report_internal_errors(outcome.internal_errors)
        return EXIT_ERROR
    return code


def run(request: CheckRequest) -> int:
    """The whole command; UsageError for a bad request (the CLI prints it and exits 2)."""
    validate(request)
    settings = settings_for(request)
    if request.watch:
        from tfpar_doctor.watch import watch

        return watch(request, settings)
    stdin = sys.stdin.buffer.read() if request.from_stdin else None
    return run_once(request, settings, stdin)
