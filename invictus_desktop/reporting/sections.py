"""The report's sections other than the priority findings and appendices."""

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from invictus_desktop.reporting.chart import judgement_chart
from invictus_desktop.reporting.cover import report_kind, status_text
from invictus_desktop.reporting.snapshot import (
    FollowUpStatus,
    Judgement,
    Rag,
    ReportStatus,
)
from invictus_desktop.reporting.styles import RAG_SWATCHES, RULE
from invictus_desktop.reporting.tables import badge, data_table, table_style
from invictus_desktop.reporting.text import (
    date_and_time,
    date_span,
    markup,
    short_date,
    split_paragraphs,
)

if TYPE_CHECKING:
    from invictus_desktop.reporting.story import StoryContext

_FOLLOW_UP_SWATCHES = {
    FollowUpStatus.DONE: RAG_SWATCHES[Rag.GREEN],
    FollowUpStatus.PARTLY: RAG_SWATCHES[Rag.AMBER],
    FollowUpStatus.NOT_YET: RAG_SWATCHES[Rag.RED],
}


def action_number(index: int) -> str:
    """Actions are referred to as A1, A2... throughout the report."""
    return f"A{index + 1}"


def prose(context: "StoryContext", text: str, empty: str = "") -> list[Flowable]:
    """Free text as body paragraphs, names withheld as the copy requires."""
    paragraphs = split_paragraphs(context.audience.text(text))
    if not paragraphs and empty:
        return [Paragraph(markup(empty), context.styles.muted)]
    return [Paragraph(paragraph, context.styles.body) for paragraph in paragraphs]


def executive_summary(context: "StoryContext") -> list[Flowable]:
    return [
        context.heading("Executive summary"),
        *prose(context, context.snapshot.executive_summary, "No summary has been written."),
    ]


def context_and_focus(context: "StoryContext") -> list[Flowable]:
    snapshot, styles = context.snapshot, context.styles
    team = "; ".join(f"{member.name} ({member.role})" for member in snapshot.team)
    kind = report_kind(snapshot).replace(" report", "")
    opening = (
        f"{kind} at {snapshot.school.name}, {snapshot.term} term {snapshot.academic_year}, "
        f"on {date_span(snapshot.visit_dates)}. The team: {team}. "
        f"{len(snapshot.visits)} activities were recorded."
    )
    flowables: list[Flowable] = [
        CondPageBreak(120),
        context.heading("Context and focus"),
        Paragraph(markup(opening), styles.body),
    ]

    for area in snapshot.focus_areas:
        if area.priority_codes:
            link = "Linked SIP priorities: " + ", ".join(area.priority_codes) + "."
        else:
            link = "A focus agreed for this QUAD, not tied to a SIP priority."
        title = markup(context.audience.text(area.title))
        flowables.append(Paragraph(title, styles.heading3))
        flowables.append(Paragraph(markup(link), styles.muted))
        flowables.extend(prose(context, area.context))
    return flowables


def strengths(context: "StoryContext") -> list[Flowable]:
    styles = context.styles
    items = [
        Paragraph(markup(context.audience.text(item)), styles.bullet, bulletText="\u2022")
        for item in context.snapshot.strengths
    ]
    if not items:
        items = [Paragraph("No strengths are recorded.", styles.muted)]
    return [CondPageBreak(100), context.heading("Strengths"), *items]


def evidence_by_focus_area(context: "StoryContext") -> list[Flowable]:
    styles = context.styles
    counts = [
        replace(row, focus_area=context.audience.text(row.focus_area))
        for row in context.snapshot.judgement_counts
    ]
    intro = (
        "How each piece of evidence bears on the school’s own evaluation of the "
        "priority it was gathered for. The same numbers follow in the table."
    )
    width = context.frame_width
    judgements = list(Judgement)
    rows = []
    for row in counts:
        numbers = [row.count(judgement) for judgement in judgements]
        rows.append([row.focus_area, *map(str, numbers), str(sum(numbers))])

    number_columns = len(judgements) + 1
    table = data_table(
        ["Focus area", *(judgement.label for judgement in judgements), "Total"],
        rows,
        [width - 66 * number_columns, *([66] * number_columns)],
        styles,
    )
    return [
        CondPageBreak(300),
        context.heading("Evidence by focus area"),
        Paragraph(markup(intro), styles.body),
        KeepTogether([judgement_chart(counts, width), Spacer(1, 10)]),
        table,
    ]


