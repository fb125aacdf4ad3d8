"""Every section is there, in order, in the contents, the outline and the pages."""

import re

import pytest

from invictus_desktop.reporting.pdf import Variant, render
from invictus_desktop.reporting.snapshot import ReportStatus
from tests.reporting.factory import full_quad
from tests.reporting.pdf_reading import ReadBack

SAFEGUARDING = "Safeguarding concerns"


def expected_headings(snapshot, with_safeguarding: bool) -> list[str]:
    priorities = [f"{finding.code} {finding.title}" for finding in snapshot.priorities]
    closing = [SAFEGUARDING] if with_safeguarding else []
    return [
        "Executive summary",
        "Context and focus",
        "Strengths",
        "Evidence by focus area",
        "Findings by SIP priority",
        *priorities,
        "Actions",
        "Follow-up of the previous QUAD’s actions",
        "Headteacher’s response",
        *closing,
        "Sign-off",
        "Appendix A: Evidence log",
        "Appendix B: Sources cited",
    ]


@pytest.mark.parametrize("copy", ["school", "board"])
def test_the_outline_lists_every_heading_in_order_on_the_page_it_heads(
    copy, snapshot, request
):
    read = request.getfixturevalue(copy)
    headings = expected_headings(snapshot, with_safeguarding=copy == "school")

    outline = read.outline()

    assert [title for title, _ in outline] == headings
    for title, page in outline:
        assert title in read.pages[page], f"{title!r} is not on page {page + 1}"


def test_the_contents_gives_the_page_each_section_starts_on(school):
    printed = {}
    for line in school.layout_lines(1):
        match = re.fullmatch(r"(.+?)\s{2,}(\d+)", line)
        if match:
            printed[match.group(1)] = int(match.group(2))

    outline = school.outline()

    assert printed == {title: page + 1 for title, page in outline}


def test_the_contents_page_follows_the_cover(school, snapshot):
    assert "Contents" in school.pages[1]
    assert snapshot.school.name in school.pages[0]
    assert "Contents" not in school.pages[0]


def test_the_cover_shows_school_dates_team_version_status_and_marking(school, snapshot):
    cover = school.pages[0]

    for expected in (
        snapshot.school.name,
        snapshot.school.urn,
        snapshot.school.headteacher,
        snapshot.reference,
        "14–15 October 2025",
        "Autumn term 2025-26",
        "FINAL, VERSION 3",
        "21 October 2025 at 16:05 by Dana Whitfield",
        *(member.name for member in snapshot.team),
        *(member.role for member in snapshot.team),
    ):
        assert expected in cover
    assert cover.count(snapshot.protective_marking) >= 3  # header and two banners


def test_each_priority_shows_both_ratings_in_words_and_the_change(school):
    findings = school.text

    assert "P2 Raise attainment of disadvantaged pupils in maths Amber Red" in findings
    assert "P4 Reduce low-level disruption in Key Stage 3 Red Amber" in findings
    assert "The QUAD recommends moving this priority down from Amber to Red." in findings
    assert "The QUAD recommends moving this priority up from Red to Amber." in findings
    assert "The QUAD agrees with the school’s rating of Green." in findings


def test_citations_are_numbered_into_the_sources_appendix(school):
    first_cited = re.findall(r"\[(\d+(?:, \d+)*)\]", school.text)
    numbers = sorted({int(n) for group in first_cited for n in group.split(", ")})
    appendix = school.text.split("Appendix B: Sources cited")[-1]

    assert numbers == list(range(1, len(numbers) + 1))
    for number in numbers:
        assert f"[{number}]" in appendix
    assert "Submitted notes: Summary notes" in appendix


def test_actions_and_their_follow_up_are_tabled(school, snapshot):
    assert "No. Action Priority Owner Due" in school.text
    assert "A8" in school.text
    assert "Action Owner Due Status Note" in school.text
    summary = "Of 6 actions set by the previous QUAD, 2 are done, 2 partly done"
    assert f"{summary} and 2 not yet done." in school.text


def test_a_draft_says_so_on_every_page_and_is_not_signed():
    read = ReadBack.of(render(full_quad(status=ReportStatus.DRAFT), Variant.SCHOOL))

    assert "DRAFT, VERSION 3: NOT FOR CIRCULATION" in read.pages[0]
    assert all("DRAFT" in page for page in read.pages)
    assert "Not signed: this is a draft and may change." in read.text
