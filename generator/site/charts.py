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


#: Fills of the investment categories, in order: each a pattern over a tint, so the
#: bars read in grey print and to colour-blind readers; the segments carry labels too.
PATTERNS = (
    ("#c6dbef", '<path d="M0 8L8 0M-2 2L2 -2M6 10L10 6" stroke="#08519c" stroke-width="1.5"/>'),
    ("#fdd0a2", '<circle cx="4" cy="4" r="1.6" fill="#a63603"/>'),
    ("#c7e9c0", '<path d="M0 4H8" stroke="#006d2c" stroke-width="1.5"/>'),
    ("#dadaeb", '<path d="M0 0L8 8M8 0L0 8" stroke="#54278f" stroke-width="1"/>'),
    ("#fcbba1", '<path d="M4 0V8" stroke="#a50f15" stroke-width="1.5"/>'),
)
UNCATEGORISED_FILL = "#eeeeee"
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


@dataclass(frozen=True, slots=True)
class Stack:
    """One stacked bar of the balance chart: shares by category, 0 to 1."""

    label: str
    """Under the bar: a quarter, `Last 4 quarters` or `Target`."""
    shares: tuple[float, ...]
    """In the order of the chart's categories (uncategorised last)."""
    note: str = ""
    """Under the label: the person-months it stands for."""


def _defs(prefix: str, count: int) -> str:
    patterns = []
    for n in range(count):
        tint, mark = PATTERNS[n % len(PATTERNS)]
        patterns.append(
            f'<pattern id="{prefix}-{n}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{tint}"/>{mark}</pattern>'
        )
    return f"<defs>{''.join(patterns)}</defs>"


def _fill(prefix: str, n: int, categories: int) -> str:
    return f"url(#{prefix}-{n})" if n < categories else UNCATEGORISED_FILL


