"""Server-rendered SVG charts: no script, no external asset, readable without colour (points are labelled).

A point without a value is *no data*: the line breaks there (it is never joined over the gap as if the
missing period had been fine) and the gap is labelled."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .numbers import display


@dataclass(frozen=True)
class Point:
    label: str  # the x-axis label of this point, e.g. "2026-03"
    value: float | None  # None: no data for this point
    alert: bool = False  # drawn in red with the word "alert" in its tooltip (e.g. a breached service level)


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    x_label: str,
    y_label: str,
    y_min: float = 0.0,
    y_max: float | None = None,
    bands: Sequence[tuple[float, str]] = (),
    width: int = 640,
    height: int = 260,
    no_data: str = "no data",
) -> SafeString:
    """A line chart with a title, labelled axes and optional horizontal threshold lines `(value, label)`."""
    left, right, top, bottom = 56, 16, 34, 46
    inner_w, inner_h = width - left - right, height - top - bottom
    known = [p.value for p in points if p.value is not None]
    top_value = y_max if y_max is not None else max([*known, y_min + 1])
    span = (top_value - y_min) or 1.0

    def x(i: int) -> float:
        return left + (inner_w * (i + 0.5) / max(len(points), 1))

    def y(value: float) -> float:
        return top + inner_h - (value - y_min) / span * inner_h

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<text class="title" x="{left}" y="18">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + inner_h}" x2="{left + inner_w}" y2="{top + inner_h}" stroke="#9aa5b1"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + inner_h}" stroke="#9aa5b1"/>',
    ]
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        value = y_min + span * fraction
        parts.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:g}</text>'
            f'<line x1="{left}" y1="{y(value):.1f}" x2="{left + inner_w}" y2="{y(value):.1f}" stroke="#eef1f4"/>'
        )
    for value, label in bands:
        parts.append(
            f'<line x1="{left}" y1="{y(value):.1f}" x2="{left + inner_w}" y2="{y(value):.1f}" '
            f'stroke="#d99000" stroke-dasharray="4 3"/>'
            f'<text x="{left + inner_w - 2}" y="{y(value) - 3:.1f}" text-anchor="end">{escape(label)}</text>'
        )
    if points:
        segments: list[str] = []
        pen_down = False
        for i, p in enumerate(points):
            if p.value is None:
                pen_down = False  # a gap: the next known point starts a new stroke
                continue
            segments.append(f"{'L' if pen_down else 'M'}{x(i):.1f},{y(p.value):.1f}")
            pen_down = True
        if segments:
            parts.append(f'<path d="{" ".join(segments)}" fill="none" stroke="#2f6fae" stroke-width="2"/>')
        step = max(1, len(points) // 8)
        for i, p in enumerate(points):
            if p.value is None:
                parts.append(
                    f'<text class="no-data" x="{x(i):.1f}" y="{top + inner_h - 6}" text-anchor="middle" '
                    f'fill="#6b7785">×<title>{escape(p.label)}: {escape(no_data)}</title></text>'
                )
            else:
                colour = "#c62828" if p.alert else "#2f6fae"
                parts.append(
                    f'<circle cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="3.5" fill="{colour}">'
                    f"<title>{escape(p.label)}: {escape(display(p.value))}</title></circle>"
                )
            if i % step == 0:
                parts.append(
                    f'<text x="{x(i):.1f}" y="{top + inner_h + 16}" text-anchor="middle">{escape(p.label)}</text>'
                )
    parts.append(f'<text x="{left + inner_w / 2:.1f}" y="{height - 6}" text-anchor="middle">{escape(x_label)}</text>')
    parts.append(
        f'<text x="14" y="{top + inner_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + inner_h / 2:.1f})">{escape(y_label)}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


# A text's width in the SVG, estimated from its characters at the charts' 11 px font (CSS `.chart text`): a
# wide (CJK) character is a full em, any other at most 0.66 em — generous, so that what is laid out side by side
# by these estimates never overlaps on screen.
FONT_PX = 11.0


def text_width(text: str, size: float = FONT_PX) -> float:
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.66 for ch in text)


def clip(text: str, width: float) -> str:
    """`text` cut (with "…") to fit `width` pixels."""
    if text_width(text) <= width:
        return text
    while text and text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


@dataclass(frozen=True)
class Series:
    label: str
    colour: str


@dataclass(frozen=True)
class StackedBar:
    label: str  # the row's name, e.g. a vendor
    values: Sequence[float]  # one per series, in the series' order (0 where there is nothing to stack)
    note: str  # written after the bar, e.g. "86.66 (coverage 100 %)"


@dataclass(frozen=True)
class LegendItem:
    x: float
    y: float
    width: float
    label: str
    colour: str


def legend_layout(series: Sequence[Series], *, left: float, right: float, top: float) -> list[LegendItem]:
    """Legend items flowed left to right and wrapped onto a new line when the next would pass `right`: never
    two on top of each other, whatever the labels' lengths or language."""
    items: list[LegendItem] = []
    x, y = left, top
    for entry in series:
        label = clip(entry.label, right - left - 14)
        width = 14 + text_width(label)
        if x > left and x + width > right:
            x, y = left, y + 18
        items.append(LegendItem(x, y, width, label, entry.colour))
        x += width + 18
    return items


