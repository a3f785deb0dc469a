"""`tfpar-doctor probe TARGET`: measure each map of a real pipeline at several parallelism levels.

The main CLI registers :func:`probe` with ``app.command("probe")(probe)``. Importing this module imports
only typer and rich: TensorFlow, psutil, gilknocker and NumPy are imported in the probe's child process.

Exit codes:
    0  the probe finished; the tables (or JSON) were printed and ``-o`` was written
    2  usage error: bad option values, a target that does not exist / is not callable / does not return a
       ``tf.data.Dataset``, or the probe extra (TensorFlow, psutil, gilknocker) is not installed
    3  the user's pipeline failed: it raised (its traceback is shown), was empty, hung or exceeded
       ``--timeout`` (killed with its process tree), exceeded ``--memory-limit``, or crashed the interpreter
    4  an internal error of the probe (please report it)
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tfpar_doctor.probe.thresholds import MAX_ROUNDS, MIN_ROUNDS, WINDOW_SECONDS

if TYPE_CHECKING:
    from rich.console import Console


def escape(text: str) -> str:
    """rich markup escaping, imported when there is something to print (`check` never pays for rich)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)

EXIT_USAGE = 2
PIPED_WIDTH = 200  # columns when stdout is not a terminal


def _parse_size(text: str, option: str = "--memory-limit") -> int:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*", text.lower())
    if not match:
        raise typer.BadParameter(f"{option}: {text!r} is not a size (use e.g. 4G, 512M, 2000000000)")
    number = float(match.group(1))
    scale = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}[match.group(2)]
    value = int(number * scale)
    if value <= 0:
        raise typer.BadParameter(f"{option}: the size must be positive")
    return value


def _default_memory_limit() -> int | None:
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 0.8)
    except (ValueError, OSError, AttributeError):
        return None


def probe(
    target: Annotated[
        str,
        typer.Argument(
            help="The pipeline: path/to/file.py:make_dataset or package.module:make_dataset "
            "(a callable returning a tf.data.Dataset).",
            show_default=False,
        ),
    ],
    arg: Annotated[
        list[str] | None,
        typer.Option(
            "--arg", help="key=value passed to the target (repeatable; values parsed as Python literals)."
        ),
    ] = None,
    levels: Annotated[
        str | None,
        typer.Option(help="Parallelism levels, e.g. 1,2,4,auto (default: 1,2,4,...,cores,auto)."),
    ] = None,
    elements: Annotated[
        int | None,
        typer.Option(min=1, help="At most N elements per measuring window (bounds infinite datasets)."),
    ] = None,
    seconds: Annotated[
        float, typer.Option(min=0.05, help="Length of each measuring window, in seconds.")
    ] = WINDOW_SECONDS,
    repeat: Annotated[
        int,
        typer.Option(
            min=1,
            help="Rounds at least (each measures every level once, round-robin); more are added while a "
            "round sits near a verdict's edge or the rounds' own verdicts disagree, up to --max-rounds.",
        ),
    ] = MIN_ROUNDS,
    max_rounds: Annotated[
        int, typer.Option(min=1, help="Rounds at most, when the evidence straddles a verdict's edge.")
    ] = MAX_ROUNDS,
    site: Annotated[
        str | None, typer.Option(help="Probe only the call site at FILE:LINE.", show_default=False)
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(min=1.0, help="Kill the probe (and everything it started) after this many seconds."),
    ] = 600.0,
    stall_timeout: Annotated[
        float,
        typer.Option(min=1.0, help="Treat the pipeline as hung after this many seconds without progress."),
    ] = 120.0,
    memory_limit: Annotated[
        str | None,
        typer.Option(help="Resident memory limit of the probed pipeline, e.g. 4G (default: 80% of RAM)."),
    ] = None,
    memory_budget: Annotated[
        str | None,
        typer.Option(
            help="Memory the pipeline may grow to, e.g. 8G: advice when AUTOTUNE or the recommended level "
            "grows past it (default: the pipeline's options.autotune.ram_budget, else half the free RAM)."
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Per site, which verdict signature matched and why the earlier ones did not."
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the results as JSON (read by `report --probe`)."),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the results as JSON instead of tables.")
    ] = False,
    cores: Annotated[
        int | None,
        typer.Option(min=1, help="Cores to assume (default: the schedulable cores).", hidden=True),
    ] = None,
    multiprocessing: Annotated[
        bool,
        typer.Option(
            "--multiprocessing/--no-multiprocessing",
            help="Also time per-element Python functions in a process pool.",
        ),
    ] = True,
    extra_rounds: Annotated[
        int,
        typer.Option(
            min=0,
            help="Rounds to add when the calibration shows the machine did not lend its cores.",
            hidden=True,
        ),
    ] = 2,
    verify_rewrite: Annotated[
        bool,
        typer.Option(
            "--verify-rewrite",
            help="Also build the rewritten pipelines the advice hands over and measure them next to the "
            "original (a process-pool rewrite costs a fresh child per pipeline: 10+ s per site).",
        ),
    ] = False,
) -> None:
    """Run a pipeline and measure why num_parallel_calls does (not) make it faster."""
    code = run_cli(
        target=target,
        args=arg or [],
        levels=levels,
        elements=elements,
        seconds=seconds,
        repeat=repeat,
        site=site,
        timeout=timeout,
        stall_timeout=stall_timeout,
        memory_limit=memory_limit,
        output=output,
        json_output=json_output,
        cores=cores,
        multiprocessing=multiprocessing,
        extra_rounds=extra_rounds,
        max_rounds=max_rounds,
        memory_budget=memory_budget,
        explain=explain,
        verify_rewrite=verify_rewrite,
    )
    raise typer.Exit(code)


