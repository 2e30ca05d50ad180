"""The comparison's bar chart: every vendor's note fits inside the picture and the legend wraps instead of
overlapping, whatever the labels' lengths or language."""

from __future__ import annotations

import re

from outsourcing.core.charts import Series, StackedBar, legend_layout, stacked_bar_chart, text_width

LONG = [
    Series("Assessment score", "#111111"),
    Series("Qualification fit", "#222222"),
    Series("Team stability", "#333333"),
    Series("Past performance (SLA attainment)", "#444444"),
    Series("Long-term appraisal", "#555555"),
    Series("以往绩效（SLA 达成率）与长期考核", "#666666"),
]


def _overlap(a, b) -> bool:  # type: ignore[no-untyped-def]
    return a.y == b.y and a.x < b.x + b.width and b.x < a.x + a.width


def test_legend_items_never_overlap_and_stay_inside() -> None:
    items = legend_layout(LONG, left=220, right=632, top=100)
    assert len(items) == len(LONG)
    for i, a in enumerate(items):
        assert a.x + a.width <= 632
        for b in items[i + 1 :]:
            assert not _overlap(a, b), (a, b)
    assert len({item.y for item in items}) > 1  # it wrapped onto more lines


def test_a_label_longer_than_the_line_is_cut_not_spilled() -> None:
    (item,) = legend_layout([Series("x" * 300, "#000")], left=0, right=200, top=0)
    assert item.label.endswith("…") and item.width <= 200


def test_the_picture_is_wide_enough_for_every_note() -> None:
    note = "0.00 (coverage 20 % · insufficient data)"
    svg = stacked_bar_chart(
        [
            StackedBar("华信软件技术有限公司", [30, 20, 10, 5, 5, 0], "70.00 (coverage 100 %)"),
            StackedBar("B", [0] * 6, note),
        ],
        LONG,
        title="Weighted total",
        x_label="points",
    )
    width = float(re.search(r'viewBox="0 0 (\d+)', svg).group(1))  # type: ignore[union-attr]
    note_x = max(float(x) for x in re.findall(r'<text x="([\d.]+)" y="\d+">[\d.]+ \(coverage', svg))
    assert note_x + text_width(note) <= width
    assert svg.count("<rect") == 2 + 2 * 6 + 6  # two backgrounds, a segment per series and bar, six legend keys
    assert "以往绩效" in svg and "&lt;" not in svg
