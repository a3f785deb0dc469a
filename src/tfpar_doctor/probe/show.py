"""Terminal output of a probe run (rich): a table per site and the verdict with its evidence.

Colours and labels of the verdicts come from `tfpar_doctor.model.VERDICT_MEANING` (shared with the report).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tfpar_doctor.model import VERDICT_MEANING, LevelResult, PhaseTime, ProbeRun, SiteResult
from tfpar_doctor.probe import interpreter, phases
from tfpar_doctor.probe.memory import mib


def _rel(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _rate(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def level_table(title: str, levels: Sequence[LevelResult], best: str | None, unit: str = "el/s") -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("level", no_wrap=True, min_width=10)
    for name in (unit, "±", "speedup", "CPU", "GIL", "other CPU", "peak RSS", "1st el."):
        table.add_column(name, justify="right", no_wrap=True)
    base = next((lv for lv in levels if lv.level == "1"), levels[0] if levels else None)
    for lv in levels:
        base_rate = base.elements_per_second if base else 0.0
        speed = lv.elements_per_second / base_rate if base_rate else 0.0
        name = lv.level
        if lv.level == "autotune" and lv.autotuned_value:
            name = f"autotune (→{lv.autotuned_value})"
        table.add_row(
            name + (" ★" if lv.level == best else ""),
            _rate(lv.elements_per_second),
            f"{lv.spread:.0%}",
            f"{speed:.2f}x",
            f"{lv.cpu_cores:.2f}",
            "-" if lv.gil_contention is None else f"{lv.gil_contention:.2f}",
            f"{lv.other_cpu_cores:.2f}",
            mib(lv.peak_rss_bytes),
            "-" if lv.first_element_seconds is None else f"{lv.first_element_seconds * 1000:.0f} ms",
            style="bold" if lv.level == best else "",
        )
    return table


def _header(result: SiteResult) -> Text:
    site = result.site
    header = Text()
    header.append(f"{site.method}({site.function})", style="bold")
    header.append(f"  num_parallel_calls as written: {site.original_parallelism or 'not set'}")
    if site.runs_python:
        header.append(f"  per-element Python: {site.python_kind or 'yes'}")
    if site.nested:
        header.append("  (nested)")
    if result.element_bytes:
        what = "batch" if result.unit == "batches" else "element"
        header.append(f"  one {what}: {_size(result.element_bytes)}")
    return header


def _size(n: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def _tables(result: SiteResult) -> list[RenderableType]:
    parts: list[RenderableType] = []
    unit = "batches/s" if result.unit == "batches" else "el/s"
    if result.pipeline:
        varied = any(lv.level != "as-written" for lv in result.pipeline)
        title = "whole pipeline, this site varied" if varied else "whole pipeline, as written"
        parts.append(level_table(title, result.pipeline, result.best_level, unit))
        if result.unit == "batches":
            parts.append(Text("the pipeline yields batches: its throughput is in batches/s", style="dim"))
    if result.isolated:
        title = (
            "generator copies alone (parallel interleave)"
            if result.site.method == "from_generator"
            else "stage alone, from cached inputs"
        )
        parts.append(level_table(title, result.isolated, None))
    parts.append(
        Text(
            "CPU: process CPU in cores; GIL: contention 0-1; other CPU: other processes, in cores; "
            "peak RSS: the probed process's resident memory while that level ran (levels run round-robin, "
            "so memory an earlier level took and kept shows in later ones too)",
            style="dim",
        )
    )
    return parts


def _verdict_lines(result: SiteResult) -> list[RenderableType]:
    meaning = VERDICT_MEANING[result.verdict]
    line = Text()
    line.append("verdict: ")
    line.append(result.verdict.value, style=f"bold {meaning.terminal_style}")
    label = "" if meaning.label == result.verdict.value else f"{meaning.label}; "
    line.append(f"  ({label}confidence {result.confidence:.2f}")
    stab = result.stability or {}
    if stab.get("rounds"):
        agree = stab.get("agreement", 1.0)
        line.append(f"; {stab['rounds']} round(s), {agree:.0%} agree")
    line.append(")")
    out: list[RenderableType] = [line]
    out += [Text(f"  • {reason}") for reason in result.reasons]
    return out


def _recommendation(result: SiteResult) -> Text:
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
    rec.append(_pool_rewrite_text(result))
    rec.append(_tf_native_text(result))
    mem = result.memory or {}
    if mem.get("budget_bytes"):
        rec.append(
            f"   memory: {mib(mem.get('level1_peak_bytes'))} at 1, {mib(mem.get('autotune_peak_bytes'))} at "
            f"autotune, budget {mib(mem.get('budget_bytes'))} ({mem.get('budget_source')})"
        )
    return rec


def _pool_rewrite_text(result: SiteResult) -> str:
    """The rewritten pipeline as `--verify-rewrite` measured it ("" when it was not), in the advice's words:
    recommended, not recommended, or not measured reliably."""
    from tfpar_doctor.advice.rewrite_measured import pool_rewrite_measurement

    measurement = pool_rewrite_measurement(result)
    return f"   process-pool rewrite: {measurement.measured}" if measurement is not None else ""


def _tf_native_text(result: SiteResult) -> str:
    """The tf-native rewrite as `--verify-rewrite` ran it on the site's inputs ("" when it did not)."""
    if result.verification is None:
        return ""
    from tfpar_doctor.probe.rewrite_verify import from_record, summary

    record = from_record(result.verification)
    name = f" {record.function_name}" if record.function_name else ""
    return f"   tf-native rewrite{name}: {summary(record)}"


