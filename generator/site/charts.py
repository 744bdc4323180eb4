"""Charts drawn at build time as inline SVG: no chart library in the browser."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..formatting import fmt

WIDTH, HEIGHT = 760, 420
LEFT, RIGHT, TOP, BOTTOM = 70, 190, 20, 50


@dataclass(frozen=True, slots=True)
class Point:
    label: str
    url: str
    status: str
    effort: float
    value: float


def _ticks(high: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `high`."""
    if high <= 0:
        return [0, 1]
    raw = high / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * n for n in range(count + 2) if step * (n - 1) < high]


def scatter(points: Sequence[Point], x_label: str = "Effort", y_label: str = "Value") -> Markup:
    """Value (y) against effort (x), one linked dot per item."""
    if not points:
        return Markup('<p class="empty">No scored items to chart.</p>')
    x_ticks = _ticks(max(p.effort for p in points))
    y_ticks = _ticks(max(p.value for p in points))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(v: float) -> float:
        return round(LEFT + v / x_ticks[-1] * plot_w, 1)

    def y(v: float) -> float:
        return round(TOP + plot_h - v / y_ticks[-1] * plot_h, 1)

    bottom, middle_x, middle_y = TOP + plot_h, LEFT + plot_w / 2, TOP + plot_h / 2
    parts = [
        f'<svg class="scatter" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="chart-title">Value against effort</title>',
        f'<desc id="chart-desc">{len(points)} scored items; '
        "the table below lists the same data.</desc>",
    ]
    for t in x_ticks:
        parts.append(f'<line class="grid" x1="{x(t)}" y1="{TOP}" x2="{x(t)}" y2="{bottom}"/>')
        parts.append(
            f'<text class="tick" x="{x(t)}" y="{bottom + 18}" text-anchor="middle">{fmt(t)}</text>'
        )
    for t in y_ticks:
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{y(t)}" x2="{LEFT + plot_w}" y2="{y(t)}"/>'
        )
        parts.append(
            f'<text class="tick" x="{LEFT - 8}" y="{y(t) + 4}" text-anchor="end">{fmt(t)}</text>'
        )
    parts.append(
        f'<text class="axis" x="{middle_x}" y="{HEIGHT - 8}" text-anchor="middle">'
        f"{escape(x_label)}</text>"
        f'<text class="axis" transform="translate(16 {middle_y}) rotate(-90)" '
        f'text-anchor="middle">{escape(y_label)}</text>'
    )
    for p in points:
        label = p.label if len(p.label) <= 26 else p.label[:25] + "…"
        parts.append(
            f'<a href="{escape(p.url)}"><g class="point status-{escape(p.status)}">'
            f"<title>{escape(p.label)}: value {fmt(p.value)}, effort {fmt(p.effort)}</title>"
            f'<circle cx="{x(p.effort)}" cy="{y(p.value)}" r="6"/>'
            f'<text x="{x(p.effort) + 9}" y="{y(p.value) + 4}">{escape(label)}</text></g></a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
