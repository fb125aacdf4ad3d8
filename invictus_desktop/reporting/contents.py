"""The contents page: every section heading with its page, linked.

The page numbers are not known while the contents is laid out; each row
holds a `PageNumberSlot` that the canvas fills in when it saves (paging.py).
"""

from typing import TYPE_CHECKING

from reportlab.platypus import Flowable, Paragraph, Table

from invictus_desktop.reporting.flowables import PageNumberSlot
from invictus_desktop.reporting.styles import RULE
from invictus_desktop.reporting.tables import table_style
from invictus_desktop.reporting.text import markup

if TYPE_CHECKING:
    from invictus_desktop.reporting.story import StoryContext

_PAGE_COLUMN = 40


def contents_pages(context: "StoryContext") -> list[Flowable]:
    styles = context.styles
    rows = []
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for row, entry in enumerate(context.contents):
        style = styles.contents_level0 if entry.level == 0 else styles.contents_level1
        title = f'<a href="#{entry.key}">{markup(entry.title)}</a>'
        rows.append([Paragraph(title, style), PageNumberSlot(entry.key, style)])
        if entry.level == 0 and row:
            commands.append(("LINEABOVE", (0, row), (-1, row), 0.4, RULE))

    table = Table(
        rows,
        colWidths=[context.frame_width - _PAGE_COLUMN, _PAGE_COLUMN],
        style=table_style(*commands),
        hAlign="LEFT",
    )
    return [Paragraph("Contents", styles.contents_title), table]
