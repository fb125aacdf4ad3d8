"""Only the trust's leads enrol people and assign roles, also through sync: a
laptop whose owner is not a lead cannot slip a key or a role past the others,
and a lead's enrolment reaches everyone whichever log arrives first."""

import logging

import pytest
from sqlalchemy import func, select

from invictus_desktop.crypto.identity_keys import sign
from invictus_desktop.services.syncing import sync_once
from invictus_desktop.store import hlc
from invictus_desktop.store.models import (
    LocalIdentity,
    OutgoingSegment,
    Person,
    PersonKey,
    Role,
    RoleAssignment,
)
from invictus_desktop.store.outbox import APPLYING_REMOTE_CHANGES
from invictus_desktop.sync import layout
from invictus_desktop.sync.engine import SyncEngine
from invictus_desktop.sync.enrol import (
    accept_invitation,
    enrol_person,
    join_request_code,
    make_invitation,
    make_join_request,
    roles_of,
)
from invictus_desktop.sync.outgoing import load_author
from invictus_desktop.sync.segment import Header, Op, build_segment
from tests.sync.publishing_setup import connect, invite
from tests.sync.replicas import add_school, engine_for, make_laptop, school_names


def _keys_of(laptop, person_id: str) -> set[bytes]:
    with laptop.store.session() as session:
        return set(
            session.scalars(
                select(PersonKey.signing_public).where(PersonKey.person_id == person_id)
            )
        )


def _roles(laptop, person_id: str) -> set[str]:
    with laptop.store.session() as session:
        return roles_of(session, person_id)


def _device(laptop) -> str:
    with laptop.store.session() as session:
        return session.scalars(select(LocalIdentity.device_id)).one()


@pytest.fixture
def trust(tmp_path, repository):
    """A consultant who founded the repository, an Executive Headteacher and a
    visiting Headteacher, both invited by the consultant."""
    consultant = make_laptop(tmp_path, "Morgan Hale")
    connect(consultant, repository.url, create=True)
    executive = make_laptop(tmp_path, "Priya Raman", role=Role.EXECUTIVE_HEAD)
    visiting = make_laptop(tmp_path, "Owen Castell", role=Role.HEADTEACHER)
    invite(consultant, executive, repository.url)
    invite(consultant, visiting, repository.url)
    for laptop in (executive, visiting, consultant, executive):
        assert sync_once(laptop).refused == []
    laptops = {"consultant": consultant, "executive": executive, "visiting": visiting}
    yield laptops
    for laptop in laptops.values():
        laptop.lock()


def test_enrolment_assigns_the_role_asked_for_and_a_self_given_role_goes_nowhere(trust):
    consultant, executive, visiting = trust.values()

    for laptop in (consultant, executive):
        assert _roles(laptop, visiting.person_id) == {"headteacher"}
        assert _roles(laptop, executive.person_id) == {"executive_head"}
        with laptop.store.session() as session:
            # The visiting head's own first rows (a role and a self-signed key)
            # are not applied here: the consultant's enrolment gave both.
            held = session.scalars(
                select(PersonKey).where(PersonKey.person_id == visiting.person_id)
            ).all()
            assert {key.enrolled_by_id for key in held} == {consultant.person_id}


def test_a_non_lead_cannot_make_themselves_a_lead_or_enrol_a_rogue_key(
    trust, tmp_path, repository, caplog
):
    consultant, _, visiting = trust.values()
    # The visiting head gives themselves the consultant role on their own laptop
    # (their app now lets them enrol), enrols a rogue key and invites it.
    with visiting.store.session() as session:
        session.add(RoleAssignment(person_id=visiting.person_id, role=Role.CONSULTANT))
    rogue = make_laptop(tmp_path, "Rogue", role=Role.CONSULTANT)
    request = make_join_request(rogue.store)
    enrol_person(visiting.store, request, join_request_code(request))
    visiting_school = add_school(visiting, "Crestwood School")
    assert sync_once(visiting).refused == []
    connect(rogue, accept_invitation(rogue.store, make_invitation(visiting.store,
                                                                  repository.url)))
    rogue_school = add_school(rogue, "Rogue Academy")
    assert sync_once(rogue).refused == []

    with caplog.at_level(logging.INFO):
        reports = {name: sync_once(trust[name]) for name in ("consultant", "executive")}

    for name, report in reports.items():
        laptop = trust[name]
        # The rogue's segments are refused, with a line saying why.
        assert len(report.refused) == 1, report.refused
        assert "signed with a key the trust has not enrolled" in report.refused[0].why
        assert report.waiting == []
        # Nothing the visiting head gave reached this laptop...
        assert _roles(laptop, visiting.person_id) == {"headteacher"}
        assert _keys_of(laptop, rogue.person_id) == set()
        assert rogue_school not in school_names(laptop)
        # ... but their log went on: their other work arrived.
        assert school_names(laptop)[visiting_school] == "Crestwood School"
    assert "not applied: upsert of person_key" in caplog.text
    assert "refused a segment from device" in caplog.text

    # Later rounds refuse the rogue again and change nothing else.
    again = sync_once(consultant)
    assert len(again.refused) == 1 and again.received == 0
    rogue.lock()


