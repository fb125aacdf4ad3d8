"""A RAG rating is always shown by its word as well as its colour."""

from datetime import UTC, datetime

import pytest
from PySide6.QtGui import QColor, QImage

from invictus_desktop.gui.pages.sip_panel import RATING_COLUMN
from invictus_desktop.gui.rag import RAG_COLOURS, RagBadge, RagTimeline
from invictus_desktop.services.sips import RagEvent
from invictus_desktop.store.vocabulary import Rag

WORDS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green"}


def count_near(image: QImage, colour: str, tolerance: int = 40) -> int:
    """Pixels within `tolerance` (per channel) of `colour`."""
    wanted = QColor(colour)
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if (abs(pixel.red() - wanted.red()) <= tolerance
                    and abs(pixel.green() - wanted.green()) <= tolerance
                    and abs(pixel.blue() - wanted.blue()) <= tolerance):
                count += 1
    return count


def assert_chip_painted(image: QImage, rag: Rag) -> None:
    """The rating's colour is there (dot and outline), and so is its word: the
    text colour appears only where the letters are drawn."""
    colours = RAG_COLOURS[rag]
    assert count_near(image, colours.strong) >= 20, "the rating's colour is missing"
    assert count_near(image, colours.text, tolerance=30) >= 15, "the word is missing"


@pytest.mark.parametrize("rag", list(Rag))
def test_a_badge_says_the_rating_in_words(qtbot, rag):
    badge = RagBadge(rag)
    qtbot.addWidget(badge)
    badge.resize(badge.sizeHint())

    assert badge.text() == WORDS[rag]
    assert badge.accessibleName() == f"Rating: {WORDS[rag]}"
    assert badge.toolTip() == f"Rated {WORDS[rag]}"
    assert badge.sizeHint().width() > badge.fontMetrics().horizontalAdvance(WORDS[rag])
    assert_chip_painted(badge.grab().toImage(), rag)


def test_a_badge_without_a_rating_is_empty(qtbot):
    badge = RagBadge(Rag.RED)
    qtbot.addWidget(badge)

    badge.set_rag(None)

    assert badge.text() == "" and badge.accessibleName() == ""
    assert badge.sizeHint().width() == 0


def test_the_priorities_table_draws_each_rating_as_a_chip_with_its_word(
    qtbot, new_profile, runner
):
    from invictus_desktop.gui.pages.schools import SchoolsPage
    from invictus_desktop.services import schools, sips

    school_id = schools.create_school(new_profile, schools.SchoolDetails("Kinver High"))
    year = sips.academic_year_of(datetime.now().date())
    sip_id = sips.create_sip(new_profile, school_id, year)
    for code, rag in [("P1", Rag.RED), ("P2", Rag.AMBER), ("P3", Rag.GREEN)]:
        sips.add_priority(new_profile, sip_id, sips.PriorityDetails(code, code), rag)
    page = SchoolsPage(new_profile, runner)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    page.page_shown()
    table = page.sip.table
    table.clearSelection()

    for row, rag in enumerate(Rag):
        index = table.model().index(row, RATING_COLUMN)
        assert index.data() == WORDS[rag]
        cell = table.viewport().grab(table.visualRect(index)).toImage()
        assert_chip_painted(cell, rag)


def test_the_timeline_lists_changes_newest_first_in_words(qtbot):
    timeline = RagTimeline()
    qtbot.addWidget(timeline)
    events = [
        RagEvent(datetime(2025, 9, 15, 16, tzinfo=UTC), None, Rag.RED, "Initial rating",
                 "Dana Whitfield"),
        RagEvent(datetime(2026, 3, 2, 16, tzinfo=UTC), Rag.RED, Rag.AMBER,
                 "Worked examples now consistent", "Priya Raman"),
    ]

    timeline.set_events(events)

    assert timeline.summaries() == [
        "2 Mar 2026: Red → Amber, by Priya Raman: Worked examples now consistent",
        "15 Sep 2025: Red, by Dana Whitfield: Initial rating",
    ]
    newest = timeline.entries[0]
    assert [b.text() for b in newest.findChildren(RagBadge)] == ["Red", "Amber"]
    assert newest.accessibleName() == timeline.summaries()[0]

    timeline.clear()
    assert timeline.summaries() == []
