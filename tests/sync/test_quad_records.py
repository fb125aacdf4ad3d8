"""A whole QUAD travels: plan, schedule, visit, evidence and running notes, across
the trust and QUAD partitions, with dates, enums and many-to-many links."""

from sqlalchemy import select

from invictus_desktop.services import visits
from invictus_desktop.store.models import (
    Activity,
    Base,
    EvidenceEntry,
    FocusArea,
    Judgement,
    Quad,
    RunningNoteLine,
    ScheduledVisit,
    SipPriority,
    new_id,
)
from invictus_desktop.sync.tables import synced_tables
from tests.services.factories import plan_quad
from tests.sync.replicas import engine_for, introduce, make_laptop

LOCAL_TIMES = {"created_at", "updated_at"}


def snapshot(laptop, *models) -> dict:
    """Every column of every row of the given models, except local timestamps."""
    tables = synced_tables()
    found = {}
    with laptop.store.session() as session:
        for model in models:
            table = tables[model.__tablename__]
            for row in session.scalars(select(model)):
                found[(model.__tablename__, row.id)] = {
                    key: getattr(row, key)
                    for key in table.columns
                    if key not in LOCAL_TIMES
                }
            for name, link in table.links.items():
                pairs = session.execute(select(link.table)).all()
                found[(model.__tablename__, name)] = sorted(pairs)
    return found


def test_a_planned_and_visited_quad_arrives_whole(tmp_path, repository):
    ann, ben = make_laptop(tmp_path, "ann"), make_laptop(tmp_path, "ben")
    introduce(ann, ben)
    planned = plan_quad(ann)
    activity_id = visits.start_visit(ann, planned.quad_id, planned.slot_id)
    visits.save_fields(ann, activity_id, {"strengths": "Clear modelling of ratio"})
    visits.save_evidence(
        ann, activity_id, planned.focus_ids[0], "Books show", Judgement.SUPPORTS
    )
    visits.add_note_line(ann, activity_id, "8:52 starter on the board")
    writer, reader = engine_for(ann, repository.url), engine_for(ben, repository.url)
    writer.create_repository()
    reader.join_repository()

    writer.sync()
    report = reader.sync()

    assert report.refused == [] and report.waiting == []
    models = (
        Quad,
        FocusArea,
        ScheduledVisit,
        Activity,
        EvidenceEntry,
        RunningNoteLine,
        SipPriority,
    )
    assert snapshot(ben, *models) == snapshot(ann, *models)
    quad_partition = repository.root / "partitions" / f"quad-{planned.quad_id}"
    assert (quad_partition / ann.store.device_id).is_dir()
    ann.lock()
    ben.lock()


def test_running_notes_added_on_two_laptops_at_once_merge_by_union(tmp_path, repository):
    ann, ben = make_laptop(tmp_path, "ann"), make_laptop(tmp_path, "ben")
    introduce(ann, ben)
    planned = plan_quad(ann)
    activity_id = visits.start_visit(ann, planned.quad_id, planned.slot_id)
    writer, reader = engine_for(ann, repository.url), engine_for(ben, repository.url)
    writer.create_repository()
    reader.join_repository()
    writer.sync()
    reader.sync()

    visits.add_note_line(ann, activity_id, "Ann: pupils settle quickly")
    with ben.store.session() as session:
        activity = session.get(Activity, activity_id)
        session.add(
            RunningNoteLine(
                id=new_id(),
                quad_id=activity.quad_id,
                activity_id=activity_id,
                stamped_at=visits.now(),
                text="Ben: questioning targets all pupils",
            )
        )
    for engine in (writer, reader, writer):
        engine.sync()

    for laptop in (ann, ben):
        with laptop.store.session() as session:
            lines = set(
                session.scalars(
                    select(RunningNoteLine.text).where(
                        RunningNoteLine.activity_id == activity_id
                    )
                )
            )
        assert lines == {
            "Ann: pupils settle quickly",
            "Ben: questioning targets all pupils",
        }
    ann.lock()
    ben.lock()


