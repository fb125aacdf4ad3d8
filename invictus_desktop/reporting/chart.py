"""The bar chart of evidence judgements by focus area.

One stacked bar per focus area, a segment per judgement, its count printed
inside when there is room. Bars keep the snapshot's order from the top. The
legend names every colour, and the report prints the same numbers in a table
under the chart, so nothing depends on telling colours apart.
"""

import textwrap
from collections.abc import Callable, Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String

from invictus_desktop.reporting import fonts
from invictus_desktop.reporting.snapshot import Judgement, JudgementCounts
from invictus_desktop.reporting.styles import INK, JUDGEMENT_SWATCHES, MUTED, RULE

_BAR_PITCH = 30
_LABEL_COLUMN = 150
_LEGEND_ROOM = 34
_AXIS_ROOM = 22
_LABEL_WRAP = 26
_MIN_SEGMENT_FOR_LABEL = 14


def judgement_chart(counts: Sequence[JudgementCounts], width: float) -> Drawing:
    """A drawing `width` points wide of the judgement counts per focus area."""
    judgements = list(Judgement)
    rows = list(reversed(counts))  # the chart draws its first category at the bottom
    plot_height = max(1, len(rows)) * _BAR_PITCH
    drawing = Drawing(width, plot_height + _LEGEND_ROOM + _AXIS_ROOM + 8)
    drawing.initialFontName = fonts.REGULAR  # else the renderer selects Helvetica first

    chart = HorizontalBarChart()
    chart.x = _LABEL_COLUMN
    chart.y = _LEGEND_ROOM + _AXIS_ROOM
    chart.width = width - _LABEL_COLUMN - 12
    chart.height = plot_height
    chart.data = [[row.count(judgement) for row in rows] for judgement in judgements]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.categoryNames = [_wrapped(row.focus_area) for row in rows]
    chart.barWidth = _BAR_PITCH * 0.62
    chart.groupSpacing = _BAR_PITCH * 0.38
    _style_axes(chart, max((_total(row) for row in rows), default=0))
    _style_bars(chart, judgements, plot_height)

    drawing.add(chart)
    drawing.add(_legend(judgements, width))
    if not rows:
        drawing.add(_no_evidence_note(chart))
    return drawing


def _style_axes(chart: HorizontalBarChart, largest_total: int) -> None:
    category_axis = chart.categoryAxis
    category_axis.labels.fontName = fonts.REGULAR
    category_axis.labels.fontSize = 8
    category_axis.labels.fillColor = INK
    category_axis.labels.boxAnchor = "e"
    category_axis.labels.textAnchor = "end"
    category_axis.labels.dx = -6
    category_axis.strokeColor = RULE
    category_axis.tickLeft = 0

    value_axis = chart.valueAxis
    value_axis.valueMin = 0
    step = _tick_step(max(4, largest_total))
    value_axis.valueStep = step
    value_axis.valueMax = -(-max(4, largest_total) // step) * step
    value_axis.labels.fontName = fonts.REGULAR
    value_axis.labels.fontSize = 8
    value_axis.labels.fillColor = MUTED
    value_axis.labelTextFormat = "%d"
    value_axis.strokeColor = RULE
    value_axis.visibleGrid = True
    value_axis.gridStrokeColor = RULE
    value_axis.gridStrokeWidth = 0.4


def _style_bars(
    chart: HorizontalBarChart, judgements: list[Judgement], plot_height: float
) -> None:
    chart.bars.strokeColor = None
    chart.barLabelFormat = _segment_label(chart)
    chart.barLabels.fontName = fonts.BOLD
    chart.barLabels.fontSize = 7.5
    chart.barLabels.boxAnchor = "c"
    chart.barLabels.boxTarget = "mid"
    for series, judgement in enumerate(judgements):
        swatch = JUDGEMENT_SWATCHES[judgement]
        chart.bars[series].fillColor = swatch.ground
        chart.barLabels[series].fillColor = swatch.text


def _segment_label(chart: HorizontalBarChart) -> Callable[[float], str]:
    """Prints a segment's count when the segment is wide enough to hold it."""

    def label(value: float) -> str:
        scale = chart.width / max(1, chart.valueAxis.valueMax)
        return f"{value:.0f}" if value and value * scale >= _MIN_SEGMENT_FOR_LABEL else ""

    return label


def _legend(judgements: list[Judgement], width: float) -> Legend:
    legend = Legend()
    legend.x = _LABEL_COLUMN
    legend.y = 14
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.variColumn = 1  # each entry as wide as its words, then a fixed gap
    legend.deltax = 26
    legend.autoXPadding = 26
    legend.dx = 9
    legend.dy = 9
    legend.dxTextSpace = 5
    legend.fontName = fonts.REGULAR
    legend.fontSize = 8
    legend.fillColor = INK
    legend.strokeColor = None
    legend.colorNamePairs = [
        (JUDGEMENT_SWATCHES[judgement].ground, judgement.label) for judgement in judgements
    ]
    return legend


def _no_evidence_note(chart: HorizontalBarChart) -> String:
    return String(
        chart.x + chart.width / 2,
        chart.y + chart.height / 2,
        "No evidence was recorded against a focus area.",
        fontName=fonts.REGULAR,
        fontSize=9,
        fillColor=MUTED,
        textAnchor="middle",
    )


def _wrapped(name: str) -> str:
    lines = textwrap.wrap(name, _LABEL_WRAP) or [""]
    if len(lines) > 2:
        rest = textwrap.shorten(" ".join(lines[1:]), _LABEL_WRAP, placeholder="…")
        lines = [lines[0], rest]
    return "\n".join(lines)


def _tick_step(largest: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if largest / step <= 8:
            return step
    return max(1, largest // 8)


def _total(counts: JudgementCounts) -> int:
    return sum(counts.count(judgement) for judgement in Judgement)
