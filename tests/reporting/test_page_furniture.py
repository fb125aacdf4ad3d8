"""Header, footer, page numbers, metadata and fonts of the rendered file."""

from dataclasses import replace
from datetime import datetime

import pytest

from invictus_desktop import __version__
from invictus_desktop.reporting.pdf import Variant, render
from tests.reporting.pdf_reading import ReadBack


@pytest.mark.parametrize("copy", ["school", "board"])
def test_every_page_is_numbered_x_of_y(copy, request):
    read = request.getfixturevalue(copy)
    count = len(read.pages)

    for number, text in enumerate(read.pages, start=1):
        assert text.endswith(f"Page {number} of {count}"), f"page {number}"


@pytest.mark.parametrize("copy", ["school", "board"])
def test_every_page_carries_the_reference_and_protective_marking(copy, request, snapshot):
    read = request.getfixturevalue(copy)
    header = f"{snapshot.reference} · version 3 {snapshot.protective_marking}"

    for number, text in enumerate(read.pages, start=1):
        assert text.startswith(header), f"page {number}"


def test_a_custom_protective_marking_is_used_everywhere(snapshot):
    marked = replace(snapshot, protective_marking="OFFICIAL")
    read = ReadBack.of(render(marked, Variant.BOARD))

    header = f"{snapshot.reference} · version 3 OFFICIAL "
    assert all(page.startswith(header) for page in read.pages)
    assert "SENSITIVE" not in read.text


def test_metadata_describes_the_report(board, snapshot):
    info = board.reader.metadata

    assert info.title == (
        "Quality Assurance Day (QUAD) report: Harrowden Park School, Autumn term 2025-26"
    )
    assert info.author == "Dana Whitfield"
    assert info.subject == (
        "Quality Assurance Day (QUAD) report, QUAD-HPS-2025-AUT, version 3 (final), "
        "board copy"
    )
    assert info.creator == f"Invictus QUAD Desktop {__version__}"
    keywords = info["/Keywords"]
    for keyword in (snapshot.reference, snapshot.school.urn, "OFFICIAL-SENSITIVE",
                    "Board copy"):
        assert keyword in keywords
    assert info.creation_date.replace(tzinfo=None) == datetime(2025, 10, 21, 16, 5)


@pytest.mark.parametrize("copy", ["school", "board"])
def test_every_font_is_embedded_dejavu(copy, request):
    read = request.getfixturevalue(copy)
    seen = set()

    for page in read.reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [font])]
            for face in descendants:
                descriptor = face["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor, face["/BaseFont"]
                seen.add(str(face["/BaseFont"]).split("+")[-1])

    assert seen <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique",
                    "DejaVuSans-BoldOblique"}
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= seen


def test_unicode_text_survives(school):
    for text in ("Zoë Müller", "Seán O’Connor", "“I do, we do, you do”", "régime", "naïve",
                 "14–15 October 2025", "café"):
        assert text in school.text


def test_rendering_is_repeatable_to_the_byte(snapshot, school_pdf):
    assert render(snapshot, Variant.SCHOOL) == school_pdf
