"""Poppler draws the pages cleanly, and the cover and badges come out in colour."""

import shutil
import subprocess

import pytest
from PIL import Image

from invictus_desktop.reporting.snapshot import Rag
from invictus_desktop.reporting.styles import MARKING, RAG_SWATCHES

PDFTOPPM = shutil.which("pdftoppm")
pytestmark = pytest.mark.skipif(PDFTOPPM is None, reason="poppler-utils is not installed")

DPI = 50


def page_image(pdf: bytes, page: int, folder) -> Image.Image:
    source = folder / "report.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(
        [PDFTOPPM, "-r", str(DPI), "-f", str(page), "-l", str(page), "-png",
         "-singlefile", str(source), str(folder / "page")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # poppler complains about malformed files
    return Image.open(folder / "page.png").convert("RGB")


def has_colour(image: Image.Image, colour, tolerance: int = 12) -> bool:
    target = tuple(round(channel * 255) for channel in colour.rgb())
    return any(
        all(abs(a - b) <= tolerance for a, b in zip(pixel, target, strict=True))
        for _, pixel in image.getcolors(maxcolors=1 << 20)
    )


def test_the_cover_renders_as_an_a4_page_with_the_marking_banner(school_pdf, tmp_path):
    image = page_image(school_pdf, 1, tmp_path)

    width, height = image.size
    assert abs(width - 595.3 / 72 * DPI) <= 1 and abs(height - 841.9 / 72 * DPI) <= 1
    assert has_colour(image, MARKING)


def test_the_priority_overview_shows_the_three_rag_colours(school, school_pdf, tmp_path):
    findings_page = dict(school.outline())["Findings by SIP priority"] + 1

    image = page_image(school_pdf, findings_page, tmp_path)

    for rag in Rag:
        assert has_colour(image, RAG_SWATCHES[rag].ground), rag


def test_every_page_of_the_board_copy_draws_without_complaint(board, board_pdf, tmp_path):
    source = tmp_path / "board.pdf"
    source.write_bytes(board_pdf)

    result = subprocess.run(
        [PDFTOPPM, "-r", "20", "-png", str(source), str(tmp_path / "page")],
        capture_output=True, text=True, check=False,
    )

    assert result.returncode == 0
    assert result.stderr == ""
    assert len(list(tmp_path.glob("page-*.png"))) == len(board.pages)
