"""Render the merge workspace and the PDF preview with demo data.

    .venv/bin/python tools/report_screenshots.py [OUTPUT_DIR]

Builds the demo trust on a throwaway profile (KDF at its floor, the task
runner synchronous), finalises the report of one school's earlier QUAD (so
"progress since the last QUAD" has something to compare with), has the
Executive Headteacher and the visiting Headteacher submit notes for the
latest past QUAD, then opens the main window on the Report screen, writes a
section with two citations and opens the preview on the page of that
section. Grabs at 1366x768 into merge_workspace.png and report_preview.png,
and the visiting Headteacher's Notes screen into notes.png.
"""

import os
import sys
import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pypdf import PdfReader
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

from invictus_desktop.crypto.identity_keys import generate_key_pairs
from invictus_desktop.crypto.kdf import KdfParams
from invictus_desktop.gui import jobs
from invictus_desktop.gui.app import create_application
from invictus_desktop.gui.main_window import MainWindow
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services import notes, report_drafts, report_finalise
from invictus_desktop.services.demo import build_demo
from invictus_desktop.services.overview import load_overview
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.models import (
    LocalIdentity,
    Person,
    PersonKey,
    Quad,
    Rag,
    School,
    TeamMember,
    TeamRole,
)

LAPTOP = (1366, 768)
PASSPHRASE = "lantern orchard velvet compass"
TODAY = date(2026, 3, 10)
SCHOOL = "Kinver High School"
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

EXEC_NOTE = (
    "Maths explanations are clear in Year 7 but not in Key Stage 4: worked examples "
    "jump between ideas and pupils lose the thread. Leaders know this."
)
VISITING_NOTE = (
    "In three of five lessons pupils explained their method with the right vocabulary; "
    "in the other two, questioning was aimed at a few pupils."
)
PREVIOUS_BODY = (
    "Teaching of mathematics is inconsistent. Where concepts are sequenced well, pupils "
    "make strong progress; elsewhere misconceptions persist into Year 10."
)
BODY_FIRST = (
    "Mathematics teaching is more consistent than last term, but the sequence of "
    "examples still varies between classes in Key Stage 4."
)
BODY_SECOND = "Pupils who were questioned directly could explain their method:"