def test_a_key_enrolled_by_someone_not_a_lead_is_not_trusted_even_if_stored(
    trust, tmp_path, repository, caplog
):
    """A row that got into a store some other way (before this check existed):
    the key's enrolment must lead back to a lead, or its segments are refused."""
    consultant, _, visiting = trust.values()
    rogue = make_laptop(tmp_path, "Rogue")
    with visiting.store.session() as session:
        visiting_private = session.scalars(select(LocalIdentity)).one().signing_private
    with rogue.store.session() as session:
        key = session.scalars(select(PersonKey)).one()
        signing, exchange = key.signing_public, key.exchange_public
    with consultant.store.session() as session:
        session.info[APPLYING_REMOTE_CHANGES] = True
        session.add(Person(id=rogue.person_id, name="Rogue"))
        session.flush()
        session.add(PersonKey(
            person_id=rogue.person_id, signing_public=signing, exchange_public=exchange,
            enrolled_by_id=visiting.person_id,
            enrolment_signature=sign(visiting_private, signing + exchange),
        ))
    connect(rogue, repository.url)
    add_school(rogue, "Rogue Academy")
    engine = engine_for(rogue, repository.url)
    engine.sync()
    engine.client.close()

    with caplog.at_level(logging.WARNING):
        report = sync_once(consultant)

    assert len(report.refused) == 1
    assert "signed with a key the trust has not enrolled" in report.refused[0].why
    assert "enrolled by someone who is not a lead here" in caplog.text
    rogue.lock()


def test_a_role_given_in_one_log_lets_an_enrolment_in_another_through(
    trust, tmp_path, repository, monkeypatch, caplog
):
    """The consultant makes the visiting head an Executive Headteacher; the head
    then enrols a newcomer. A laptop that reads the head's log first waits for
    the consultant's log instead of dropping the newcomer's key, and one that
    reads the newcomer's log before their enrolment waits for it too."""
    consultant, executive, visiting = trust.values()
    with consultant.store.session() as session:
        session.add(
            RoleAssignment(person_id=visiting.person_id, role=Role.EXECUTIVE_HEAD)
        )
    assert sync_once(consultant).refused == []
    assert sync_once(visiting).refused == []
    newcomer = make_laptop(tmp_path, "Nia Brook", role=Role.HEADTEACHER)
    invite(visiting, newcomer, repository.url)
    newcomer_school = add_school(newcomer, "Oakfield Primary")
    assert sync_once(newcomer).refused == []

    # The executive head's laptop reads the newcomer's log first, then the
    # visiting head's (who enrolled them) before the consultant's (who made the
    # head a lead): each waits for the next, and all apply in the same round.
    discover = SyncEngine._discover_logs
    order = [_device(newcomer), _device(visiting), _device(consultant)]

    def visiting_first(self, own_device):
        return sorted(discover(self, own_device), key=lambda log: order.index(log.device))

    monkeypatch.setattr(SyncEngine, "_discover_logs", visiting_first)
    with caplog.at_level(logging.INFO):
        report = sync_once(executive)
    assert "not a lead here (yet)" in caplog.text
    assert "waits for its author's enrolment" in caplog.text
    assert report.refused == [] and report.waiting == []

    assert _keys_of(executive, newcomer.person_id)
    assert _roles(executive, newcomer.person_id) == {"headteacher"}
    assert _roles(executive, visiting.person_id) == {"headteacher", "executive_head"}
    assert school_names(executive)[newcomer_school] == "Oakfield Primary"
    newcomer.lock()


def _forge_into_own_log(laptop, repository_url: str, ops) -> None:
    """A segment the laptop's owner signs and uploads outside the app's outbox,
    as someone whose copy of the app does what they like would."""
    engine = engine_for(laptop, repository_url)
    repository_id = engine.check_repository()
    with laptop.store.session() as session:
        author = load_author(session)
        sent = session.scalar(
            select(func.max(OutgoingSegment.seq)).where(OutgoingSegment.partition == "trust")
        )
    seq = (sent or 0) + 1
    header = Header(
        repository=repository_id, partition="trust", device=author.device_id,
        author=author.person_id, key=author.signing_public.hex(), seq=seq,
        created=ops[0].hlc, count=len(ops),
    )
    name, body = build_segment(header, ops, author.signing_private)
    path = layout.segment_path("trust", author.device_id, seq, name)
    engine.client.ensure_folder(path.rsplit("/", 1)[0] + "/")
    engine.client.put_immutable(path, body)
    engine.client.close()


def test_a_non_lead_cannot_take_a_leads_keys_and_roles_by_deleting_the_person(
    trust, repository
):
    """Deleting a person takes their keys and roles with it; only a lead may."""
    consultant, executive, visiting = trust.values()
    clock = f"{hlc.now_ms():013d}-000000-{_device(visiting)}"
    _forge_into_own_log(
        visiting, repository.url, [Op("person", consultant.person_id, "delete", clock)]
    )

    sync_once(executive)

    with executive.store.session() as session:
        assert session.get(Person, consultant.person_id) is not None
    assert _roles(executive, consultant.person_id) == {"consultant"}
    assert _keys_of(executive, consultant.person_id)
    # The consultant's later work is still accepted.
    school_id = add_school(consultant, "Hollybank School")
    assert sync_once(consultant).refused == []
    assert sync_once(executive).refused == []
    assert school_names(executive)[school_id] == "Hollybank School"