def run_cli(
    target: str,
    args: list[str],
    levels: str | None = None,
    elements: int | None = None,
    seconds: float = WINDOW_SECONDS,
    repeat: int = MIN_ROUNDS,
    site: str | None = None,
    timeout: float = 600.0,
    stall_timeout: float = 120.0,
    memory_limit: str | None = None,
    output: Path | None = None,
    json_output: bool = False,
    cores: int | None = None,
    multiprocessing: bool = True,
    extra_rounds: int = 2,
    max_rounds: int = MAX_ROUNDS,
    memory_budget: str | None = None,
    explain: bool = False,
    verify_rewrite: bool = False,
    console: Console | None = None,
    err_console: Console | None = None,
) -> int:
    """The probe command as a function returning its exit code (used by `probe` and the tests)."""
    from rich.console import Console

    from tfpar_doctor.probe import results, runner, show

    out = console or _stdout_console(Console)
    err = err_console or Console(stderr=True)
    try:
        if cores:
            n_cores = cores
        elif hasattr(os, "sched_getaffinity"):
            n_cores = len(os.sched_getaffinity(0))
        else:
            n_cores = os.cpu_count() or 1
        for item in args:
            if "=" not in item or not item.partition("=")[0].strip():
                raise runner.ProbeError("usage", f"--arg {item!r}: expected key=value")
        if site is not None and not re.fullmatch(r".+:\d+", site):
            raise runner.ProbeError("usage", f"--site {site!r}: expected FILE:LINE")
        limit = _parse_size(memory_limit) if memory_limit else _default_memory_limit()
        budget = _parse_size(memory_budget, "--memory-budget") if memory_budget else None
        options = runner.ProbeOptions(
            target=target,
            args=list(args),
            levels=runner.parse_levels(levels, n_cores) if levels else None,
            seconds=seconds,
            repeat=repeat,
            elements=elements,
            site=site,
            timeout=timeout,
            stall_timeout=stall_timeout,
            memory_limit=limit,
            cores=n_cores,
            multiprocessing=multiprocessing,
            extra_rounds=extra_rounds,
            max_rounds=max(max_rounds, repeat),
            memory_budget=budget,
            verify_rewrite=verify_rewrite,
        )
        run = _run_with_progress(options, err, runner)
    except typer.BadParameter as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        return EXIT_USAGE
    except runner.ProbeError as exc:
        _print_error(exc, err)
        return exc.exit_code
    except KeyboardInterrupt:
        err.print("[red]interrupted[/red]: the probe's processes were stopped")
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug of ours: one line, the traceback only on request
        _internal_error(exc, err)
        return 4
    try:
        return _finish(run, output, json_output, out, err, results, show, explain)
    except Exception as exc:  # noqa: BLE001
        _internal_error(exc, err)
        return 4


