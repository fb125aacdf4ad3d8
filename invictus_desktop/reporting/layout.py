"""Page templates: the cover and body pages, their header, footer and marking.

Every page carries the reference and the protective marking at the top and
"Page x of y" at the foot. The cover repeats the marking as banners; a draft
carries a DRAFT watermark under its text.
"""

from collections.abc import Callable
from functools import partial
from io import BytesIO

from reportlab.lib.colors import white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from invictus_desktop import __version__
from invictus_desktop.reporting import fonts
from invictus_desktop.reporting.audience import Variant
from invictus_desktop.reporting.cover import report_kind
from invictus_desktop.reporting.paging import HeldPagesCanvas
from invictus_desktop.reporting.snapshot import ReportSnapshot, ReportStatus
from invictus_desktop.reporting.styles import (
    DRAFT_WATERMARK,
    MARKING,
    MUTED,
    NAVY,
    RULE,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
HEADER_ROOM = 14 * mm
FOOTER_ROOM = 12 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN

_BANNER_HEIGHT = 11 * mm


class ReportDocument(BaseDocTemplate):
    """A4 pages: a cover, then body pages, all laid out in a single pass."""

    def __init__(self, output: BytesIO, snapshot: ReportSnapshot, variant: Variant) -> None:
        self.snapshot = snapshot
        self.variant = variant
        super().__init__(
            output,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + HEADER_ROOM,
            bottomMargin=MARGIN + FOOTER_ROOM,
            invariant=1,
            lang="en-GB",
            initialFontName=fonts.REGULAR,
            **document_metadata(snapshot, variant),
        )

        cover_frame = Frame(
            MARGIN, MARGIN + FOOTER_ROOM + _BANNER_HEIGHT, FRAME_WIDTH,
            PAGE_HEIGHT - 2 * MARGIN - HEADER_ROOM - FOOTER_ROOM - 2 * _BANNER_HEIGHT,
            id="cover",
        )
        body_frame = Frame(
            MARGIN, MARGIN + FOOTER_ROOM, FRAME_WIDTH,
            PAGE_HEIGHT - 2 * MARGIN - HEADER_ROOM - FOOTER_ROOM,
            id="body",
        )
        self.addPageTemplates([
            PageTemplate("cover", [cover_frame], onPage=self._draw_cover_furniture,
                         autoNextPageTemplate="body"),
            PageTemplate("body", [body_frame], onPage=self._draw_page_furniture),
        ])

    def beforeDocument(self) -> None:  # reportlab's hook, once the canvas exists
        self.canv.setDateFormatter(_pdf_date_of(self.snapshot))

    def canvas_maker(self) -> partial:
        """The canvas `build` should use: it finishes pages once the count is known."""
        return partial(HeldPagesCanvas, finish_page=self._draw_page_number)

    def _draw_page_furniture(self, canvas: Canvas, _document: BaseDocTemplate) -> None:
        canvas.saveState()
        if self.snapshot.status is ReportStatus.DRAFT:
            _draw_watermark(canvas)
        self._draw_header(canvas)
        canvas.restoreState()

    def _draw_cover_furniture(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        self._draw_page_furniture(canvas, document)
        canvas.saveState()
        marking = self.snapshot.protective_marking
        top = PAGE_HEIGHT - MARGIN - HEADER_ROOM
        _draw_banner(canvas, top - _BANNER_HEIGHT, marking)
        _draw_banner(canvas, MARGIN + FOOTER_ROOM, marking)
        canvas.restoreState()

    def _draw_header(self, canvas: Canvas) -> None:
        snapshot = self.snapshot
        baseline = PAGE_HEIGHT - MARGIN - 4 * mm
        canvas.setFont(fonts.REGULAR, 8.5)
        canvas.setFillColor(NAVY)
        reference = f"{snapshot.reference} \u00b7 version {snapshot.version}"
        canvas.drawString(MARGIN, baseline, reference)
        canvas.setFont(fonts.BOLD, 9.5)
        canvas.setFillColor(MARKING)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, baseline, snapshot.protective_marking)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, baseline - 3 * mm, PAGE_WIDTH - MARGIN, baseline - 3 * mm)

    def _draw_page_number(self, canvas: Canvas, page_number: int, page_count: int) -> None:
        canvas.saveState()
        baseline = MARGIN
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, baseline + 4 * mm, PAGE_WIDTH - MARGIN, baseline + 4 * mm)
        canvas.setFont(fonts.REGULAR, 8)
        canvas.setFillColor(MUTED)
        copy = f"{self.snapshot.school.name} \u00b7 {self.variant.label}"
        canvas.drawString(MARGIN, baseline, copy)
        canvas.drawRightString(
            PAGE_WIDTH - MARGIN, baseline, f"Page {page_number} of {page_count}"
        )
        canvas.restoreState()


def document_metadata(snapshot: ReportSnapshot, variant: Variant) -> dict[str, str]:
    """Title, author, subject, keywords and creator of the PDF file."""
    lead = snapshot.sign_off.signer_name if snapshot.sign_off else (
        snapshot.team[0].name if snapshot.team else ""
    )
    kind = report_kind(snapshot)
    term = f"{snapshot.term} term {snapshot.academic_year}"
    return {
        "title": f"{kind}: {snapshot.school.name}, {term}",
        "author": lead,
        "subject": (
            f"{kind}, {snapshot.reference}, version {snapshot.version} "
            f"({snapshot.status.value}), {variant.label.lower()}"
        ),
        "keywords": ", ".join([
            snapshot.reference, "QUAD", snapshot.school.name, snapshot.school.urn,
            snapshot.protective_marking, variant.label,
        ]),
        "creator": f"Invictus QUAD Desktop {__version__}",
    }


def _pdf_date_of(snapshot: ReportSnapshot) -> Callable[..., str]:
    """The file's creation date: when the report was finalised.

    Everything else about the file is invariant, so a snapshot renders to the
    same bytes every time; a draft keeps reportlab's fixed date for the same
    reason.
    """
    signed = snapshot.sign_off

    def pdf_date(*reportlab_default: int) -> str:
        if signed is None:
            return "D:" + "".join(f"{part:02d}" for part in reportlab_default) + "Z"
        moment = signed.finalised_at
        offset = moment.strftime("%z")
        zone = f"{offset[:3]}'{offset[3:]}'" if offset else ""
        return f"D:{moment:%Y%m%d%H%M%S}{zone}"

    return pdf_date


def _draw_banner(canvas: Canvas, bottom: float, marking: str) -> None:
    canvas.setFillColor(MARKING)
    canvas.rect(MARGIN, bottom, FRAME_WIDTH, _BANNER_HEIGHT - 2 * mm, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont(fonts.BOLD, 15)
    canvas.drawCentredString(PAGE_WIDTH / 2, bottom + 3.2 * mm, marking)


def _draw_watermark(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setFillColor(DRAFT_WATERMARK)
    canvas.setFont(fonts.BOLD, 110)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(50)
    canvas.drawCentredString(0, -40, "DRAFT")
    canvas.restoreState()
