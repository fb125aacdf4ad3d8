"""Finding and withholding people's names in report text.

The Board's copy must not name teachers or pupils. A name is found by
whole words, ignoring case and line breaks, in three forms: as written in
the list ("Daniel Okafor", with or without a title before it), as an initial
and surname ("D. Okafor") and as a title and surname ("Mr Okafor"). A
surname or first name on its own is not looked for: too many are ordinary words (Green,
Hall, Mason). Straight and curly apostrophes are treated as the same letter.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

_TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "sir", "prof")
_TITLE_PATTERN = r"(?:" + "|".join(_TITLES) + r")\.?"
_APOSTROPHES = "'\u2019"

_WORD = re.compile(r"\w+")

AMBIGUOUS_NAME = "[name withheld]"
PUPIL_NAME = "[pupil]"


def find_staff_names(text: str, names: Iterable[str]) -> list[str]:
    """The names from `names` that `text` mentions, in order of first mention.

    A title and surname shared by several people ("Mr Jones") counts as a
    mention of each of them, since the reader cannot tell which is meant.
    """
    matcher = NameMatcher(names)
    found: list[str] = []
    for _, people in matcher.mentions(text):
        for person in people:
            if person not in found:
                found.append(person)
    return found


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int


class NameMatcher:
    """A compiled search for a list of people's names in free text."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(dict.fromkeys(name.strip() for name in names if name.strip()))
        self._people_by_form: dict[str, tuple[str, ...]] = {}

        for name in self.names:
            words = _words_of(name)
            forms = {" ".join(words)}
            if len(words) > 1:
                surname = words[-1]
                forms.add(f"{words[0][0]} {surname}")
                forms.add(f"# {surname}")
            for form in forms:
                known = self._people_by_form.get(form, ())
                self._people_by_form[form] = (*known, name) if name not in known else known

        self._regex = _compile(self._people_by_form)
        # Every form ends with a surname (or the name's last word): text with
        # none of them is skipped before the slower search. Words are split at
        # apostrophes too, so "O'Connor's" still offers "connor".
        self._last_words = {_WORD.findall(form)[-1] for form in self._people_by_form}

    def mentions(self, text: str) -> list[tuple[_Mention, tuple[str, ...]]]:
        """Each mention in `text` with the people it may refer to."""
        if self._regex is None or not text:
            return []
        if self._last_words.isdisjoint(_WORD.findall(text.lower())):
            return []

        found = []
        for match in self._regex.finditer(text):
            form = _form_of(match.group())
            people = self._people_by_form.get(form)
            if people:
                found.append((_Mention(match.start(), match.end()), people))
        return found

    def person(self, raw_name: str) -> str | None:
        """The listed person `raw_name` is written as, if it is one of them alone."""
        people = self._people_by_form.get(_form_of(raw_name), ())
        return people[0] if len(people) == 1 else None


class NameShield:
    """Replaces withheld names with stable labels: "Teacher A", "Staff member B".

    Teachers seen in the evidence log get their letters first, in the order
    the log lists them, so the appendix reads A, B, C. Anyone else is given
    the next letter when first met. A title and surname that could be
    several people becomes "[name withheld]"; pupils become "[pupil]".
    """

    def __init__(
        self,
        staff: Sequence[str],
        teachers_in_log_order: Sequence[str],
        pupils: Sequence[str] = (),
        exempt: Sequence[str] = (),
    ) -> None:
        log_teachers = [name for name in teachers_in_log_order if name.strip()]
        listed = NameMatcher([*staff, *exempt])
        unlisted = [name for name in log_teachers if listed.person(name) is None]

        # Office holders stay in the search so that "Mr Rogers" is seen as
        # ambiguous when both the Headteacher and a teacher are Rogers.
        self._staff = NameMatcher([*listed.names, *unlisted])
        self._exempt = {self._staff.person(name) for name in exempt} - {None}
        self._pupils = NameMatcher(pupils)
        self._labels: dict[str, str] = {}
        self._teachers: set[str] = set()

        for raw_name in log_teachers:
            person = self._staff.person(raw_name)
            if person and person not in self._exempt:
                self._teachers.add(person)
                self.label_for(person)

    def label_for(self, person: str) -> str:
        """The stable label of one listed person."""
        label = self._labels.get(person)
        if label is None:
            kind = "Teacher" if person in self._teachers else "Staff member"
            label = f"{kind} {_letters(len(self._labels))}"
            self._labels[person] = label
        return label

    def teacher_label(self, raw_name: str) -> str:
        """What the evidence log shows in place of a teacher's name."""
        if not raw_name.strip():
            return ""
        person = self._staff.person(raw_name)
        if person is None:
            return AMBIGUOUS_NAME
        return raw_name if person in self._exempt else self.label_for(person)

    def redact(self, text: str) -> str:
        """`text` with every withheld name replaced by its label."""
        text = self._replace(text, self._staff, self._staff_label)
        return self._replace(text, self._pupils, lambda _people, _written: PUPIL_NAME)

    def _staff_label(self, people: tuple[str, ...], written: str) -> str:
        if all(person in self._exempt for person in people):
            return written
        if len(people) == 1:
            return self.label_for(people[0])
        return AMBIGUOUS_NAME

    @staticmethod
    def _replace(
        text: str, matcher: NameMatcher, label_of: Callable[[tuple[str, ...], str], str]
    ) -> str:
        pieces = []
        position = 0
        for mention, people in matcher.mentions(text):
            pieces.append(text[position : mention.start])
            pieces.append(label_of(people, text[mention.start : mention.end]))
            position = mention.end
        pieces.append(text[position:])
        return "".join(pieces)


def _words_of(name: str) -> list[str]:
    """A name's words, lower-cased, apostrophes made straight, any title dropped."""
    words = name.lower().replace("\u2019", "'").split()
    if len(words) > 1 and words[0].rstrip(".") in _TITLES:
        words = words[1:]
    return [word.rstrip(".") if len(word.rstrip(".")) == 1 else word for word in words]


def _form_of(written: str) -> str:
    """The lookup key of a name as written: a title collapses to "#"."""
    words = written.lower().replace("\u2019", "'").split()
    if len(words) == 2 and words[0].rstrip(".") in _TITLES:
        return f"# {words[1]}"
    return " ".join(_words_of(written))


def _compile(forms: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = [_form_pattern(form) for form in sorted(forms, key=len, reverse=True)]
    if not alternatives:
        return None
    body = "|".join(alternatives)
    return re.compile(rf"(?<![\w'\u2019])(?:{body})(?!\w)", re.IGNORECASE)


def _form_pattern(form: str) -> str:
    words = form.split(" ")
    if words[0] == "#":
        return rf"{_TITLE_PATTERN}\s+{_word_pattern(words[1])}"

    if len(words) == 2 and len(words[0]) == 1:
        initial = rf"(?:{_TITLE_PATTERN}\s+)?{re.escape(words[0])}\.?"
        return rf"{initial}\s+{_word_pattern(words[1])}"

    full = r"\s+".join(_word_pattern(word) for word in words)
    return rf"(?:{_TITLE_PATTERN}\s+)?{full}"


def _word_pattern(word: str) -> str:
    return "".join(
        f"[{_APOSTROPHES}]" if char in _APOSTROPHES else re.escape(char) for char in word
    )


def _letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: labels never run out."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
