"""Numbered references: each cited source gets one number, in citation order."""

from collections.abc import Iterable

from invictus_desktop.reporting.snapshot import Source


class References:
    """The sources the report cites, numbered as first cited."""

    def __init__(self) -> None:
        self._number_of: dict[str, int] = {}
        self._sources: list[Source] = []

    def cite(self, sources: Iterable[Source]) -> list[int]:
        """The reference numbers of `sources`, numbering any not yet cited."""
        numbers = []
        for source in sources:
            number = self._number_of.get(source.key)
            if number is None:
                self._sources.append(source)
                number = len(self._sources)
                self._number_of[source.key] = number
            if number not in numbers:
                numbers.append(number)
        return numbers

    def numbered(self) -> list[tuple[int, Source]]:
        return list(enumerate(self._sources, start=1))

    @staticmethod
    def anchor_key(number: int) -> str:
        return f"ref-{number}"
