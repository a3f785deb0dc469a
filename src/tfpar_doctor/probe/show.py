"""Terminal output of a probe run (rich): a table per site and the verdict with its evidence."""

from __future__ import annotations

import os
from collections.abc import Sequence

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tfpar_doctor.model import LevelResult, ProbeRun, SiteResult, Verdict

COLOURS = {
    Verdict.SCALES: "green",
    Verdict.GIL_BOUND: "red",
    Verdict.THREADPOOL_CAPPED: "yellow",
    Verdict.NOT_BOTTLENECK: "cyan",
    Verdict.TRACE_TIME_ONLY: "magenta",
    Verdict.PARTIAL: "yellow",
    Verdict.INCONCLUSIVE: "dim",
}


def _rel(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def level_table(title: str, levels: Sequence[LevelResult], best: str | None) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("level", no_wrap=True, min_width=10)
    for name in ("el/s", "±", "speedup", "CPU", "GIL", "other CPU", "1st el."):
        table.add_column(name, justify="right", no_wrap=True)
    base = next((lv for lv in levels if lv.level == "1"), levels[0] if levels else None)
    for lv in levels:
        speed = (
            lv.elements_per_second / base.elements_per_second if base and base.elements_per_second else 0.0
        )
        name = lv.level
        if lv.level == "autotune" and lv.autotuned_value:
            name = f"autotune (→{lv.autotuned_value})"
        style = "bold" if lv.level == best else ""
        table.add_row(
            name + (" ★" if lv.level == best else ""),
            f"{lv.elements_per_second:,.0f}"
            if lv.elements_per_second >= 100
            else f"{lv.elements_per_second:.1f}",
            f"{lv.spread:.0%}",
            f"{speed:.2f}x",
            f"{lv.cpu_cores:.2f}",
            "-" if lv.gil_contention is None else f"{lv.gil_contention:.2f}",
            f"{lv.other_cpu_cores:.2f}",
            "-" if lv.first_element_seconds is None else f"{lv.first_element_seconds * 1000:.0f} ms",
            style=style,
        )
    return table


def site_panel(result: SiteResult) -> Panel:
    site = result.site
    colour = COLOURS.get(result.verdict, "white")
    parts: list = []
    header = Text()
    header.append(f"{site.method}({site.function})", style="bold")
    npc = site.original_parallelism or "not set"
    header.append(f"  num_parallel_calls as written: {npc}")
    if site.runs_python:
        header.append(f"  per-element Python: {site.python_kind or 'yes'}")
    if site.nested:
        header.append("  (nested)")
    parts.append(header)
    if result.pipeline:
        varied = any(lv.level != "as-written" for lv in result.pipeline)
        title = "whole pipeline, this site varied" if varied else "whole pipeline, as written"
        parts.append(level_table(title, result.pipeline, result.best_level))
    table_note = Text(
        "CPU: process CPU in cores; GIL: contention 0-1; other CPU: other processes, in cores", style="dim"
    )
    parts.append(table_note)
    if result.isolated:
        title = (
            "generator copies alone (parallel interleave)"
            if site.method == "from_generator"
            else "stage alone, from cached inputs"
        )
        parts.insert(len(parts) - 1, level_table(title, result.isolated, None))
    verdict = Text()
    verdict.append("verdict: ")
    verdict.append(result.verdict.value, style=f"bold {colour}")
    verdict.append(f"  (confidence {result.confidence:.2f})")
    parts.append(verdict)
    for reason in result.reasons:
        parts.append(Text(f"  • {reason}"))
    rec = Text()
    if result.best_level is not None:
        rec.append(f"recommended level: {result.best_level}")
        if result.best_speedup is not None:
            rec.append(f" ({result.best_speedup:.2f}x over npc=1)")
    if result.multiprocessing_speedup is not None and result.multiprocessing:
        mp = result.multiprocessing
        rec.append(
            f"   process pool of {mp.get('workers')}: {result.multiprocessing_speedup:.2f}x"
            f" (+{mp.get('worker_startup_seconds', 0):.2f} s worker start-up)"
        )
    if rec.plain:
        parts.append(rec)
    for note in result.notes:
        parts.append(Text(f"  note: {note}", style="dim"))
    return Panel(
        Group(*parts), title=f"{_rel(site.path)}:{site.line}", title_align="left", border_style=colour
    )


def show_run(run: ProbeRun, console: Console) -> None:
    cal = run.calibration or {}
    head = (
        f"probe of {run.target}: {len(run.sites)} site(s), {run.cores} cores, "
        f"TensorFlow {run.tensorflow_version}"
    )
    if run.duration_seconds is not None:
        head += f", {run.duration_seconds:.1f} s"
    console.print(head, style="bold", markup=False, soft_wrap=True)
    if cal.get("speedup") is not None:
        console.print(
            f"calibration: np.sort reference {cal['speedup']:.2f}x at npc=2 (expected "
            f"~{cal.get('expected', 1.9)}x)"
            + ("" if cal.get("ok") else "  [yellow]poor: confidence lowered[/yellow]")
        )
    for result in run.sites:
        console.print(site_panel(result))
    for warning in run.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}", soft_wrap=True)
