"""Report rendering against reportlab building the same flowables bare.

    python -m bench.report_rendering [--runs 5]

The 40-visit QUAD from the test factory is rendered several times per
figure; the table shows medians. The baseline, measured in the same run, is
the very same story (every paragraph, table and chart of the report) built
with a bare `SimpleDocTemplate`: no page templates, header, footer, held
pages or contents numbering. A third figure shows what the classic two-pass
contents (`TableOfContents` with `multiBuild`) would cost instead of ours.
Targets: within 1.5x of the baseline, under a second in all.
"""

import argparse
from io import BytesIO

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate
from reportlab.platypus.tableofcontents import TableOfContents

from bench.common import Figure, paired_medians, print_table
from invictus_desktop.reporting.audience import Audience, Variant
from invictus_desktop.reporting.flowables import AnchoredParagraph
from invictus_desktop.reporting.layout import FOOTER_ROOM, FRAME_WIDTH, HEADER_ROOM, MARGIN
from invictus_desktop.reporting.pdf import render
from invictus_desktop.reporting.snapshot import ReportSnapshot
from invictus_desktop.reporting.styles import report_styles
from tests.reporting.factory import full_quad

RATIO_TARGET = 1.5
SECONDS_TARGET = 1.0


class _BareCanvas(Canvas):
    """A plain canvas: link targets bound at once, page-number slots left empty."""

    def add_anchor(self, key: str, top: float, *args: object) -> None:
        self.bookmarkHorizontalAbsolute(key, top)

    def add_page_number_slot(self, *args: object, **kwargs: object) -> None:
        pass


class _TwoPassDocument(SimpleDocTemplate):
    """Feeds every heading to a TableOfContents, as the reportlab manual does."""

    def afterFlowable(self, flowable: object) -> None:  # reportlab's hook
        if isinstance(flowable, AnchoredParagraph) and flowable.outline_title:
            entry = (flowable.outline_level, flowable.outline_title, self.page)
            self.notify("TOCEntry", entry)


def _story(snapshot: ReportSnapshot, variant: Variant) -> list:
    from invictus_desktop.reporting.story import build_story

    return build_story(snapshot, Audience(snapshot, variant), FRAME_WIDTH)


def _bare_document(output: BytesIO, document_class: type = SimpleDocTemplate):
    return document_class(
        output,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_ROOM,
        bottomMargin=MARGIN + FOOTER_ROOM,
        invariant=1,
    )


def bare_build(snapshot: ReportSnapshot, variant: Variant) -> bytes:
    """The baseline: the report's own flowables, one plain `build`."""
    output = BytesIO()
    _bare_document(output).build(_story(snapshot, variant), canvasmaker=_BareCanvas)
    return output.getvalue()


def two_pass_build(snapshot: ReportSnapshot, variant: Variant) -> bytes:
    """The same flowables plus a TableOfContents, laid out by `multiBuild`."""
    styles = report_styles()
    contents = TableOfContents(
        levelStyles=[styles.contents_level0, styles.contents_level1], dotsMinLevel=-1
    )
    story = _story(snapshot, variant)
    story.insert(3, contents)

    output = BytesIO()
    _bare_document(output, _TwoPassDocument).multiBuild(story, canvasmaker=_BareCanvas)
    return output.getvalue()


def run(runs: int = 5) -> list[Figure]:
    """The 40-visit report, whole and per page, beside the bare reportlab build."""
    snapshot = full_quad()
    pages = len(PdfReader(BytesIO(render(snapshot))).pages)
    figures = []
    for variant, label in ((Variant.SCHOOL, "school copy"), (Variant.BOARD, "Board copy")):
        seconds, baseline = paired_medians(
            lambda variant=variant: render(snapshot, variant),
            lambda variant=variant: bare_build(snapshot, variant),
            runs,
        )
        figures.append(Figure(f"report render, {label} ({pages} pages)", seconds,
                              "same flowables, bare reportlab", baseline,
                              f"within {RATIO_TARGET}x, under {SECONDS_TARGET:.0f} s"))
        figures.append(Figure(f"  per page, {label}", seconds / pages,
                              "  per page, bare reportlab", baseline / pages))

    seconds, baseline = paired_medians(
        lambda: two_pass_build(snapshot, Variant.SCHOOL),
        lambda: bare_build(snapshot, Variant.SCHOOL),
        runs,
    )
    figures.append(Figure("(rejected) two-pass contents, multiBuild", seconds,
                          "same flowables, bare reportlab", baseline))
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    print_table(run(parser.parse_args().runs))