def stacked_bar_chart(
    bars: Sequence[StackedBar],
    series: Sequence[Series],
    *,
    title: str,
    x_label: str,
    x_max: float = 100.0,
) -> SafeString:
    """Horizontal stacked bars (one per row, a segment per series) on a 0 … `x_max` scale, each with its note
    after it, the axis, its label and a legend that wraps instead of overlapping."""
    label_w = min(220.0, max([text_width(b.label) for b in bars] + [60.0]) + 12)
    bar_left, bar_w = label_w, 360.0
    note_w = max([text_width(b.note) for b in bars] + [0.0])
    width = max(640.0, bar_left + bar_w + 8 + note_w + 8)
    top = 30
    axis_y = top + len(bars) * 26 + 12
    legend = legend_layout(series, left=bar_left, right=width - 8, top=axis_y + 36)
    height = (legend[-1].y if legend else axis_y + 20) + 12
    scale = bar_w / x_max
    parts = [
        f'<svg class="chart chart-bars" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<text class="title" x="0" y="14">{escape(title)}</text>',
    ]
    for index, bar in enumerate(bars):
        y = top + index * 26
        parts.append(
            f'<text x="0" y="{y + 12}">{escape(clip(bar.label, label_w - 12))}<title>{escape(bar.label)}</title></text>'
        )
        parts.append(f'<rect x="{bar_left}" y="{y}" width="{bar_w}" height="16" fill="#e8edf2"></rect>')
        x = bar_left
        for entry, value in zip(series, bar.values, strict=True):
            segment = max(0.0, value) * scale
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{segment:.1f}" height="16" fill="{entry.colour}">'
                f"<title>{escape(bar.label)} · {escape(entry.label)}: {escape(display(value))}</title></rect>"
            )
            x += segment
        parts.append(f'<text x="{bar_left + bar_w + 8}" y="{y + 12}">{escape(bar.note)}</text>')
    for tick in range(0, 6):
        value = x_max * tick / 5
        parts.append(f'<text x="{bar_left + value * scale:.0f}" y="{axis_y}" text-anchor="middle">{value:g}</text>')
    parts.append(
        f'<text x="{bar_left + bar_w / 2:.0f}" y="{axis_y + 16}" text-anchor="middle">{escape(x_label)}</text>'
    )
    for item in legend:
        parts.append(
            f'<rect x="{item.x:.0f}" y="{item.y - 9:.0f}" width="10" height="10" fill="{item.colour}"></rect>'
            f'<text x="{item.x + 14:.0f}" y="{item.y:.0f}">{escape(item.label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
