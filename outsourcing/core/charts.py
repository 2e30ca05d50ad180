"""Server-rendered SVG charts: no script, no external asset, readable without colour (points are labelled).

A point without a value is *no data*: the line breaks there (it is never joined over the gap as if the
missing period had been fine) and the gap is labelled."""

from __future__ import annotations

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
