"""Reading rendered reports back: text per page, flattened, and the outline."""

import re
from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader


def flat(text: str) -> str:
    """Whitespace collapsed, so that words wrapped across lines still match."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class ReadBack:
    """A parsed PDF with each page's flattened text."""

    reader: PdfReader
    pages: list[str]

    @classmethod
    def of(cls, pdf: bytes) -> "ReadBack":
        reader = PdfReader(BytesIO(pdf))
        return cls(reader, [flat(page.extract_text()) for page in reader.pages])

    @property
    def text(self) -> str:
        return " ".join(self.pages)

    def outline(self) -> list[tuple[str, int]]:
        """(title, zero-based page) of every outline entry, depth first."""
        entries: list[tuple[str, int]] = []

        def walk(items: list) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item)
                else:
                    page = self.reader.get_destination_page_number(item)
                    entries.append((item.title, page))

        walk(self.reader.outline)
        return entries

    def layout_lines(self, page_index: int) -> list[str]:
        """A page's lines with their horizontal layout kept (contents rows)."""
        text = self.reader.pages[page_index].extract_text(extraction_mode="layout")
        return [line.strip() for line in text.splitlines() if line.strip()]

    def pages_containing(self, fragment: str) -> list[int]:
        return [index for index, text in enumerate(self.pages) if fragment in text]