def explain_lines(result: SiteResult) -> list[RenderableType]:
    """`--explain`: the signatures tried in order, the one that matched, and why each earlier one did not."""
    out: list[RenderableType] = [Text(f"signatures tried (matched: {result.signature}):", style="bold")]
    for step in result.explain:
        mark = "✓" if step.get("matched") else "·"
        verdict = f" -> {step['verdict']}" if step.get("matched") and step.get("verdict") else ""
        out.append(Text(f"  {mark} {step.get('signature')}{verdict}: {step.get('why', '')}"))
    return out


def site_panel(result: SiteResult, explain: bool = False) -> Panel:
    parts: list[RenderableType] = [_header(result)]
    parts += _tables(result)
    parts += _verdict_lines(result)
    rec = _recommendation(result)
    if rec.plain:
        parts.append(rec)
    parts += [Text(f"  note: {note}", style="dim") for note in result.notes]
    if explain:
        parts += explain_lines(result)
    colour = VERDICT_MEANING[result.verdict].terminal_style
    title = f"{_rel(result.site.path)}:{result.site.line}"
    return Panel(Group(*parts), title=title, title_align="left", border_style=colour)


def _run_header(run: ProbeRun) -> str:
    head = (
        f"probe of {run.target}: {len(run.sites)} site(s), {run.cores} cores, "
        f"TensorFlow {run.tensorflow_version}"
    )
    python = interpreter.summary(run.interpreter)
    if python:
        head += f", {python}"
    if run.duration_seconds is not None:
        head += f", {run.duration_seconds:.1f} s"
    return head


def phase_table(items: Sequence[PhaseTime]) -> Table:
    """`--explain`: every phase of the run, in run order, with the windows it measured."""
    table = Table(title="where the time went", title_justify="left", show_edge=False, pad_edge=False)
    for name in ("phase", "site", "detail"):
        table.add_column(name, no_wrap=True)
    for name in ("seconds", "windows", "measured"):
        table.add_column(name, justify="right", no_wrap=True)
    for p in items:
        table.add_row(p.name, p.site or "", p.detail or "", f"{p.seconds:.2f}", str(p.windows or ""),
                      f"{p.measured_seconds:.2f}" if p.windows else "")
    return table


def phase_legend(items: Sequence[PhaseTime]) -> list[Text]:
    """What each phase shown covers (probe/phases.py), once per name."""
    names = list(dict.fromkeys(p.name for p in items))
    return [Text(f"  {name}: {phases.PHASES[name]}", style="dim") for name in names if name in phases.PHASES]


def show_run(run: ProbeRun, console: Console, explain: bool = False) -> None:
    cal: dict[str, Any] = run.calibration or {}
    console.print(_run_header(run), style="bold", markup=False, soft_wrap=True)
    line = phases.summary(run.phases, run.duration_seconds)
    if line:
        console.print(f"time: {line}" + ("" if explain else " (--explain: every phase)"), style="dim",
                      markup=False, soft_wrap=True)
    if cal.get("speedup") is not None:
        console.print(
            f"calibration: np.sort reference {cal['speedup']:.2f}x at npc=2 (expected "
            f"~{cal.get('expected', 1.9)}x)"
            + ("" if cal.get("ok") else "  [yellow]poor: confidence lowered[/yellow]")
        )
    for result in run.sites:
        console.print(site_panel(result, explain))
    for warning in run.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}", soft_wrap=True)
    if explain and run.phases:
        console.print(phase_table(run.phases))
        for text in phase_legend(run.phases):
            console.print(text, soft_wrap=True)
