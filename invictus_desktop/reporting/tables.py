"""The report's table look, and the RAG badge."""

from collections.abc import Sequence

from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from invictus_desktop.reporting import fonts
from invictus_desktop.reporting.snapshot import Rag
from invictus_desktop.reporting.styles import (
    NAVY,
    RAG_SWATCHES,
    RULE,
    UNRATED_SWATCH,
    ZEBRA,
    ReportStyles,
    Swatch,
    css_hex,
)
from invictus_desktop.reporting.text import markup

Cell = Flowable | str

_BASE_STYLE = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 5),
    ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ("TOPPADDING", (0, 0), (-1, -1), 4),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ("BACKGROUND", (0, 0), (-1, 0), NAVY),
]


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    column_widths: Sequence[float],
    styles: ReportStyles,
    extra_style: Sequence[tuple] = (),
    zebra: bool = True,
    rule_every_row: bool = True,
    split_inside_rows: bool = True,
) -> Table:
    """A table with a navy header row repeated on every page it spans.

    Strings become wrapping paragraphs. The table splits across pages between
    rows; with `split_inside_rows` a row too tall for the room left splits too
    (reportlab's splitInRow), so an action of a thousand words cannot jam it.
    """
    head = [Paragraph(markup(title), styles.cell_head) for title in header]
    body = [[_as_flowable(cell, styles) for cell in row] for row in rows]
    commands = list(_BASE_STYLE)
    if rule_every_row:
        commands.append(("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE))
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, ZEBRA]))
    commands.extend(extra_style)
    return Table(
        [head, *body],
        colWidths=list(column_widths),
        repeatRows=1,
        splitInRow=1 if split_inside_rows else 0,
        style=table_style(*commands),
        hAlign="LEFT",
    )


def rag_badge(rag: Rag | None, styles: ReportStyles, width: float = 62) -> Table:
    """A RAG rating as a coloured badge that also says its word."""
    swatch = RAG_SWATCHES[rag] if rag else UNRATED_SWATCH
    label = rag.label if rag else "Not rated"
    return badge(label, swatch, styles, width)


def badge(label: str, swatch: Swatch, styles: ReportStyles, width: float) -> Table:
    text = f'<font color="{css_hex(swatch.text)}">{markup(label)}</font>'
    table = Table([[Paragraph(text, styles.badge)]], colWidths=[width], hAlign="LEFT")
    table.setStyle(table_style(
        ("BACKGROUND", (0, 0), (-1, -1), swatch.ground),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ))
    return table


def table_style(*commands: tuple) -> TableStyle:
    """A table style in the report's typeface.

    Reportlab sets a table's default font (Helvetica) before drawing any cell,
    even when every cell is a paragraph; naming ours keeps Helvetica out of
    the file entirely, so every font in it is embedded.
    """
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR), *commands])


def _as_flowable(cell: Cell, styles: ReportStyles) -> Flowable:
    return Paragraph(markup(cell), styles.cell) if isinstance(cell, str) else cell
