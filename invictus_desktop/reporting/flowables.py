"""Small flowables the report needs beyond reportlab's own."""

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph


class AnchoredParagraph(Paragraph):
    """A paragraph that is a link target, and optionally an outline entry.

    It never splits (headings and reference lines are short), so the anchor
    always lands on the page where the paragraph starts.
    """

    def __init__(
        self,
        text: str,
        style: ParagraphStyle,
        key: str,
        outline_title: str | None = None,
        outline_level: int = 0,
        bullet_text: str | None = None,
    ) -> None:
        super().__init__(text, style, bulletText=bullet_text)
        self.anchor_key = key
        self.outline_title = outline_title
        self.outline_level = outline_level

    def split(self, available_width: float, available_height: float) -> list:
        return []

    def draw(self) -> None:
        _, top = self.canv.absolutePosition(0, self.height)
        self.canv.add_anchor(self.anchor_key, top, self.outline_title, self.outline_level)
        super().draw()


class PageNumberSlot(Flowable):
    """One line's room for the page number of an anchor, filled in on save."""

    def __init__(self, key: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.key = key
        self.style = style

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.style.leading

    def draw(self) -> None:
        # A paragraph puts its first baseline one font size below its top.
        right, baseline = self.canv.absolutePosition(
            self.width, self.style.leading - self.style.fontSize
        )
        self.canv.add_page_number_slot(
            self.key, right, baseline, self.style.fontName, self.style.fontSize
        )
