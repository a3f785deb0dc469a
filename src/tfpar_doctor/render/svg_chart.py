"""Scaling charts as inline SVG, written by hand so that a report is one file with no dependencies.

One chart shows one series of probe measurements (the whole pipeline, or the stage alone): throughput per
parallelism level (left axis), the ideal line (level-1 throughput x parallelism: linear scaling), the
process CPU in cores (right axis) and the machine's core count for reference. Each chart carries a
<title> and <desc> for screen readers and every point a tooltip with its numbers.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from tfpar_doctor.model import LevelResult

WIDTH, HEIGHT = 460, 270
LEFT, RIGHT, TOP, BOTTOM = 58, 52, 34, 62
MEASURED, IDEAL, CPU, CORES = "#1f6feb", "#8c959f", "#d4760a", "#d4760a"


@dataclass(frozen=True, slots=True)
class Chart:
    svg: str
    title: str
    levels: tuple[str, ...]


def level_label(level: LevelResult) -> str:
    if level.level == "autotune" and level.autotuned_value:
        return f"autotune (→{level.autotuned_value})"
    return level.level


def effective_parallelism(level: LevelResult) -> int | None:
    if level.parallelism:
        return level.parallelism
    if level.level.startswith("private:") and level.level.split(":", 1)[1].isdigit():
        return int(level.level.split(":", 1)[1])
    return level.autotuned_value


def nice_step(value: float, ticks: int = 4) -> float:
    """A round tick step (1, 2, 2.5, 5 x 10^k) so that about `ticks` steps reach `value`."""
    return nice_max(value / ticks)


def nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5, 5 x 10^k)."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value:
            return float(candidate)
    return float(10 ** (exponent + 1))


def _fmt(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}".rstrip("0").rstrip(".") if value else "0"


def _title_lines(title: str, width: int = 62) -> list[str]:
    """The chart title in lines that fit the chart's width (13px bold: about 7px a character)."""
    return textwrap.wrap(title, width, break_long_words=True, break_on_hyphens=False)[:3] or [""]


def _ideal_points(levels: Sequence[LevelResult], cores: int | None) -> list[tuple[int, float]]:
    """Linear scaling from level 1, only where it means something: numeric levels up to the machine's cores.

    A private thread pool or an unbounded level has no parallelism to multiply by, and above the cores
    the machine cannot run more calls at once, so the line would only shoot up past every measurement.
    """
    base = next((x for x in levels if x.level == "1"), None)
    if base is None or base.elements_per_second <= 0:
        return []
    out = []
    for i, level in enumerate(levels):
        if not level.level.isdigit():
            continue
        p = effective_parallelism(level)
        if p and (cores is None or p <= cores):
            out.append((i, base.elements_per_second * p))
    return out


