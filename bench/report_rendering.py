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
import statistics
import time
from collections.abc import Callable
from io import BytesIO

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate
from reportlab.platypus.tableofcontents import TableOfContents

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


def paired_medians(
    job: Callable[[], bytes], baseline: Callable[[], bytes], runs: int
) -> tuple[float, float]:
    """Median seconds of `job` and of `baseline`, timed alternately so that a
    noisy neighbour slows both alike."""
    job(), baseline()  # warm: fonts registered, modules imported
    job_times, baseline_times = [], []
    for _ in range(runs):
        job_times.append(_seconds(job))
        baseline_times.append(_seconds(baseline))
    return statistics.median(job_times), statistics.median(baseline_times)


def _seconds(job: Callable[[], bytes]) -> float:
    started = time.perf_counter()
    job()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    snapshot = full_quad()
    pages = len(PdfReader(BytesIO(render(snapshot))).pages)
    figures = [
        ("render(), school copy", lambda: render(snapshot, Variant.SCHOOL), Variant.SCHOOL),
        ("render(), Board copy", lambda: render(snapshot, Variant.BOARD), Variant.BOARD),
        ("two-pass contents (multiBuild)",
         lambda: two_pass_build(snapshot, Variant.SCHOOL), Variant.SCHOOL),
    ]

    print(f"40-visit QUAD, {pages} pages, median of {runs} runs\n")
    header = (
        f"{'figure':34} {'median s':>9} {'per page ms':>12} {'baseline s':>11} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    verdicts = []
    for name, job, variant in figures:
        seconds, baseline = paired_medians(
            job, lambda variant=variant: bare_build(snapshot, variant), runs
        )
        ratio = seconds / baseline
        print(f"{name:34} {seconds:9.3f} {1000 * seconds / pages:12.1f} "
              f"{baseline:11.3f} {ratio:6.2f}")
        if name.startswith("render"):
            verdicts.append(ratio <= RATIO_TARGET and seconds < SECONDS_TARGET)

    met = "met" if all(verdicts) else "MISSED"
    print(f"\nTarget (ratio <= {RATIO_TARGET}, under {SECONDS_TARGET:.0f} s): {met}")


if __name__ == "__main__":
    main()
