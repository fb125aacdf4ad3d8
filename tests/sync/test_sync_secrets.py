"""What sync must never leak or trust: note text and passwords in logs, the
password on disk in the clear, and keys that have been revoked."""

import logging

from sqlalchemy import select

from invictus_desktop.store.models import PersonKey, School, utc_now
from invictus_desktop.sync.connection import (
    RepositoryConnection,
    load_connection,
    save_connection,
)
from tests.sync.replicas import add_school, engine_for, introduce, make_laptop, school_names

SECRET_TEXT = "pupil-disclosure-7f3a"
PASSWORD = "hunter2-repository-password"


def test_sync_logs_carry_no_record_text_and_no_password(tmp_path, repository, caplog):
    ann, ben = make_laptop(tmp_path, "ann"), make_laptop(tmp_path, "ben")
    introduce(ann, ben)
    add_school(ann, SECRET_TEXT)
    writer = engine_for(ann, repository.url, username="ann", password=PASSWORD)
    reader = engine_for(ben, repository.url)

    with caplog.at_level(logging.DEBUG):
        writer.create_repository()
        reader.join_repository()
        writer.sync()
        reader.sync()

    assert SECRET_TEXT in school_names(ben).values()
    assert SECRET_TEXT not in caplog.text and PASSWORD not in caplog.text
    ann.lock()
    ben.lock()


def test_the_saved_repository_password_is_only_inside_the_encrypted_store(tmp_path):
    ann = make_laptop(tmp_path, "ann")
    connection = RepositoryConnection("https://dav.example.org/", "ann", PASSWORD)

    save_connection(ann.store, connection)

    assert load_connection(ann.store).password == PASSWORD
    assert PASSWORD not in repr(connection)
    ann.lock()
    for path in ann.paths.root.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path.name


def test_segments_signed_with_a_revoked_key_are_refused(tmp_path, repository):
    ann, ben = make_laptop(tmp_path, "ann"), make_laptop(tmp_path, "ben")
    introduce(ann, ben)
    writer, reader = engine_for(ann, repository.url), engine_for(ben, repository.url)
    writer.create_repository()
    reader.join_repository()
    writer.sync()
    reader.sync()
    with ben.store.session() as session:
        for key in session.scalars(
            select(PersonKey).where(PersonKey.person_id == ann.person_id)
        ):
            key.revoked_at = utc_now()

    school_id = add_school(ann, "Written after revocation")
    writer.sync()
    report = reader.sync()

    assert school_id not in school_names(ben)
    assert report.refused and "not enrolled" in report.refused[0].why
    with ben.store.session() as session:
        assert session.get(School, school_id) is None
    ann.lock()
    ben.lock()
