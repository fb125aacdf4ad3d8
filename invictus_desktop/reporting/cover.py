"""The cover page: whose report, when, by whom, which version, how marked.

The protective marking is drawn as banners by the cover's page template
(layout.py); this module supplies the flowables in between.
"""

from typing import TYPE_CHECKING

from reportlab.lib.colors import white
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from invictus_desktop.reporting.audience import Variant
from invictus_desktop.reporting.snapshot import ReportSnapshot, ReportStatus, ReviewKind
from invictus_desktop.reporting.styles import DRAFT_SWATCH, NAVY, RULE, Swatch
from invictus_desktop.reporting.tables import badge, data_table, table_style
from invictus_desktop.reporting.text import date_and_time, date_span, markup

if TYPE_CHECKING:
    from invictus_desktop.reporting.story import StoryContext

_LABEL_WIDTH = 120


def report_kind(snapshot: ReportSnapshot) -> str:
    """The report's kind as printed, e.g. "Specialist visit report: Mathematics"."""
    if snapshot.kind is ReviewKind.SPECIALIST_VISIT:
        subject = f": {snapshot.subject}" if snapshot.subject else ""
        return f"Specialist visit report{subject}"
    return "Quality Assurance Day (QUAD) report"


def status_text(snapshot: ReportSnapshot) -> str:
    if snapshot.status is ReportStatus.FINAL:
        return f"Final, version {snapshot.version}"
    return f"Draft, version {snapshot.version}: not for circulation"


def cover_page(context: "StoryContext") -> list[Flowable]:
    snapshot, styles = context.snapshot, context.styles
    school = snapshot.school

    return [
        Spacer(1, 30),
        Paragraph(markup(report_kind(snapshot)), styles.cover_kicker),
        Paragraph(markup(school.name), styles.cover_title),
        Paragraph(
            markup(f"{snapshot.term} term {snapshot.academic_year} \u00b7 "
                   f"{date_span(snapshot.visit_dates)}"),
            styles.cover_subtitle,
        ),
        _status_badge(snapshot, context),
        Spacer(1, 16),
        _details(context),
        Spacer(1, 18),
        Paragraph("Inspection team", styles.heading3),
        data_table(
            ["Name", "Role"],
            [[member.name, member.role] for member in snapshot.team],
            [context.frame_width * 0.45, context.frame_width * 0.55],
            styles,
        ),
    ]


def _status_badge(snapshot: ReportSnapshot, context: "StoryContext") -> Table:
    final = snapshot.status is ReportStatus.FINAL
    swatch = Swatch(NAVY, white) if final else DRAFT_SWATCH
    return badge(status_text(snapshot).upper(), swatch, context.styles, 300)


def _details(context: "StoryContext") -> Table:
    snapshot, styles = context.snapshot, context.styles
    school = snapshot.school
    rows = [
        ("Reference", snapshot.reference),
        ("School URN", school.urn),
        ("Headteacher", school.headteacher),
        ("Dates", date_span(snapshot.visit_dates)),
        ("Version", status_text(snapshot)),
        ("Copy", _copy_note(context.audience.variant)),
        ("Protective marking", snapshot.protective_marking),
    ]
    if snapshot.sign_off:
        sign_off = snapshot.sign_off
        rows.append((
            "Finalised",
            f"{date_and_time(sign_off.finalised_at)} by {sign_off.signer_name}, "
            f"{sign_off.signer_role}",
        ))

    table = Table(
        [
            [Paragraph(markup(label), styles.cover_label),
             Paragraph(markup(value), styles.cover_value)]
            for label, value in rows
        ],
        colWidths=[_LABEL_WIDTH, context.frame_width - _LABEL_WIDTH],
        hAlign="LEFT",
    )
    table.setStyle(table_style(
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ))
    return table


def _copy_note(variant: Variant) -> str:
    if variant is Variant.BOARD:
        return ("Board copy: teacher and pupil names are withheld and safeguarding "
                "concerns are left out.")
    return ("School copy: names staff, and includes any safeguarding concerns. "
            "Not for wider circulation.")
