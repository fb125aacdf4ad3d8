"""One layout pass: page totals, contents page numbers and bookmarks at the end.

Reportlab writes each page out as soon as it is full, before anyone knows how
many pages there will be or where later headings fall. The usual cure is a
second layout pass (`multiBuild` with a `TableOfContents`), which doubles the
cost of a long report. This canvas instead holds every finished page until
`save`, then writes what only the end knows onto each page as it is emitted:
the "Page x of y" footer, the page numbers in the contents, the PDF outline
and the link targets. The contents has the same number of lines whatever the
page numbers turn out to be, so nothing has to be laid out again.
"""

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

PageFinisher = Callable[[Canvas, int, int], None]


@dataclass(frozen=True)
class _Anchor:
    key: str
    top: float
    outline_title: str | None
    outline_level: int


@dataclass(frozen=True)
class _PageNumberSlot:
    key: str
    right: float
    baseline: float
    font_name: str
    font_size: float


class HeldPagesCanvas(Canvas):
    """A canvas that emits its pages only on `save`, finishing each one first.

    `finish_page(canvas, page_number, page_count)` draws the furniture that
    needs the page count. Anchors (link targets, optionally outline entries)
    and page-number slots are recorded during layout and resolved on save.
    """

    def __init__(self, *args, finish_page: PageFinisher, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._finish_page = finish_page
        self._held_pages: list[dict] = []
        self._anchors_by_page: dict[int, list[_Anchor]] = {}
        self._slots_by_page: dict[int, list[_PageNumberSlot]] = {}
        self._page_of_anchor: dict[str, int] = {}

    def add_anchor(
        self, key: str, top: float, outline_title: str | None = None, outline_level: int = 0
    ) -> None:
        """Marks a link target at height `top` (page space) on the current page."""
        page = self.getPageNumber()
        anchor = _Anchor(key, top, outline_title, outline_level)
        self._anchors_by_page.setdefault(page, []).append(anchor)
        self._page_of_anchor[key] = page

    def add_page_number_slot(
        self, key: str, right: float, baseline: float, font_name: str, font_size: float
    ) -> None:
        """Reserves a spot for the page number of anchor `key`, right-aligned."""
        slot = _PageNumberSlot(key, right, baseline, font_name, font_size)
        self._slots_by_page.setdefault(self.getPageNumber(), []).append(slot)

    def showPage(self) -> None:
        # Keep the finished page's state (its drawing code included); start afresh.
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        if self._code:
            self.showPage()

        page_count = len(self._held_pages)
        for page_number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self._finish_held_page(page_number, page_count)
            Canvas.showPage(self)

        self._held_pages = []
        Canvas.save(self)

    def _finish_held_page(self, page_number: int, page_count: int) -> None:
        for anchor in self._anchors_by_page.get(page_number, ()):
            self.bookmarkHorizontalAbsolute(anchor.key, anchor.top)
            if anchor.outline_title:
                self.addOutlineEntry(anchor.outline_title, anchor.key, anchor.outline_level)

        for slot in self._slots_by_page.get(page_number, ()):
            target = self._page_of_anchor.get(slot.key)
            if target is not None:
                self.setFont(slot.font_name, slot.font_size)
                self.drawRightString(slot.right, slot.baseline, str(target))

        self._finish_page(self, page_number, page_count)
