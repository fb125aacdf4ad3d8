"""Colours and paragraph styles of the report.

Colour never carries meaning alone: a RAG badge prints its word, chart bars
have a legend and a table of the same numbers. Text on a coloured ground is
chosen to meet WCAG AA contrast (4.5:1); `contrast_ratio` lets tests hold us
to it.
"""

from dataclasses import dataclass
from functools import cache

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from invictus_desktop.reporting import fonts
from invictus_desktop.reporting.snapshot import Judgement, Rag

INK = HexColor("#1A1A1A")
NAVY = HexColor("#1F3A5F")
MUTED = HexColor("#56606B")
RULE = HexColor("#C5CDD6")
PANEL = HexColor("#EEF2F6")
ZEBRA = HexColor("#F6F8FA")
MARKING = HexColor("#8E1B1B")
DRAFT_WATERMARK = HexColor("#E4E7EB")


@dataclass(frozen=True)
class Swatch:
    """A ground colour and the text colour that reads on it."""

    ground: Color
    text: Color


RAG_SWATCHES = {
    Rag.RED: Swatch(HexColor("#B3261E"), white),
    Rag.AMBER: Swatch(HexColor("#F2A900"), INK),
    Rag.GREEN: Swatch(HexColor("#1E7034"), white),
}
UNRATED_SWATCH = Swatch(HexColor("#D9DDE2"), INK)
DRAFT_SWATCH = Swatch(HexColor("#F2A900"), INK)

# Okabe-Ito hues: told apart with the common colour-vision deficiencies.
JUDGEMENT_SWATCHES = {
    Judgement.SUPPORTS: Swatch(HexColor("#0072B2"), white),
    Judgement.PARTLY_SUPPORTS: Swatch(HexColor("#E69F00"), INK),
    Judgement.CONTRADICTS: Swatch(HexColor("#D55E00"), INK),
    Judgement.NOT_RELEVANT: Swatch(HexColor("#BDBDBD"), INK),
}


def css_hex(colour: Color) -> str:
    """#rrggbb, as paragraph markup wants it."""
    return "#" + colour.hexval()[2:]


def contrast_ratio(first: Color, second: Color) -> float:
    """WCAG 2 contrast ratio between two colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: Color) -> float:
    def linear(channel: float) -> float:
        if channel <= 0.03928:
            return channel / 12.92
        return ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = colour.rgb()
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


@dataclass(frozen=True)
class ReportStyles:
    """Every paragraph style the report uses, all in the embedded typeface."""

    body: ParagraphStyle
    bullet: ParagraphStyle
    muted: ParagraphStyle
    heading1: ParagraphStyle
    heading2: ParagraphStyle
    heading3: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    badge: ParagraphStyle
    contents_title: ParagraphStyle
    contents_level0: ParagraphStyle
    contents_level1: ParagraphStyle
    contents_page: ParagraphStyle
    cover_kicker: ParagraphStyle
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    cover_label: ParagraphStyle
    cover_value: ParagraphStyle
    marking_banner: ParagraphStyle
    reference: ParagraphStyle


@cache
def report_styles() -> ReportStyles:
    fonts.register_fonts()
    body = ParagraphStyle(
        "body",
        fontName=fonts.REGULAR,
        fontSize=9.5,
        leading=13.5,
        textColor=INK,
        spaceAfter=6,
        bulletFontName=fonts.REGULAR,
    )
    heading1 = ParagraphStyle(
        "heading1",
        parent=body,
        fontName=fonts.BOLD,
        fontSize=16,
        leading=20,
        textColor=NAVY,
        spaceBefore=16,
        spaceAfter=10,
        keepWithNext=1,
    )
    heading2 = ParagraphStyle(
        "heading2",
        parent=heading1,
        fontSize=12.5,
        leading=16,
        spaceBefore=12,
        spaceAfter=6,
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11, spaceAfter=0)
    contents_level0 = ParagraphStyle(
        "contents_level0", parent=body, fontName=fonts.BOLD, spaceBefore=5, spaceAfter=1
    )
    cover_value = ParagraphStyle("cover_value", parent=body, fontSize=10.5, leading=14)

    return ReportStyles(
        body=body,
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=3),
        muted=ParagraphStyle(
            "muted", parent=body, fontSize=8.5, leading=11.5, textColor=MUTED
        ),
        heading1=heading1,
        heading2=heading2,
        heading3=ParagraphStyle(
            "heading3", parent=heading2, fontSize=10.5, leading=14, textColor=INK,
            spaceBefore=8, spaceAfter=3,
        ),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=fonts.BOLD),
        cell_head=ParagraphStyle(
            "cell_head", parent=cell, fontName=fonts.BOLD, textColor=white
        ),
        badge=ParagraphStyle(
            "badge", parent=cell, fontName=fonts.BOLD, fontSize=9, alignment=TA_CENTER
        ),
        contents_title=ParagraphStyle("contents_title", parent=heading1),
        contents_level0=contents_level0,
        contents_level1=ParagraphStyle(
            "contents_level1", parent=body, leftIndent=14, spaceBefore=0, spaceAfter=1
        ),
        contents_page=ParagraphStyle(
            "contents_page", parent=body, alignment=TA_RIGHT, spaceAfter=1
        ),
        cover_kicker=ParagraphStyle(
            "cover_kicker", parent=body, fontName=fonts.BOLD, fontSize=11, leading=14,
            textColor=MUTED, spaceAfter=4,
        ),
        cover_title=ParagraphStyle(
            "cover_title", parent=heading1, fontSize=26, leading=31, spaceAfter=6
        ),
        cover_subtitle=ParagraphStyle(
            "cover_subtitle", parent=body, fontSize=14, leading=18, textColor=NAVY,
            spaceAfter=18,
        ),
        cover_label=ParagraphStyle(
            "cover_label", parent=cover_value, fontName=fonts.BOLD, textColor=MUTED
        ),
        cover_value=cover_value,
        marking_banner=ParagraphStyle(
            "marking_banner", parent=body, fontName=fonts.BOLD, fontSize=15, leading=19,
            textColor=white, alignment=TA_CENTER, spaceAfter=0,
        ),
        reference=ParagraphStyle(
            "reference", parent=body, fontSize=8.5, leading=11.5, leftIndent=28,
            bulletIndent=0, spaceAfter=3,
        ),
    )