def actions(context: "StoryContext") -> list[Flowable]:
    styles, width = context.styles, context.frame_width
    rows = [
        [
            Paragraph(action_number(index), styles.cell_bold),
            context.audience.text(action.description),
            action.priority_code or "\u2013",
            context.audience.text(action.owner),
            short_date(action.due_on),
        ]
        for index, action in enumerate(context.snapshot.actions)
    ]
    flowables: list[Flowable] = [CondPageBreak(160), context.heading("Actions")]
    if not rows:
        return [*flowables, Paragraph("This QUAD sets no actions.", styles.muted)]

    intro = "What the school is to do next, by whom and by when."
    return [
        *flowables,
        Paragraph(intro, styles.body),
        data_table(
            ["No.", "Action", "Priority", "Owner", "Due"],
            rows,
            [30, width - 30 - 48 - 104 - 70, 48, 104, 70],
            styles,
        ),
    ]


def previous_actions(context: "StoryContext") -> list[Flowable]:
    styles, width = context.styles, context.frame_width
    previous = context.snapshot.previous_actions
    flowables: list[Flowable] = [
        CondPageBreak(160),
        context.heading("Follow-up of the previous QUAD’s actions"),
    ]
    if not previous:
        return [*flowables, Paragraph("The previous QUAD set no actions.", styles.muted)]

    tally = Counter(action.status for action in previous)
    summary = (
        f"Of {len(previous)} actions set by the previous QUAD, "
        f"{tally[FollowUpStatus.DONE]} are done, {tally[FollowUpStatus.PARTLY]} partly "
        f"done and {tally[FollowUpStatus.NOT_YET]} not yet done."
    )
    rows = [
        [
            context.audience.text(action.description),
            context.audience.text(action.owner),
            short_date(action.due_on),
            badge(action.status.label, _FOLLOW_UP_SWATCHES[action.status], styles, 60),
            context.audience.text(action.note),
        ]
        for action in previous
    ]
    return [
        *flowables,
        Paragraph(markup(summary), styles.body),
        data_table(
            ["Action", "Owner", "Due", "Status", "Note"],
            rows,
            [width * 0.34, width * 0.15, 62, 70, width * 0.51 - 132],
            styles,
        ),
    ]


def headteacher_response(context: "StoryContext") -> list[Flowable]:
    return [
        CondPageBreak(120),
        context.heading("Headteacher’s response"),
        *prose(
            context,
            context.snapshot.headteacher_response,
            "The Headteacher has not responded to this version of the report.",
        ),
    ]


def safeguarding(context: "StoryContext") -> list[Flowable]:
    """Only in the school's copy: concerns go to the safeguarding lead, never the Board."""
    if not context.audience.shows_safeguarding:
        return []

    styles = context.styles
    concerns = context.snapshot.safeguarding_concerns
    flowables: list[Flowable] = [
        CondPageBreak(140),
        context.heading("Safeguarding concerns"),
        Paragraph(
            "This section is printed in the school’s copy only and is never sent to "
            "the Board.",
            styles.muted,
        ),
    ]
    if not concerns:
        flowables.append(Paragraph("No safeguarding concerns were raised.", styles.body))
    for concern in concerns:
        raised = f"Raised {date_and_time(concern.raised_at)} by {concern.raised_by}"
        flowables.append(Paragraph(markup(raised), styles.heading3))
        flowables.extend(prose(context, concern.summary))
        if concern.referred_to:
            referred = f"Referred to {concern.referred_to}."
            flowables.append(Paragraph(markup(referred), styles.muted))
    return flowables


def sign_off(context: "StoryContext") -> list[Flowable]:
    snapshot, styles = context.snapshot, context.styles
    signed = snapshot.sign_off
    if signed and snapshot.status is ReportStatus.FINAL:
        rows = [
            ("Signed by", f"{signed.signer_name}, {signed.signer_role}"),
            ("Finalised", date_and_time(signed.finalised_at)),
        ]
    else:
        rows = [("Signed by", "Not signed: this is a draft and may change.")]
    rows.append(("Version", status_text(snapshot)))

    table = Table(
        [[Paragraph(markup(label), styles.cell_bold), Paragraph(markup(value), styles.cell)]
         for label, value in rows],
        colWidths=[110, context.frame_width - 110],
        hAlign="LEFT",
        style=table_style(
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ),
    )
    return [CondPageBreak(120), context.heading("Sign-off"), table]
