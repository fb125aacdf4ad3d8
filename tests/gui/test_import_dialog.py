"""The import dialog: nothing is written before Import; bad files are
explained; columns can be chosen; big files are read off the GUI thread."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import func, select

from invictus_desktop.gui.dialogs.import_kinds import staff_import
from invictus_desktop.gui.dialogs.import_preview import ImportPreviewDialog
from invictus_desktop.gui.pages.schools import SchoolsPage
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.services import schools
from invictus_desktop.store.models import AuditEntry, StaffMember
from tests.services.spreadsheets import STAFF_HEADER, STAFF_ROWS, write_csv, write_xlsx


@pytest.fixture
def school_id(new_profile) -> str:
    return schools.create_school(new_profile, schools.SchoolDetails("Kinver High School"))


@pytest.fixture
def dialog(qtbot, new_profile, runner, school_id):
    page = SchoolsPage(new_profile, runner)
    qtbot.addWidget(page)
    dialog = ImportPreviewDialog(staff_import(school_id), page, page)
    dialog.open()
    return dialog


def staff_rows(profile) -> int:
    with profile.store.session() as session:
        return session.scalar(select(func.count()).select_from(StaffMember))


def test_the_file_chosen_in_the_file_dialog_is_previewed(qtbot, dialog, tmp_path):
    path = write_csv(tmp_path / "staff.csv", [STAFF_HEADER, *STAFF_ROWS])
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    chooser = dialog.findChild(QFileDialog)
    assert chooser is not None and chooser.isVisible()

    chooser.selectFile(str(path))
    chooser.accept()

    assert dialog.file_label.text() == "File: staff.csv"
    assert len(dialog.preview_model.texts()) == 3


def test_cancel_writes_nothing(qtbot, dialog, new_profile, tmp_path):
    dialog.load_file(write_csv(tmp_path / "staff.csv", [STAFF_HEADER, *STAFF_ROWS]))
    assert len(dialog.preview_model.texts()) == 3
    assert dialog.import_button.isEnabled()
    assert dialog.import_button.text() == "&Import 3 rows"

    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    assert dialog.preview_model.texts() == []
    assert staff_rows(new_profile) == 0
    with new_profile.store.session() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert "staff.imported" not in actions


def test_a_file_that_is_not_a_spreadsheet_is_explained_inline(dialog, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    dialog.load_file(path)

    assert dialog.message.isVisible()
    assert dialog.message.text().startswith("photo.csv is not a spreadsheet")
    assert "bug" not in dialog.message.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.preview_model.texts() == []
    assert dialog.choose_button.isEnabled()


def test_missing_columns_can_be_chosen_by_hand(qtbot, dialog, new_profile, school_id,
                                              tmp_path):
    rows = [["Code", "Given", "Family", "Mail"], ["ASH", "Amelia", "Ashby", "a@k.org"],
            ["BBA", "Ben", "Barrow", "b@k.org"]]
    dialog.load_file(write_csv(tmp_path / "staff.csv", rows))
    assert "no column for: First name, Last name" in dialog.message.text()
    assert not dialog.import_button.isEnabled()
    first = dialog.mapping_combos["first_name"]
    assert [first.itemText(n) for n in range(first.count())] == [
        "(not imported)", "Code", "Given", "Family", "Mail"]

    choose(qtbot, first, "Given")
    assert dialog.preview is None, "still no last name"
    choose(qtbot, dialog.mapping_combos["last_name"], "Family")
    choose(qtbot, dialog.mapping_combos["email"], "Mail")

    assert not dialog.message.isVisible()
    assert [row[3:6] for row in dialog.preview_model.texts()] == [
        ["Amelia", "Ashby", "a@k.org"], ["Ben", "Barrow", "b@k.org"]]
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert [m.email for m in schools.list_staff(new_profile, school_id)] == [
        "a@k.org", "b@k.org"]


def test_a_workbook_with_several_sheets_offers_them(qtbot, dialog, tmp_path):
    path = write_xlsx(tmp_path / "export.xlsx", {
        "Teachers": [STAFF_HEADER, *STAFF_ROWS],
        "Support staff": [STAFF_HEADER, ["ZZA", "Mr", "Zach", "Yardley", "", "TA", ""]],
    })
    dialog.load_file(path)
    assert dialog.sheet_combo.isVisibleTo(dialog)
    assert dialog.sheet_combo.currentText() == "Teachers"
    assert len(dialog.preview_model.texts()) == 3

    choose(qtbot, dialog.sheet_combo, "Support staff")

    assert [row[4] for row in dialog.preview_model.texts()] == ["Yardley"]
    assert dialog.counts_label.text() == "1 row will be imported."


def test_a_big_file_is_read_in_a_worker(qtbot, new_profile, school_id, tmp_path):
    """About 9 MB: the dialog comes back at once, busy; the rows arrive later."""
    filler = "x" * 400
    rows = [[*STAFF_HEADER, "Notes"]] + [
        [f"S{n}", "Ms", f"First{n}", f"Last{n}", f"s{n}@kinver.example.sch.uk",
         "Teacher", "Maths", filler]
        for n in range(19_000)
    ]
    path = write_csv(tmp_path / "big.csv", rows)
    assert path.stat().st_size > 8_000_000
    runner = TaskRunner()
    page = SchoolsPage(new_profile, runner)
    qtbot.addWidget(page)
    dialog = ImportPreviewDialog(staff_import(school_id), page, page)
    dialog.open()
    try:
        dialog.load_file(path)

        assert runner.busy, "the file must be read in a worker, not on the GUI thread"
        assert dialog.preview is None
        assert not dialog.choose_button.isEnabled()
        assert not dialog.import_button.isEnabled()
        qtbot.waitUntil(lambda: dialog.preview is not None, timeout=60_000)
        assert dialog.counts_label.text() == "19,000 rows will be imported."
        assert dialog.import_button.text() == "&Import 19,000 rows"
        assert dialog.choose_button.isEnabled()
    finally:
        runner.wait_for_done()
        qtbot.waitUntil(lambda: not runner.busy)


def choose(qtbot, combo, text: str) -> None:
    """Pick `text` in `combo` with the keyboard, as a user would."""
    combo.setFocus()
    index = combo.findText(text)
    assert index >= 0, text
    while combo.currentIndex() != index:
        key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


@pytest.mark.parametrize("kind", ["staff", "timetable"])
def test_every_column_picker_has_its_own_alt_letter(qtbot, new_profile, runner, school_id,
                                                    kind):
    from PySide6.QtWidgets import QApplication, QLabel

    from invictus_desktop.gui.dialogs.import_kinds import timetable_import
    from tests.gui.conftest import mnemonics

    page = SchoolsPage(new_profile, runner)
    qtbot.addWidget(page)
    spec = staff_import(school_id) if kind == "staff" else timetable_import("no quad")
    dialog = ImportPreviewDialog(spec, page, page)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)

    letters = mnemonics(dialog)
    assert len(letters) == len(set(letters)), letters
    for combo in dialog.mapping_combos.values():
        combo.setEnabled(True)  # disabled until a file is read
        [label] = [lb for lb in dialog.findChildren(QLabel) if lb.buddy() is combo]
        assert "&" in label.text()
        letter = label.text()[label.text().index("&") + 1]
        qtbot.keyClick(dialog, letter, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is combo, label.text()
    dialog.close()
