"""Rendering a report snapshot to PDF bytes.

    pdf_bytes = render(snapshot, Variant.BOARD)

Rendering is pure: the same snapshot and variant give the same bytes (the
PDF's dates and identifiers are fixed), so a finalised report's hash can be
checked by rendering it again. It takes a few hundred milliseconds for a
long report; call it from a worker, not the GUI thread.
"""

from io import BytesIO

from invictus_desktop.reporting.audience import Audience, Variant
from invictus_desktop.reporting.layout import FRAME_WIDTH, ReportDocument
from invictus_desktop.reporting.snapshot import ReportSnapshot
from invictus_desktop.reporting.story import build_story

__all__ = ["Variant", "render"]


def render(snapshot: ReportSnapshot, variant: Variant = Variant.SCHOOL) -> bytes:
    """The report as PDF bytes, in the school's or the Board's version."""
    story = build_story(snapshot, Audience(snapshot, variant), FRAME_WIDTH)

    output = BytesIO()
    document = ReportDocument(output, snapshot, variant)
    document.build(story, canvasmaker=document.canvas_maker())
    return output.getvalue()
