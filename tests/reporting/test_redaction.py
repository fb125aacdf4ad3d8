"""Finding staff names in text, and withholding them with stable labels."""

import pytest

from invictus_desktop.reporting.redaction import (
    AMBIGUOUS_NAME,
    PUPIL_NAME,
    NameShield,
    find_staff_names,
)

STAFF = ["Daniel Okafor", "Zoë Müller", "Seán O’Connor", "Amy Rogers", "John Rogers",
         "Mrs A Patel"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Daniel Okafor taught ratio.", ["Daniel Okafor"]),
        ("DANIEL OKAFOR and zoë müller", ["Daniel Okafor", "Zoë Müller"]),
        ("In Mr Okafor’s lesson", ["Daniel Okafor"]),
        ("Mrs. Okafor and Dr Okafor", ["Daniel Okafor"]),
        ("D. Okafor, D Okafor", ["Daniel Okafor"]),
        ("Mr Daniel Okafor", ["Daniel Okafor"]),
        ("Daniel\n  Okafor", ["Daniel Okafor"]),
        ("Seán O'Connor (straight) and Mr O’Connor (curly)", ["Seán O’Connor"]),
        ("Mrs Patel, the SENCo; A. Patel", ["Mrs A Patel"]),
        ("Mrs Rogers", ["Amy Rogers", "John Rogers"]),
        ("Zoë Müller, Daniel Okafor, Zoë Müller", ["Zoë Müller", "Daniel Okafor"]),
    ],
)
def test_finds_names_in_their_written_forms(text, found):
    assert find_staff_names(text, STAFF) == found


@pytest.mark.parametrize(
    "text",
    [
        "Okaforx and Mokafor Daniel",  # whole words only
        "Okafor on his own",  # a surname alone is too often an ordinary word
        "Daniel said so",  # as is a first name
        "Pupils in Rogers House",
        "",
    ],
)
def test_finds_nothing_where_no_listed_name_is_written(text):
    assert find_staff_names(text, STAFF) == []


def test_names_are_taken_literally_not_as_patterns():
    names = ["Anne-Marie (Annie) Smith", "J.R. Hart"]

    assert find_staff_names("Anne-Marie (Annie) Smith met J.R. Hart", names) == names
    assert find_staff_names("AnneXMarie (Annie) Smith", names) == []


def test_blank_names_in_the_list_are_ignored():
    assert find_staff_names("Some text", ["", "  "]) == []


def shield(**overrides) -> NameShield:
    arguments = {
        "staff": STAFF,
        "teachers_in_log_order": ["Zoë Müller", "Mr D Okafor", "Zoë Müller"],
        "pupils": ["Jayden Clarke"],
        "exempt": ["John Rogers"],
    }
    return NameShield(**(arguments | overrides))


def test_teachers_get_letters_in_the_order_the_log_lists_them():
    names = shield()

    assert names.teacher_label("Zoë Müller") == "Teacher A"
    assert names.teacher_label("Daniel Okafor") == "Teacher B"
    assert names.teacher_label("Mr D Okafor") == "Teacher B"


def test_a_person_keeps_one_label_in_every_form_of_their_name():
    names = shield()

    redacted = names.redact("Mr Okafor’s class; D. Okafor again; daniel okafor.")

    assert redacted == "Teacher B’s class; Teacher B again; Teacher B."


def test_staff_not_in_the_log_become_staff_members_with_the_next_letter():
    names = shield()

    redacted = names.redact("Mrs Patel and Seán O’Connor")

    assert redacted == "Staff member C and Staff member D"
    assert names.redact("Seán O’Connor") == "Staff member D"


def test_people_named_in_office_are_left_as_written():
    assert shield().redact("John Rogers, the Headteacher") == "John Rogers, the Headteacher"


def test_a_title_and_surname_shared_with_an_office_holder_is_withheld():
    assert shield().redact("Mr Rogers said") == f"{AMBIGUOUS_NAME} said"


def test_pupils_are_withheld_without_letters():
    assert shield().redact("Jayden Clarke said") == f"{PUPIL_NAME} said"


def test_a_teacher_missing_from_the_staff_list_is_still_withheld():
    names = shield(teachers_in_log_order=["Pat Supply"])

    assert names.teacher_label("Pat Supply") == "Teacher A"
    assert names.redact("Mx Supply covered") == "Teacher A covered"


def test_letters_continue_past_z():
    staff = [f"Person{index} Surname{index}" for index in range(28)]
    names = NameShield(staff=staff, teachers_in_log_order=staff)

    assert names.teacher_label("Person25 Surname25") == "Teacher Z"
    assert names.teacher_label("Person26 Surname26") == "Teacher AA"
    assert names.teacher_label("Person27 Surname27") == "Teacher AB"


def test_an_empty_teacher_field_stays_empty():
    assert shield().teacher_label("  ") == ""
