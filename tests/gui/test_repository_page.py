"""The Repository screen: a founder starts the repository, a newcomer's join
request is enrolled by key code, and the invitation connects the newcomer,
all through a real server."""

from PySide6.QtCore import Qt

from invictus_desktop.gui.pages.repository import RepositoryPage
from invictus_desktop.services.syncing import sync_once
from invictus_desktop.services.trust_repository import join_request_code_of
from invictus_desktop.store.models import Role
from tests.gui.conftest import HeldRunner
from tests.sync.conftest import repository  # noqa: F401  (a fixture used below)
from tests.sync.replicas import add_school, make_laptop, school_names


def _page(qtbot, runner, profile) -> RepositoryPage:
    page = RepositoryPage(profile, runner)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.page_shown()
    return page


def test_found_invite_and_join_from_the_screen(qtbot, runner, tmp_path, repository):  # noqa: F811
    ann = make_laptop(tmp_path, "Morgan Hale")
    ben = make_laptop(tmp_path, "Priya Raman", role=Role.EXECUTIVE_HEAD)
    school_id = add_school(ann, "Kinver High School")
    founder, newcomer = _page(qtbot, runner, ann), _page(qtbot, runner, ben)
    assert founder.status_label.text() == "Not connected to a repository yet."
    assert founder.invite_box.isHidden() and not founder.sync_button.isEnabled()

    founder.not_connected.setCurrentIndex(1)
    founder.address_edit.setText(repository.url)
    with qtbot.waitSignal(founder.sync_requested):
        qtbot.mouseClick(founder.create_button, Qt.MouseButton.LeftButton)
    assert founder.status_label.text() == f"Connected to {repository.url}"
    assert founder.message.property("tone") == "success"
    assert not founder.invite_box.isHidden() and founder.not_connected.isHidden()

    code = join_request_code_of(ben)
    assert newcomer.key_code_label.text() == code
    request = tmp_path / "join-request.json"
    newcomer.save_join_request(request)
    assert code in newcomer.message.text() and request.exists()

    founder.open_join_request(request)
    assert founder.request_label.text() == (
        "Join request from Priya Raman (Executive Headteacher).")
    founder.code_edit.setText("AAAA-BBBB-CCCC-DDDD")
    qtbot.mouseClick(founder.enrol_button, Qt.MouseButton.LeftButton)
    assert founder.message.property("tone") == "error"
    assert "does not match" in founder.message.text()
    founder.code_edit.setText(code.lower().replace("-", " "))
    qtbot.mouseClick(founder.enrol_button, Qt.MouseButton.LeftButton)
    assert founder.message.text().startswith("Priya Raman is enrolled.")
    invitation = tmp_path / "invitation.json"
    founder.save_invitation(invitation)
    invitation_code = founder.message.text().rsplit(": ", 1)[1]
    sync_once(ann)

    newcomer._on_invitation_chosen(invitation)
    qtbot.mouseClick(newcomer.join_button, Qt.MouseButton.LeftButton)
    assert newcomer.message.text() == "Type the invitation code you were told."
    newcomer.invitation_code_edit.setText(code)  # the key code, not the invitation's
    qtbot.mouseClick(newcomer.join_button, Qt.MouseButton.LeftButton)
    assert "invitation code does not match" in newcomer.message.text()
    newcomer.invitation_code_edit.setText(invitation_code)
    with qtbot.waitSignal(newcomer.sync_requested):
        qtbot.mouseClick(newcomer.join_button, Qt.MouseButton.LeftButton)
    assert newcomer.status_label.text() == f"Connected to {repository.url}"
    assert sync_once(ben).refused == []
    assert school_names(ben)[school_id] == "Kinver High School"

    founder.clear_data()
    assert founder.key_code_label.text() == "" and founder.request is None
    ann.lock()
    ben.lock()