def balance(categories: Sequence[str], stacks: Sequence[Stack], title: str) -> Markup:
    """Stacked bars of 100%: each category's share of effort per column, labelled inside;
    `categories` names the fills, with "Uncategorised" last when stacks carry one more."""
    height, left, top, plot_h, legend_w, slot = 300, 48, 16, 230, 150, 100
    width = left + legend_w + slot * max(len(stacks), 1)
    bar = 56
    columns = max((len(s.shares) for s in stacks), default=0)
    named = [*categories, "Uncategorised"][: max(columns, len(categories))]
    parts = [
        f'<svg class="stacked" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" {FONT} aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        _defs("balance", len(categories)),
    ]
    for share in (0, 0.25, 0.5, 0.75, 1):
        y = round(top + plot_h * (1 - share), 1)
        parts.append(f'<line x1="{left}" y1="{y}" x2="{width - legend_w}" y2="{y}" '
                     f'stroke="#cccccc"/><text x="{left - 6}" y="{y + 4}" text-anchor="end" '
                     f'fill="#555555">{round(share * 100)}%</text>')  # fmt: skip
    for n, stack in enumerate(stacks):
        x = round(left + slot * n + (slot - bar) / 2, 1)
        middle = round(x + bar / 2, 1)
        bottom: float = top + plot_h
        for k, share in enumerate(stack.shares):
            if share <= 0:
                continue
            h = round(plot_h * share, 1)
            y = round(bottom - h, 1)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{bar}" height="{h}" '
                f'fill="{_fill("balance", k, len(categories))}" stroke="#333333" '
                f'stroke-width="0.5"><title>{escape(stack.label)}: {escape(named[k])} '
                f"{round(share * 100)}%</title></rect>"
            )
            if h >= 16:
                label_y = round(y + h / 2, 1)
                parts.append(
                    f'<rect x="{round(middle - 18, 1)}" y="{round(label_y - 8, 1)}" width="36" '
                    f'height="16" rx="3" fill="#ffffff" opacity="0.9"/>'
                    f'<text x="{middle}" y="{round(label_y + 4, 1)}" text-anchor="middle" '
                    f'fill="#111111">{round(share * 100)}%</text>'
                )
            bottom = y
        if not any(stack.shares):
            parts.append(f'<text x="{middle}" y="{top + plot_h - 6}" text-anchor="middle" '
                         'fill="#555555">none</text>')  # fmt: skip
        parts.append(f'<text x="{middle}" y="{top + plot_h + 18}" text-anchor="middle" '
                     f'fill="#111111">{escape(stack.label)}</text>')  # fmt: skip
        if stack.note:
            parts.append(f'<text x="{middle}" y="{top + plot_h + 34}" text-anchor="middle" '
                         f'fill="#555555">{escape(stack.note)}</text>')  # fmt: skip
    legend_x = width - legend_w + 20
    for k, name in enumerate(named):
        y = top + 20 * k
        parts.append(
            f'<rect x="{legend_x}" y="{y}" width="14" height="14" stroke="#333333" '
            f'stroke-width="0.5" fill="{_fill("balance", k, len(categories))}"/>'
            f'<text x="{legend_x + 20}" y="{y + 11}" fill="#111111">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True, slots=True)
class Load:
    """One quarter of the capacity chart."""

    quarter: str
    planned: float
    """Person-months of the items targeted at it."""
    capacity: float | None
    """None when not declared."""
    items: str
    """The items in it, for the bar's tooltip."""


def capacity(loads: Sequence[Load], title: str) -> Markup:
    """Planned effort per quarter as bars, capacity as a line across each; the part over
    capacity is cross-hatched and labelled."""
    height, left, top, plot_h, slot, bar = 320, 56, 24, 230, 100, 56
    width = max(left + 20 + slot * len(loads), 420)
    ticks = _ticks(max([x.planned for x in loads] + [x.capacity or 0 for x in loads] + [1]))

    def y(v: float) -> float:
        return round(top + plot_h - v / ticks[-1] * plot_h, 1)

    parts = [
        f'<svg class="capacity" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" {FONT} aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        '<defs><pattern id="capacity-over" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect width="8" height="8" fill="#fcbba1"/><path d="M0 0L8 8M8 0L0 8" '
        'stroke="#a50f15" stroke-width="1.2"/></pattern>'
        '<pattern id="capacity-within" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect width="8" height="8" fill="#c6dbef"/><path d="M0 8L8 0" stroke="#08519c" '
        'stroke-width="1"/></pattern></defs>',
    ]
    for t in ticks:
        parts.append(f'<line x1="{left}" y1="{y(t)}" x2="{width - 20}" y2="{y(t)}" '
                     f'stroke="#cccccc"/><text x="{left - 6}" y="{y(t) + 4}" text-anchor="end" '
                     f'fill="#555555">{fmt(t)}</text>')  # fmt: skip
    parts.append(f'<text transform="translate(14 {top + plot_h / 2}) rotate(-90)" '
                 'text-anchor="middle" fill="#555555">person-months</text>')  # fmt: skip
    for n, load in enumerate(loads):
        x = round(left + slot * n + (slot - bar) / 2, 1)
        middle = round(x + bar / 2, 1)
        within = min(load.planned, load.capacity) if load.capacity is not None else load.planned
        tip = f"<title>{escape(load.quarter)}: {escape(load.items)}</title>"
        parts.append(f'<rect x="{x}" y="{y(within)}" width="{bar}" '
                     f'height="{round(y(0) - y(within), 1)}" fill="url(#capacity-within)" '
                     f'stroke="#333333" stroke-width="0.5">{tip}</rect>')  # fmt: skip
        label = f"{fmt(load.planned)} planned"
        if load.capacity is not None and load.planned > load.capacity:
            parts.append(f'<rect x="{x}" y="{y(load.planned)}" width="{bar}" '
                         f'height="{round(y(load.capacity) - y(load.planned), 1)}" '
                         f'fill="url(#capacity-over)" stroke="#a50f15">{tip}</rect>')  # fmt: skip
            label = f"{fmt(load.planned - load.capacity)} over"
        if load.capacity is not None:
            cap_y = y(load.capacity)
            parts.append(f'<line x1="{round(x - 8, 1)}" y1="{cap_y}" x2="{round(x + bar + 8, 1)}" '
                         f'y2="{cap_y}" stroke="#111111" stroke-width="2.5" '
                         f'stroke-dasharray="6 3"/>')  # fmt: skip
        top_y = y(max(load.planned, load.capacity or 0))
        parts.append(f'<text x="{middle}" y="{round(top_y - 6, 1)}" text-anchor="middle" '
                     f'fill="#111111" font-weight="bold">{escape(label)}</text>')  # fmt: skip
        shown = f"capacity {fmt(load.capacity)}" if load.capacity is not None else "no capacity set"
        parts.append(f'<text x="{middle}" y="{top + plot_h + 18}" text-anchor="middle" '
                     f'fill="#111111">{escape(load.quarter)}</text><text x="{middle}" '
                     f'y="{top + plot_h + 34}" text-anchor="middle" fill="#555555">'
                     f"{escape(shown)}</text>")  # fmt: skip
    parts.append(f'<text x="{left}" y="{height - 12}" fill="#555555">Dashed line: capacity. '
                 "Cross-hatched: planned beyond it.</text></svg>")  # fmt: skip
    return Markup("".join(parts))
