"""Long reports paginate cleanly: text and tables flow over pages, headers repeat."""

import re
from io import BytesIO

from pypdf import PdfReader

from invictus_desktop.reporting.pdf import Variant, render
from tests.reporting.factory import full_quad, with_long_texts
from tests.reporting.pdf_reading import ReadBack

EVIDENCE_LOG_HEADER = "Time Activity Teacher Subject Class Observer"
ACTIONS_HEADER = "No. Action Priority Owner Due"


def test_a_forty_visit_quad_runs_to_a_sensible_length(school, snapshot):
    assert len(snapshot.visits) == 40
    assert len(snapshot.priorities) == 5
    assert len(snapshot.actions) == 8
    assert 15 <= len(school.pages) <= 30


def test_no_page_is_left_empty(school):
    for number, text in enumerate(school.pages, start=1):
        body = text.split("OFFICIAL-SENSITIVE", 1)[1].rsplit("School copy", 1)[0]
        assert len(body.split()) > 20, f"page {number} is nearly empty"


def test_the_evidence_log_repeats_its_header_on_every_page_it_spans(school):
    starts = dict(school.outline())

    spanned = range(starts["Appendix A: Evidence log"], starts["Appendix B: Sources cited"])

    assert len(spanned) >= 3
    for index in spanned:
        assert EVIDENCE_LOG_HEADER in school.pages[index], f"page {index + 1}"
        first_row = school.pages[index].split(EVIDENCE_LOG_HEADER, 1)[1]
        # A page starts with a visit (or a day), never with a visit's stray evidence.
        assert re.match(r" (\d\d:\d\d|\w+day) ", first_row), f"page {index + 1}"
    assert all(f"{visit.started_at:%H:%M}" in school.text for visit in full_quad().visits)


def test_huge_texts_run_across_pages_without_layout_errors(snapshot):
    long_snapshot = with_long_texts(snapshot, words=2500)

    read = ReadBack.of(render(long_snapshot, Variant.BOARD))

    sentence = "Consistently, the evidence – café, naïve, “quoted” – was strong."
    pages_with_it = read.pages_containing(sentence)
    assert len(pages_with_it) >= 9  # a paragraph, an action and the response
    assert len(read.pages_containing(ACTIONS_HEADER)) >= 3, "header repeated on each page"
    count = len(read.pages)
    assert all(page.endswith(f"of {count}") for page in read.pages)


def test_a_minimal_specialist_visit_renders_every_empty_section(minimal_snapshot):
    read = ReadBack.of(render(minimal_snapshot, Variant.SCHOOL))

    for wording in (
        "Specialist visit report: Mathematics",
        "No SIP priority was in focus.",
        "This QUAD sets no actions.",
        "The previous QUAD set no actions.",
        "No activities were recorded.",
        "The findings cite no sources.",
        "No safeguarding concerns were raised.",
        "The Headteacher has not responded to this version of the report.",
        "Pupils said “maths < English” & <b>more</b>",
    ):
        assert wording in read.text, wording
    assert len(PdfReader(BytesIO(render(minimal_snapshot, Variant.BOARD))).pages) >= 3