def test_a_wrong_address_says_so_and_keeps_the_profile_unconnected(
    qtbot, runner, tmp_path
):
    ann = make_laptop(tmp_path, "Morgan Hale")
    page = _page(qtbot, runner, ann)
    qtbot.mouseClick(page.join_address_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "Type the repository's address first."

    page.address_edit.setText("http://127.0.0.1:9/")
    qtbot.mouseClick(page.join_address_button, Qt.MouseButton.LeftButton)

    assert page.message.property("tone") == "error"
    assert page.status_label.text() == "Not connected to a repository yet."
    ann.lock()


def test_only_trust_leads_may_invite(qtbot, runner, tmp_path, repository):  # noqa: F811
    from invictus_desktop.services import trust_repository

    head = make_laptop(tmp_path, "Ruth Linden", role=Role.HEADTEACHER)
    trust_repository.connect(head, trust_repository.RepositoryConnection(repository.url),
                             create=True)
    page = _page(qtbot, runner, head)

    assert not page.invite_box.isHidden()
    for button in (page.open_request_button, page.enrol_button, page.save_invitation_button):
        assert not button.isEnabled()
        assert button.toolTip().startswith("Only the consultant or the Executive Headteacher")
    head.lock()


def test_a_long_name_and_address_wrap_instead_of_being_cut_off(
    qtbot, runner, tmp_path, repository  # noqa: F811
):
    from invictus_desktop.services import trust_repository
    from invictus_desktop.sync.connection import RepositoryConnection, save_connection

    ann = make_laptop(tmp_path, "Morgan Hale")
    long_url = repository.url + "remote.php/dav/files/quad-repository-administrator/" \
        "Saint%20Bartholomew%27s%20Catholic%20Academy%20Trust/QUAD%20repository/"
    trust_repository.connect(ann, RepositoryConnection(repository.url), create=True)
    save_connection(ann.store, RepositoryConnection(long_url))
    newcomer = make_laptop(tmp_path, "Dr Anne-Marie Featherstonehaugh-Worthington of the "
                           "Northern Federation of Church Schools", role=Role.HEADTEACHER)
    request = tmp_path / "join-request.json"
    trust_repository.write_join_request(newcomer, request)
    page = _page(qtbot, runner, ann)

    page.open_join_request(request)

    # The enroller checks the role at the end of the line: it must show.
    assert page.request_label.text().endswith("(Headteacher).")
    for label in (page.status_label, page.request_label):
        assert label.minimumSizeHint().width() <= label.width(), label.text()
    ann.lock()
    newcomer.lock()


def test_a_changed_password_is_typed_again_on_the_screen(qtbot, runner, tmp_path):
    from invictus_desktop.services import trust_repository
    from invictus_desktop.sync.connection import (
        RepositoryConnection,
        load_connection,
        save_connection,
    )
    from invictus_desktop.sync.server import add_user, make_server

    users = tmp_path / "users"
    add_user(users, "morgan", "the first long secret")
    server = make_server(tmp_path / "repository", users_file=users)
    server.start()
    try:
        ann = make_laptop(tmp_path, "Morgan Hale")
        trust_repository.connect(ann, RepositoryConnection(
            server.url, "morgan", "the first long secret"), create=True)
        # The trust's administrator changes the password; this laptop has the old one.
        save_connection(ann.store, RepositoryConnection(server.url, "morgan", "outdated"))
        page = _page(qtbot, runner, ann)
        assert not page.sign_in_box.isHidden()

        page.sign_in_fields.user_edit.setText("morgan")
        page.sign_in_fields.password_edit.setText("a mistyped secret")
        qtbot.mouseClick(page.sign_in_button, Qt.MouseButton.LeftButton)
        assert page.message.property("tone") == "error"
        assert "did not accept the user name and password" in page.message.text()
        assert load_connection(ann.store).password == "outdated"

        page.sign_in_fields.password_edit.setText("the first long secret")
        with qtbot.waitSignal(page.sync_requested):
            qtbot.mouseClick(page.sign_in_button, Qt.MouseButton.LeftButton)
        assert page.message.property("tone") == "success"
        assert load_connection(ann.store).password == "the first long secret"
        assert page.sign_in_fields.password_edit.text() == ""
        assert sync_once(ann).refused == []
        ann.lock()
    finally:
        server.stop()


def test_a_second_click_while_connecting_does_not_connect_twice(
    qtbot, tmp_path, repository  # noqa: F811
):
    ann = make_laptop(tmp_path, "Morgan Hale")
    held = HeldRunner()
    page = _page(qtbot, held, ann)
    held.finish(0)  # the page's state: not connected
    page.not_connected.setCurrentIndex(1)
    page.address_edit.setText(repository.url)

    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)

    # One repository started; a second try would fail on the first's.
    assert len(held.held) == 1
    assert not page.join_address_button.isEnabled()
    held.finish(0)
    assert page.message.property("tone") == "success"
    assert page.create_button.isEnabled() and page.join_address_button.isEnabled()
    ann.lock()