def _internal_error(exc: BaseException, err: Console) -> None:
    err.print(
        f"[red]error[/red] (internal error in tfpar-doctor, please report it): {escape(type(exc).__name__)}: "
        f"{escape(str(exc))}",
        soft_wrap=True,
    )
    if os.environ.get("TFPAR_DOCTOR_DEBUG"):
        import traceback

        err.print(traceback.format_exc(), markup=False, highlight=False, soft_wrap=True)
    else:
        err.print("[dim](set TFPAR_DOCTOR_DEBUG=1 to see the traceback)[/dim]")


def _stdout_console(console_class: Any) -> Console:
    """The console for the tables: when stdout is a pipe or a file, rich would wrap at 80 columns; a wide
    console keeps every table row on one line (COLUMNS, when set, still decides)."""
    console: Console = console_class()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = console_class(width=PIPED_WIDTH)
    return console


def _finish(
    run: Any,
    output: Path | None,
    json_output: bool,
    out: Console,
    err: Console,
    results: Any,
    show: Any,
    explain: bool = False,
) -> int:
    if output is not None:
        try:
            results.dump(run, output)
        except OSError as exc:
            err.print(
                f"[red]error:[/red] cannot write {escape(str(output))}: {exc.strerror or exc}", soft_wrap=True
            )
            return EXIT_USAGE
    if json_output:
        sys.stdout.write(results.dumps(run))
    else:
        show.show_run(run, out, explain=explain)
        if output is not None:
            out.print(f"results written to {output}")
    return 0


def _run_with_progress(options: Any, err: Console, runner: Any) -> Any:
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} windows"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("starting the probe", total=None)

        def on_event(event: dict[str, Any]) -> None:
            kind = event.get("event")
            if kind == "stage":
                progress.update(task, description=str(event.get("text", ""))[:70])
            elif kind == "plan":
                progress.update(task, total=int(event.get("total", 0)) or None, completed=0)
            elif kind == "plan_more":
                current = progress.tasks[0].total or 0
                progress.update(task, total=current + int(event.get("extra", 0)))
            elif kind == "tick":
                progress.update(task, advance=1)
            elif kind == "warning":
                progress.console.print(
                    f"[yellow]warning:[/yellow] {escape(str(event.get('text')))}", soft_wrap=True
                )

        return runner.run_probe(options, on_event)


def _print_error(exc: Any, err: Console) -> None:
    labels = {
        "usage": "usage error",
        "target": "target error",
        "not-dataset": "target error",
        "tf-missing": "missing dependency",
        "user": "the pipeline raised an exception",
        "empty": "empty pipeline",
        "timeout": "timeout",
        "hang": "pipeline hung",
        "memory": "memory limit exceeded",
        "crash": "the pipeline crashed",
        "internal": "internal error in tfpar-doctor (please report it)",
    }
    err.print(
        f"[red]error[/red] ({labels.get(exc.kind, exc.kind)}): {escape(exc.message)}",
        highlight=False,
        soft_wrap=True,
    )
    if exc.kind == "internal" and not os.environ.get("TFPAR_DOCTOR_DEBUG"):
        err.print("[dim](set TFPAR_DOCTOR_DEBUG=1 to see the traceback)[/dim]")
    elif exc.traceback:
        err.print("[dim]traceback from the pipeline's code:[/dim]")
        err.print(exc.traceback.rstrip(), markup=False, highlight=False, soft_wrap=True)
    elif exc.log and exc.kind in ("crash", "internal", "hang", "timeout", "memory"):
        err.print("[dim]last output of the pipeline:[/dim]")
        err.print(exc.log, markup=False, highlight=False, soft_wrap=True)
