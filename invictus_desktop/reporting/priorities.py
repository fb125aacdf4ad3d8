"""Findings per SIP priority: ratings, why, evidence with references, progress."""

from typing import TYPE_CHECKING

from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table

from invictus_desktop.reporting.sections import action_number, prose
from invictus_desktop.reporting.snapshot import EvidenceParagraph, PriorityFinding, Rag
from invictus_desktop.reporting.styles import PANEL
from invictus_desktop.reporting.tables import data_table, rag_badge, table_style
from invictus_desktop.reporting.text import markup, split_paragraphs

if TYPE_CHECKING:
    from invictus_desktop.reporting.story import StoryContext

_RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}


def findings(context: "StoryContext") -> list[Flowable]:
    snapshot, styles = context.snapshot, context.styles
    flowables: list[Flowable] = [
        CondPageBreak(300),
        context.heading("Findings by SIP priority"),
        Paragraph(
            "Each SIP priority in this QUAD’s focus: the school’s own rating, the rating "
            "the QUAD recommends and why, the evidence, and progress since the last QUAD. "
            "Numbers in brackets refer to the sources listed in Appendix B.",
            styles.body,
        ),
    ]
    if not snapshot.priorities:
        return [*flowables, Paragraph("No SIP priority was in focus.", styles.muted)]

    flowables.append(_overview(context))
    for finding in snapshot.priorities:
        flowables.extend(_finding(context, finding))
    return flowables


def rating_change(school: Rag | None, recommended: Rag | None) -> str:
    """The recommendation in words, so that no reader depends on colour."""
    if recommended is None:
        return "The QUAD makes no recommendation on this priority’s rating."
    if school is None:
        return (
            "The school has not rated this priority; "
            f"the QUAD recommends {recommended.label}."
        )
    if school is recommended:
        return f"The QUAD agrees with the school’s rating of {school.label}."
    direction = "down" if _RAG_ORDER[recommended] < _RAG_ORDER[school] else "up"
    return (
        f"The QUAD recommends moving this priority {direction} from {school.label} "
        f"to {recommended.label}."
    )


def _overview(context: "StoryContext") -> Table:
    styles, width = context.styles, context.frame_width
    rows = [
        [
            Paragraph(markup(finding.code), styles.cell_bold),
            context.audience.text(finding.title),
            rag_badge(finding.school_rag, styles),
            rag_badge(finding.recommended_rag, styles),
        ]
        for finding in context.snapshot.priorities
    ]
    return data_table(
        ["Code", "Priority", "School’s rating", "QUAD recommends"],
        rows,
        [44, width - 44 - 2 * 92, 92, 92],
        styles,
        zebra=False,
    )


def _finding(context: "StoryContext", finding: PriorityFinding) -> list[Flowable]:
    styles = context.styles
    title = f"{finding.code} {context.audience.text(finding.title)}"
    flowables: list[Flowable] = [
        CondPageBreak(260),
        context.heading(title, level=1),
        _ratings_panel(context, finding),
        Paragraph("Why", styles.heading3),
        *prose(context, finding.rag_rationale, "No reason is given."),
        Paragraph("Evidence", styles.heading3),
    ]

    if not finding.evidence:
        flowables.append(Paragraph("No evidence is recorded.", styles.muted))
    for paragraph in finding.evidence:
        flowables.extend(_evidence(context, paragraph))

    flowables.append(Paragraph("Progress since the last QUAD", styles.heading3))
    flowables.extend(prose(context, finding.progress_since_last, "Not reported."))

    linked = [
        action_number(index)
        for index, action in enumerate(context.snapshot.actions)
        if action.priority_code == finding.code
    ]
    if linked:
        note = "Actions for this priority: " + ", ".join(linked) + " (see Actions)."
        flowables.append(Paragraph(markup(note), styles.muted))
    return flowables


def _ratings_panel(context: "StoryContext", finding: PriorityFinding) -> Table:
    styles = context.styles
    label, value = styles.cell_bold, styles.cell
    change = rating_change(finding.school_rag, finding.recommended_rag)
    table = Table(
        [
            [
                Paragraph("School’s rating", label),
                rag_badge(finding.school_rag, styles),
                Paragraph("QUAD recommends", label),
                rag_badge(finding.recommended_rag, styles),
            ],
            [Paragraph(markup(change), value), "", "", ""],
        ],
        colWidths=[98, 84, 112, context.frame_width - 294],
        hAlign="LEFT",
    )
    table.setStyle(table_style(
        ("BACKGROUND", (0, 0), (-1, -1), PANEL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("SPAN", (0, 1), (-1, 1)),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
    ))
    return table


def _evidence(context: "StoryContext", paragraph: EvidenceParagraph) -> list[Paragraph]:
    parts = split_paragraphs(context.audience.text(paragraph.text))
    if not parts:
        return []

    numbers = context.references.cite(paragraph.sources)
    if numbers:
        links = ", ".join(
            f'<a href="#{context.references.anchor_key(n)}">{n}</a>' for n in numbers
        )
        parts[-1] += f" <font size=7.5>[{links}]</font>"
    return [Paragraph(part, context.styles.body) for part in parts]