def test_every_synced_table_is_known_and_no_local_table_is():
    tables = synced_tables()

    assert {"quad", "activity", "running_note_line", "person_key"} <= set(tables)
    for local in (
        "local_identity",
        "outbox_entry",
        "setting",
        "sync_cursor",
        "sync_kept_conflict",
        "audit_entry",
    ):
        assert local not in tables
    assert set(tables) < set(Base.metadata.tables)


def test_evidence_recorded_against_a_focus_area_deleted_meanwhile_goes_with_it(
    tmp_path, repository
):
    ann, ben = make_laptop(tmp_path, "ann"), make_laptop(tmp_path, "ben")
    introduce(ann, ben)
    planned = plan_quad(ann)
    activity_id = visits.start_visit(ann, planned.quad_id, planned.slot_id)
    writer, reader = engine_for(ann, repository.url), engine_for(ben, repository.url)
    writer.create_repository()
    reader.join_repository()
    writer.sync()
    reader.sync()
    doomed = planned.focus_ids[0]

    with ann.store.session() as session:
        session.delete(session.get(FocusArea, doomed))
    with ben.store.session() as session:
        session.add(
            EvidenceEntry(
                id=new_id(),
                quad_id=planned.quad_id,
                activity_id=activity_id,
                focus_area_id=doomed,
                text="Recorded offline",
            )
        )
    reports = [engine.sync() for engine in (writer, reader, writer)]

    assert all(r.refused == [] and r.waiting == [] for r in reports)
    for laptop in (ann, ben):
        with laptop.store.session() as session:
            assert session.get(FocusArea, doomed) is None
            assert session.scalars(select(EvidenceEntry.text)).all() == []
    models = (Quad, FocusArea, ScheduledVisit, Activity, EvidenceEntry)
    assert snapshot(ben, *models) == snapshot(ann, *models)
    ann.lock()
    ben.lock()


def test_an_optional_reference_to_a_deleted_row_is_cleared_everywhere(tmp_path, repository):
    from invictus_desktop.store.models import StaffMember

    ann, ben = make_laptop(tmp_path, "ann"), make_laptop(tmp_path, "ben")
    introduce(ann, ben)
    planned = plan_quad(ann)
    writer, reader = engine_for(ann, repository.url), engine_for(ben, repository.url)
    writer.create_repository()
    reader.join_repository()
    writer.sync()
    reader.sync()

    with ann.store.session() as session:
        slot = session.get(ScheduledVisit, planned.slot_id)
        staff_id = slot.staff_member_id
        slot.staff_member_id = None  # the app unlinks before deleting
        session.flush()
        session.delete(session.get(StaffMember, staff_id))
    with ben.store.session() as session:
        slot = session.get(ScheduledVisit, planned.slot_id)
        slot.room = "M5"
        extra = ScheduledVisit(
            id=new_id(),
            quad_id=planned.quad_id,
            day=slot.day,
            period="P2",
            staff_member_id=staff_id,
        )
        session.add(extra)
    for engine in (reader, writer, reader):
        engine.sync()

    for laptop in (ann, ben):
        with laptop.store.session() as session:
            slot = session.get(ScheduledVisit, planned.slot_id)
            assert (slot.staff_member_id, slot.room) == (None, "M5")
            assert session.get(ScheduledVisit, extra.id).staff_member_id is None
            assert session.get(StaffMember, staff_id) is None
    ann.lock()
    ben.lock()


def test_a_deletion_that_would_break_this_laptops_own_records_is_refused(
    tmp_path, repository
):
    from invictus_desktop.store.models import Person

    ann, ben = make_laptop(tmp_path, "ann"), make_laptop(tmp_path, "ben")
    introduce(ann, ben)
    writer, reader = engine_for(ann, repository.url), engine_for(ben, repository.url)
    writer.create_repository()
    reader.join_repository()
    reader.sync()
    writer.sync()
    with ann.store.session() as session:
        session.delete(session.get(Person, ben.person_id))

    writer.sync()
    report = reader.sync()

    assert report.refused and "pointing at deleted ones" in report.refused[0].why
    with ben.store.session() as session:
        assert session.get(Person, ben.person_id) is not None
    ann.lock()
    ben.lock()
