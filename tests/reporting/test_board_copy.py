"""The Board's copy names no teacher or pupil and carries no safeguarding."""

import re

import pytest

from tests.reporting.factory import PUPILS, SAFEGUARDING_MARKER, STAFF

NAMED_IN_FREE_TEXT = ("Okafor", "Müller", "Kowalczyk", "O’Connor", "Patel", "Hargreaves")


def withheld_staff(snapshot) -> list[str]:
    return [name for name in STAFF if name not in snapshot.office_holders]


def mentions(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


def test_the_board_copy_contains_no_staff_or_pupil_name(board, snapshot):
    for name in [*withheld_staff(snapshot), *PUPILS]:
        assert not mentions(board.text, name), name
        surname = name.split()[-1]
        assert not mentions(board.text, surname), f"{surname} (of {name})"


def test_the_school_copy_names_the_staff_the_board_copy_withholds(school, snapshot):
    observed = {visit.teacher for visit in snapshot.visits if visit.teacher}

    for name in observed:
        assert mentions(school.text, name), name
    for surname in NAMED_IN_FREE_TEXT:
        assert mentions(school.text, surname), surname


def test_people_named_in_office_stay_named_in_the_board_copy(board, snapshot):
    for name in snapshot.office_holders:
        assert name in board.text


def test_each_observed_teacher_has_one_letter_throughout_the_board_copy(board, snapshot):
    observed = {visit.teacher for visit in snapshot.visits if visit.teacher}

    labels = set(re.findall(r"Teacher [A-Z]+\b", board.text))

    assert len(labels) == len(observed)
    assert "Teacher A" in labels


def test_free_text_names_are_replaced_by_labels(board):
    response = board.text.split("Headteacher’s response")[-1]

    labels = r"Teacher [A-Z]+ and (Teacher|Staff member) [A-Z]+"
    assert re.search(rf"monitoring; {labels} will lead", response)


def test_safeguarding_is_only_in_the_school_copy(school, board):
    assert "Safeguarding concerns" in school.text
    assert SAFEGUARDING_MARKER in school.text

    assert "Safeguarding concerns" not in board.text
    assert SAFEGUARDING_MARKER not in board.text
    assert "Designated Safeguarding Lead" not in board.text


@pytest.mark.parametrize(
    ("copy", "label"), [("school", "School copy"), ("board", "Board copy")]
)
def test_every_page_says_which_copy_it_is(copy, label, request):
    read = request.getfixturevalue(copy)

    assert all(label in page for page in read.pages)