def settle(seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def grab(widget: QWidget, path: Path) -> None:
    widget.resize(*LAPTOP)
    settle()
    widget.grab().save(str(path))
    print(f"wrote {path}")


def as_colleague(profile: UnlockedProfile, name: str) -> UnlockedProfile:
    """Give a demo colleague signing keys on this laptop, and act as them."""
    keys = generate_key_pairs()
    with profile.store.session() as session:
        person = session.scalar(select(Person).where(Person.name == name))
        person.public_keys.append(PersonKey(signing_public=keys.signing_public,
                                            exchange_public=keys.exchange_public,
                                            enrolled_by_id=profile.person_id))
        session.add(LocalIdentity(person_id=person.id, device_id=person.id,
                                  signing_private=keys.signing_private,
                                  exchange_private=keys.exchange_private))
        person_id = person.id
    return UnlockedProfile(profile.paths, profile.store, person_id)


def past_quads(profile: UnlockedProfile) -> list[str]:
    """The school's QUADs before TODAY, oldest first."""
    with profile.store.session() as session:
        return list(session.scalars(
            select(Quad.id).join(School).where(School.name == SCHOOL,
                                               Quad.starts_on < TODAY)
            .order_by(Quad.starts_on)))


def team_member(profile: UnlockedProfile, quad_id: str, role: TeamRole) -> str:
    with profile.store.session() as session:
        return session.scalar(
            select(Person.name).join(TeamMember, TeamMember.person_id == Person.id)
            .where(TeamMember.quad_id == quad_id, TeamMember.role == role))


def finalise_earlier(profile: UnlockedProfile, quad_id: str) -> None:
    report = report_drafts.open_report(profile, quad_id)
    report_drafts.save_report_text(profile, report.version_id, "executive_summary",
                                   "A school that knows itself; mathematics must improve.")
    report_drafts.save_section(profile, report.sections[0].id, body=PREVIOUS_BODY,
                               recommended_rag=Rag.RED)
    report_finalise.finalise(profile, quad_id, accept_name_warnings=True)


def submit_note(profile: UnlockedProfile, quad_id: str, focus_id: str, text: str) -> None:
    draft = notes.open_draft(profile, quad_id)
    notes.save_section(profile, draft.id, focus_id, text)
    notes.submit(profile, draft.id)


def page_showing(pdf: bytes, words: str) -> int:
    """The first page (from 0) whose text holds `words`."""
    for number, page in enumerate(PdfReader(BytesIO(pdf)).pages):
        if words in " ".join(page.extract_text().split()):
            return number
    return 0


def main_window_on(app: QApplication, profile: UnlockedProfile) -> MainWindow:
    """The main window of an open profile, at laptop size, its jobs run inline."""
    runner = TaskRunner(app, synchronous=True)
    window = MainWindow(jobs.OpenProfile(profile, load_overview(profile), 5), runner)
    window.resize(*LAPTOP)
    window.show()
    return window


def grab_notes(app: QApplication, colleague: UnlockedProfile, quad_id: str,
               path: Path) -> None:
    """The colleague's Notes screen: the submitted version, read only."""
    window = main_window_on(app, colleague)
    window.show_page("notes", quad_id)
    grab(window, path)
    window.clear_data()
    window.close()


def main(output: Path) -> int:
    output.mkdir(parents=True, exist_ok=True)
    app = create_application([sys.argv[0]])

    with tempfile.TemporaryDirectory() as folder:
        paths = ProfilePaths(Path(folder) / "Invictus" / "profile")
        profile = build_demo(paths, PASSPHRASE, KdfParams(), today=TODAY)
        *_, earlier, latest = past_quads(profile)
        finalise_earlier(profile, earlier)

        focus_id = report_drafts.open_report(profile, latest).sections[0].focus_area_id
        for role, text in ((TeamRole.EXECUTIVE_HEAD, EXEC_NOTE),
                           (TeamRole.VISITING_HEAD, VISITING_NOTE)):
            colleague = as_colleague(profile, team_member(profile, latest, role))
            submit_note(colleague, latest, focus_id, text)
        grab_notes(app, colleague, latest, output / "notes.png")

        window = main_window_on(app, profile)
        page = window.show_page("report", latest)
        settle()

        body = page.editor.body_edit
        body.setPlainText(BODY_FIRST)
        body.moveCursor(body.textCursor().MoveOperation.Start)
        page.sources.cards[0].cite_button.click()
        body.moveCursor(body.textCursor().MoveOperation.End)
        body.insertPlainText("\n\n" + BODY_SECOND)
        note_card = next(c for c in page.sources.cards if c.source.author_name
                         == team_member(profile, latest, TeamRole.VISITING_HEAD))
        note_card.quote_button.click()
        page.editor.rag_chooser.buttons[Rag.AMBER].click()
        page.editor.rationale_edit.setPlainText(
            "Better sequencing in Key Stage 3; Key Stage 4 not yet secure.")
        page.autosave.flush()
        grab(window, output / "merge_workspace.png")

        page.preview_button.click()
        preview = page.preview
        deadline = time.monotonic() + 10
        while (preview.document.status() is not QPdfDocument.Status.Ready
               and time.monotonic() < deadline):
            settle(0.1)
        preview.resize(*LAPTOP)
        settle(0.5)
        pdf = report_finalise.preview_pdf(profile, latest, preview.variant)
        preview.go_to_page(page_showing(pdf, BODY_FIRST[:40]))
        settle(1.0)
        grab(preview, output / "report_preview.png")

        window.clear_data()
        window.close()
        profile.lock()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT))
