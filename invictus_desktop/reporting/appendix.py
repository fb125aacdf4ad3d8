"""Appendix A, the evidence log, and Appendix B, the sources cited."""

from itertools import groupby
from typing import TYPE_CHECKING

from reportlab.platypus import Flowable, PageBreak, Paragraph

from invictus_desktop.reporting.flowables import AnchoredParagraph
from invictus_desktop.reporting.snapshot import Source, VisitRecord
from invictus_desktop.reporting.styles import PANEL, RULE, ZEBRA
from invictus_desktop.reporting.tables import data_table
from invictus_desktop.reporting.text import clock_time, long_date, markup, weekday_date

if TYPE_CHECKING:
    from invictus_desktop.reporting.story import StoryContext

_COLUMNS = ("Time", "Activity", "Teacher", "Subject", "Class", "Observer")
_KEEP_TOGETHER_LINES = 12


def evidence_log(context: "StoryContext") -> list[Flowable]:
    styles = context.styles
    visits = sorted(context.snapshot.visits, key=lambda visit: visit.started_at)
    flowables: list[Flowable] = [PageBreak(), context.heading("Appendix A: Evidence log")]
    if not visits:
        return [*flowables, Paragraph("No activities were recorded.", styles.muted)]

    note = "Every activity of the day in time order, with the observer’s main evidence."
    if context.audience.withholds_names:
        note += " Teachers are not named in this copy; each has a letter throughout."
    flowables.append(Paragraph(note, styles.body))
    flowables.append(_log_table(context, visits))
    return flowables


def _log_table(context: "StoryContext", visits: list[VisitRecord]) -> Flowable:
    styles, width = context.styles, context.frame_width
    audience = context.audience
    rows: list[list] = []
    commands: list[tuple] = []
    several_days = len({visit.started_at.date() for visit in visits}) > 1

    for day, day_visits in groupby(visits, key=lambda visit: visit.started_at.date()):
        day_row = len(rows) + 1
        if several_days:
            row = day_row
            rows.append([Paragraph(markup(weekday_date(day)), styles.cell_bold)] + [""] * 5)
            commands += [
                ("SPAN", (0, row), (-1, row)),
                ("BACKGROUND", (0, row), (-1, row), PANEL),
            ]

        for number, visit in enumerate(day_visits):
            first = len(rows) + 1
            keep_from = day_row if number == 0 else first
            rows.append([
                clock_time(visit.started_at),
                visit.activity,
                audience.teacher(visit.teacher) or "\u2013",
                visit.subject or "\u2013",
                visit.class_name or "\u2013",
                audience.text(visit.observer),
            ])
            for line in visit.evidence_lines:
                row = len(rows) + 1
                text = "\u2013 " + markup(audience.text(line))
                rows.append([Paragraph(text, styles.cell)] + [""] * 5)
                commands += [
                    ("SPAN", (0, row), (-1, row)),
                    ("LEFTPADDING", (0, row), (-1, row), 16),
                    ("TOPPADDING", (0, row), (-1, row), 0),
                    ("BOTTOMPADDING", (0, row), (-1, row), 1.5),
                ]
            last = len(rows)
            commands += [
                ("BOTTOMPADDING", (0, first), (-1, first), 2),
                ("BOTTOMPADDING", (0, last), (-1, last), 5),
                ("LINEBELOW", (0, last), (-1, last), 0.4, RULE),
            ]
            if number % 2:
                commands.append(("BACKGROUND", (0, first), (-1, last), ZEBRA))
            if len(visit.evidence_lines) <= _KEEP_TOGETHER_LINES:
                # A visit's details stay with its evidence (and a day's heading
                # with its first visit); only a very long visit may break.
                commands.append(("NOSPLIT", (0, keep_from), (-1, last)))

    return data_table(
        _COLUMNS,
        rows,
        [40, 82, 88, 84, 52, width - 346],
        styles,
        extra_style=commands,
        zebra=False,
        rule_every_row=False,
        # Its rows are single lines kept together per visit (NOSPLIT), which
        # reportlab's in-row splitting does not respect.
        split_inside_rows=False,
    )


def sources_cited(context: "StoryContext") -> list[Flowable]:
    styles = context.styles
    numbered = context.references.numbered()
    flowables: list[Flowable] = [
        context.heading("Appendix B: Sources cited"),
        Paragraph(
            "The records each numbered reference in the findings points to.", styles.body
        ),
    ]
    if not numbered:
        return [*flowables, Paragraph("The findings cite no sources.", styles.muted)]

    for number, source in numbered:
        text = markup(_describe(context, source))
        key = context.references.anchor_key(number)
        flowables.append(
            AnchoredParagraph(text, styles.reference, key, bullet_text=f"[{number}]")
        )
    return flowables


def _describe(context: "StoryContext", source: Source) -> str:
    title = context.audience.text(source.title)
    what = f"{source.kind.label}: {title}" if title else source.kind.label
    author = context.audience.text(source.author_name)
    return f"{what}. {author}, {source.author_role}, {long_date(source.on)}."