def scaling_chart(levels: Sequence[LevelResult], cores: int | None, title: str, chart_id: str,
                  unit: str = "elements") -> Chart | None:
    """The chart for one series, or None when there is nothing to draw.

    `unit` is what one pipeline element is: "batches" when the pipeline is batched before it is read.
    """
    if not levels:
        return None
    ideal = _ideal_points(levels, cores)
    rate = f"{unit}/s"
    lines = _title_lines(title)
    # A long title takes more lines: the plot moves down instead of the title being clipped.
    extra = 15 * (len(lines) - 1)
    y0, height = TOP + extra, HEIGHT + extra
    peak = max([x.elements_per_second for x in levels] + [v for _, v in ideal]) * 1.05
    step_value = nice_step(peak)
    tick_count = max(1, math.ceil(peak / step_value))
    top = step_value * tick_count
    # Whole cores per tick: four ticks up to the next multiple of 4 above the busiest level or the cores.
    cpu_peak = max([x.cpu_cores for x in levels] + [float(cores or 1)]) * 1.1
    cpu_top = float(4 * math.ceil(cpu_peak / 4))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, height - y0 - BOTTOM
    step = plot_w / max(len(levels), 1)

    def x(i: int) -> float:
        return LEFT + step * (i + 0.5)

    def y(value: float) -> float:
        return y0 + plot_h * (1 - value / top)

    def y_cpu(value: float) -> float:
        return y0 + plot_h * (1 - value / cpu_top)

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    points = ", ".join(f"{level_label(x_)}: {_fmt(x_.elements_per_second)} {rate} on {x_.cpu_cores:.2f} cores"
                       for x_ in levels)
    out = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'data-chart="{escape(chart_id)}">'),
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">Throughput and CPU per parallelism level. {escape(points)}.</desc>',
    ]
    out.append(f'<text x="{LEFT}" y="18" class="chart-title">'
               + "".join(f'<tspan x="{LEFT}" dy="{0 if k == 0 else 15}">{escape(line)}</tspan>'
                         for k, line in enumerate(lines)) + "</text>")
    # Grid and left axis (throughput).
    for k in range(tick_count + 1):
        value = step_value * k
        yy = y(value)
        out.append(f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{WIDTH - RIGHT}" y2="{yy:.1f}" class="grid"/>')
        out.append(f'<text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end" class="tick">'
                   f'{_fmt(value)}</text>')
    for k in range(5):
        cpu_value = cpu_top * k / 4
        out.append(f'<text x="{WIDTH - RIGHT + 6}" y="{y_cpu(cpu_value) + 4:.1f}" class="tick cpu-tick">'
                   f'{_fmt(cpu_value)}</text>')
    out.append(f'<line x1="{LEFT}" y1="{y0}" x2="{LEFT}" y2="{y0 + plot_h}" class="axis"/>')
    out.append(f'<line x1="{LEFT}" y1="{y0 + plot_h}" x2="{WIDTH - RIGHT}" y2="{y0 + plot_h}" class="axis"/>')
    out.append(f'<line x1="{WIDTH - RIGHT}" y1="{y0}" x2="{WIDTH - RIGHT}" y2="{y0 + plot_h}" class="axis"/>')
    for i, level in enumerate(levels):
        out.append(f'<text x="{x(i):.1f}" y="{y0 + plot_h + 16}" text-anchor="middle" class="tick">'
                   f'{escape(level_label(level))}</text>')
    mid = y0 + plot_h / 2
    out.append(f'<text x="14" y="{mid:.1f}" transform="rotate(-90 14 {mid:.1f})" text-anchor="middle" '
               f'class="axis-label">{unit} / s</text>')
    right_x = WIDTH - 10
    out.append(f'<text x="{right_x}" y="{mid:.1f}" transform="rotate(90 {right_x} {mid:.1f})" '
               'text-anchor="middle" class="axis-label cpu-label">CPU cores used</text>')
    out.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{y0 + plot_h + 34}" text-anchor="middle" '
               'class="axis-label">num_parallel_calls (level)</text>')
    # The machine's cores on the CPU axis.
    if cores:
        yc = y_cpu(cores)
        out.append(f'<line x1="{LEFT}" y1="{yc:.1f}" x2="{WIDTH - RIGHT}" y2="{yc:.1f}" class="cores" '
                   f'stroke="{CORES}"/>')
        out.append(f'<text x="{WIDTH - RIGHT - 4}" y="{yc - 4:.1f}" text-anchor="end" class="tick cpu-tick">'
                   f'{cores} cores</text>')
    # Ideal line.
    if len(ideal) >= 2:
        path = " ".join(f"{x(i):.1f},{y(min(v, top)):.1f}" for i, v in ideal)
        out.append(f'<polyline points="{path}" fill="none" stroke="{IDEAL}" stroke-width="1.5" '
                   'stroke-dasharray="5 4" class="series-ideal"/>')
    # CPU line.
    cpu_path = " ".join(f"{x(i):.1f},{y_cpu(v.cpu_cores):.1f}" for i, v in enumerate(levels))
    out.append(f'<polyline points="{cpu_path}" fill="none" stroke="{CPU}" stroke-width="1.5" '
               'stroke-dasharray="2 3" class="series-cpu"/>')
    for i, level in enumerate(levels):
        out.append(f'<rect x="{x(i) - 3:.1f}" y="{y_cpu(level.cpu_cores) - 3:.1f}" width="6" height="6" '
                   f'fill="{CPU}"><title>{escape(level_label(level))}: '
                   f'{level.cpu_cores:.2f} CPU cores</title>'
                   '</rect>')
    # Measured throughput.
    tp_path = " ".join(f"{x(i):.1f},{y(v.elements_per_second):.1f}" for i, v in enumerate(levels))
    out.append(f'<polyline points="{tp_path}" fill="none" stroke="{MEASURED}" stroke-width="2.5" '
               'class="series-measured"/>')
    for i, level in enumerate(levels):
        spread = f" ±{level.spread * 100:.0f}%" if level.spread else ""
        out.append(f'<circle cx="{x(i):.1f}" cy="{y(level.elements_per_second):.1f}" r="4" fill="{MEASURED}">'
                   f'<title>{escape(level_label(level))}: '
                   f'{_fmt(level.elements_per_second)} {rate}{spread}</title>'
                   '</circle>')
    # Legend: the ideal is drawn only over numeric levels up to the cores (see _ideal_points).
    ideal_label = f"ideal (levels ≤ {cores})" if cores else "ideal (numeric levels)"
    ly = height - 10
    out += [
        (f'<line x1="{LEFT}" y1="{ly - 4}" x2="{LEFT + 18}" y2="{ly - 4}" stroke="{MEASURED}" '
         'stroke-width="2.5"/>'),
        f'<text x="{LEFT + 22}" y="{ly}" class="legend">measured {rate}</text>',
        (f'<line x1="{LEFT + 132}" y1="{ly - 4}" x2="{LEFT + 150}" y2="{ly - 4}" stroke="{IDEAL}" '
        'stroke-width="1.5" stroke-dasharray="5 4"/>'),
        f'<text x="{LEFT + 154}" y="{ly}" class="legend">{ideal_label}</text>',
        (f'<line x1="{LEFT + 270}" y1="{ly - 4}" x2="{LEFT + 288}" y2="{ly - 4}" stroke="{CPU}" '
        'stroke-width="1.5" stroke-dasharray="2 3"/>'),
        f'<text x="{LEFT + 292}" y="{ly}" class="legend">CPU cores</text>',
        "</svg>",
    ]
    return Chart("\n".join(out), title, tuple(level_label(x_) for x_ in levels))
