"""Colour is accessible and never alone; the chart shows the counts it is given."""

import pytest
from reportlab.lib.colors import black, white

from invictus_desktop.reporting import fonts
from invictus_desktop.reporting.chart import judgement_chart
from invictus_desktop.reporting.priorities import rating_change
from invictus_desktop.reporting.snapshot import Judgement, JudgementCounts, Rag
from invictus_desktop.reporting.styles import (
    JUDGEMENT_SWATCHES,
    RAG_SWATCHES,
    UNRATED_SWATCH,
    contrast_ratio,
    report_styles,
)

WCAG_AA = 4.5


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio(black, white) == pytest.approx(21)
    assert contrast_ratio(white, white) == pytest.approx(1)


@pytest.mark.parametrize(
    "swatch", [*RAG_SWATCHES.values(), UNRATED_SWATCH, *JUDGEMENT_SWATCHES.values()]
)
def test_text_on_every_coloured_ground_meets_aa_contrast(swatch):
    assert contrast_ratio(swatch.text, swatch.ground) >= WCAG_AA


def test_every_rag_has_a_word_as_well_as_a_colour():
    assert [rag.label for rag in Rag] == ["Red", "Amber", "Green"]
    assert set(RAG_SWATCHES) == set(Rag)


@pytest.mark.parametrize(
    ("school", "recommended", "wording"),
    [
        (Rag.AMBER, Rag.RED, "moving this priority down from Amber to Red"),
        (Rag.RED, Rag.GREEN, "moving this priority up from Red to Green"),
        (Rag.GREEN, Rag.GREEN, "agrees with the school’s rating of Green"),
        (None, Rag.AMBER, "has not rated this priority; the QUAD recommends Amber"),
        (Rag.RED, None, "makes no recommendation"),
    ],
)
def test_the_rating_change_is_put_in_words(school, recommended, wording):
    assert wording in rating_change(school, recommended)


def test_every_paragraph_style_uses_an_embedded_face():
    styles = report_styles()
    faces = {fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC}

    for style in vars(styles).values():
        assert style.fontName in faces, style.name
        assert style.bulletFontName in faces, style.name


COUNTS = (
    JudgementCounts("Maths: clarity of concepts", 7, 6, 3, 0),
    JudgementCounts("Reading across the curriculum and a much longer name", 12, 5, 4, 1),
)


def chart_parts(drawing):
    chart, legend = drawing.contents[0], drawing.contents[1]
    return chart, legend


def test_the_chart_has_a_bar_per_focus_area_in_snapshot_order_from_the_top():
    chart, _ = chart_parts(judgement_chart(COUNTS, 480))

    names = chart.categoryAxis.categoryNames
    assert names[-1] == "Maths: clarity of concepts"  # drawn at the top
    assert names[0].startswith("Reading across the\ncurriculum")
    assert chart.categoryAxis.style == "stacked"


def test_the_chart_stacks_one_segment_per_judgement_with_its_count():
    chart, legend = chart_parts(judgement_chart(COUNTS, 480))

    assert chart.data == [
        [12, 7],  # supports, bottom bar first
        [5, 6],
        [4, 3],
        [1, 0],
    ]
    assert [label for _, label in legend.colorNamePairs] == [j.label for j in Judgement]
    assert chart.valueAxis.valueMax >= 22


def test_segment_labels_are_left_off_empty_and_too_narrow_segments():
    chart, _ = chart_parts(judgement_chart(COUNTS, 480))

    assert chart.barLabelFormat(0) == ""
    assert chart.barLabelFormat(7) == "7"


def test_an_empty_chart_says_there_is_no_evidence():
    drawing = judgement_chart((), 480)

    texts = [getattr(node, "text", "") for node in drawing.contents]
    assert "No evidence was recorded against a focus area." in texts


def test_the_report_prints_the_chart_numbers_as_a_table_too(school, snapshot):
    for row in snapshot.judgement_counts:
        counts = [row.count(judgement) for judgement in Judgement]
        line = " ".join(str(n) for n in [*counts, sum(counts)])
        assert f"{row.focus_area} {line}" in school.text
