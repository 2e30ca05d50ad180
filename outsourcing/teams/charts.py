"""Geometry of the server-rendered SVG charts (retention curve, headcount over time)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

LEFT, TOP, WIDTH, HEIGHT = 56, 28, 600, 200


@dataclass
class Chart:
    points: str
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    left: int = LEFT
    top: int = TOP
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


def retention_chart(curve: list[tuple[int, float]], horizon: int = 1095) -> Chart | None:
    """A step line of survival (0–100 %) against days since hire."""
    if not curve:
        return None
    coords = []
    previous_y = None
    for days, survival in curve:
        x = LEFT + WIDTH * days / horizon
        y = TOP + HEIGHT * (1 - survival)
        if previous_y is not None:
            coords.append(f"{x:.1f},{previous_y:.1f}")
        coords.append(f"{x:.1f},{y:.1f}")
        previous_y = y
    x_ticks = [(LEFT + WIDTH * d / horizon, str(d)) for d in (0, 90, 180, 365, 730, 1095)]
    y_ticks = [(TOP + HEIGHT * (1 - p / 100), f"{p}%") for p in (0, 25, 50, 75, 100)]
    return Chart(points=" ".join(coords), x_ticks=x_ticks, y_ticks=y_ticks)


def headcount_chart(series: list[tuple[datetime.date, int]]) -> Chart | None:
    if not series:
        return None
    top_value = max(count for _day, count in series) or 1
    steps = max(len(series) - 1, 1)
    coords = [
        f"{LEFT + WIDTH * i / steps:.1f},{TOP + HEIGHT * (1 - count / top_value):.1f}"
        for i, (_day, count) in enumerate(series)
    ]
    x_ticks = [(LEFT + WIDTH * i / steps, day.isoformat()) for i, (day, _c) in enumerate(series) if i % 3 == 0]
    y_ticks = [(TOP + HEIGHT * (1 - f), str(round(top_value * f))) for f in (0, 0.5, 1)]
    return Chart(points=" ".join(coords), x_ticks=x_ticks, y_ticks=y_ticks)


@dataclass
class BandChart:
    """A line with a shaded band around it (expected value and its 80 % interval)."""

    line: str
    band: str
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    left: int = LEFT
    top: int = TOP
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


def forecast_chart(path: list[tuple[int, float, int, int]]) -> BandChart | None:
    """Expected leavers (line) and the 80 % interval (band) at each month end; `path` = (month, expected, low, high)."""
    if not path:
        return None
    months = max(m for m, *_ in path) or 1
    top_value = max(max(high for *_, high in path), 1)

    def x(month: int) -> float:
        return LEFT + WIDTH * month / months

    def y(value: float) -> float:
        return TOP + HEIGHT * (1 - value / top_value)

    line = " ".join(f"{x(m):.1f},{y(e):.1f}" for m, e, _lo, _hi in path)
    upper = [f"{x(m):.1f},{y(hi):.1f}" for m, _e, _lo, hi in path]
    lower = [f"{x(m):.1f},{y(lo):.1f}" for m, _e, lo, _hi in reversed(path)]
    step = max(1, top_value // 4)
    return BandChart(
        line=line,
        band=" ".join(upper + lower),
        x_ticks=[(x(m), str(m)) for m, *_ in path if m % 3 == 0],
        y_ticks=[(y(v), str(v)) for v in range(0, top_value + 1, step)],
    )
