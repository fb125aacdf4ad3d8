"""Laptops for sync tests: real encrypted profiles that know each other's keys."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select

from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services.profile import NewProfile, UnlockedProfile, create_profile
from invictus_desktop.store.models import Role, School, Setting, Trust
from invictus_desktop.sync.change_detection import SETTING_KEY as CHANGE_RECORDS
from invictus_desktop.sync.engine import SyncEngine
from invictus_desktop.sync.enrol import (
    enrol_person,
    export_roster,
    import_roster,
    join_request_code,
    make_join_request,
)
from invictus_desktop.sync.webdav import WebDavClient
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.sync.conftest import QUICK_RETRIES


def make_laptop(folder: Path, name: str, role: Role = Role.CONSULTANT) -> UnlockedProfile:
    spec = NewProfile(name=name, role=role, passphrase=PASSPHRASE)
    profile, _ = create_profile(ProfilePaths(folder / name), spec, kdf_params=FAST_KDF)
    return profile


def introduce(*laptops: UnlockedProfile) -> None:
    """What invitations do: every laptop learns every other's enrolled keys."""
    roster = {entry["key_id"]: entry for p in laptops for entry in export_roster(p.store)}
    for laptop in laptops:
        import_roster(laptop.store, list(roster.values()))


@contextmanager
def locked_at_end(laptops: list[UnlockedProfile]) -> Iterator[list[UnlockedProfile]]:
    """Lock every laptop in the list when the block ends. The list is read then,
    so a test may put a laptop of its own in place of one it locked itself."""
    try:
        yield laptops
    finally:
        for laptop in laptops:
            laptop.lock()


@contextmanager
def introduced_laptops(folder: Path, *names: str) -> Iterator[list[UnlockedProfile]]:
    """Consultants' laptops that know each other's keys, locked when the block ends."""
    made = [make_laptop(folder, name) for name in names]
    introduce(*made)
    with locked_at_end(made):
        yield made


def enrol(inviter: UnlockedProfile, newcomer: UnlockedProfile) -> None:
    """What an invitation does for someone who is not a founder: the inviter
    countersigns the newcomer's keys (their own self-signed entry is left out
    of rosters, since only trust leads may enrol)."""
    request = make_join_request(newcomer.store)
    enrol_person(inviter.store, request, join_request_code(request))


def consultants_and_board_member(folder: Path) -> list[UnlockedProfile]:
    """Ann and Ben (consultants) and Cal (a Board member Ann enrolled), who know
    each other's keys: two people who may settle a choice and one who may not."""
    ann, ben = make_laptop(folder, "Ann Example"), make_laptop(folder, "Ben Example")
    cal = make_laptop(folder, "Cal Board", Role.BOARD_MEMBER)
    enrol(ann, cal)
    introduce(ann, ben, cal)
    return [ann, ben, cal]


def engine_for(laptop: UnlockedProfile, url: str, **client_options) -> SyncEngine:
    options = {"retry": QUICK_RETRIES, "read_timeout": 5, "sleep": lambda _s: None}
    options.update(client_options)
    return SyncEngine(laptop.store, WebDavClient(url, **options))


@contextmanager
def engines_in_one_repository(
    laptops: list[UnlockedProfile], url: str
) -> Iterator[list[SyncEngine]]:
    """An engine per laptop: the first creates the repository at `url`, the
    others join it; their clients are closed when the block ends."""
    made = [engine_for(laptop, url) for laptop in laptops]
    made[0].create_repository()
    for engine in made[1:]:
        engine.join_repository()
    try:
        yield made
    finally:
        for engine in made:
            engine.client.close()


def sync_twice(engines: list[SyncEngine]) -> None:
    """Every engine syncs, then again: everyone has everything, nothing refused
    and nothing waiting."""
    for engine in engines + engines:
        report = engine.sync()
        assert report.refused == [] and report.waiting == []


def add_school(laptop: UnlockedProfile, name: str, **fields) -> str:
    with laptop.store.session() as session:
        trust_id = session.scalar(select(Trust.id).order_by(Trust.id))
        school = School(trust_id=trust_id, name=name, **fields)
        session.add(school)
        session.flush()
        return school.id


def add_schools(laptop: UnlockedProfile, count: int) -> None:
    """`count` schools in one transaction (a change each in the outbox)."""
    with laptop.store.session() as session:
        trust_id = session.scalar(select(Trust.id).order_by(Trust.id))
        session.add_all(School(trust_id=trust_id, name=f"School {n}") for n in range(count))


def school_names(laptop: UnlockedProfile) -> dict[str, str]:
    with laptop.store.session() as session:
        return {s.id: s.name for s in session.scalars(select(School))}


def edit_concurrently(url: str, laptops, school_id: str, field: str, values) -> None:
    """Each laptop sets `field` of the school offline, then all sync twice: the
    field then holds one value and keeps the others as conflicts."""
    engines = [engine_for(laptop, url) for laptop in laptops]
    try:
        for laptop, value in zip(laptops, values, strict=True):
            with laptop.store.session() as session:
                setattr(session.get(School, school_id), field, value)
        for engine in engines + engines:
            engine.sync()
    finally:
        for engine in engines:
            engine.client.close()


def thorough_round_at(laptop: UnlockedProfile) -> float:
    """When the laptop's last round that listed every partition began."""
    with laptop.store.session() as session:
        return json.loads(session.get(Setting, CHANGE_RECORDS).value)["thorough_at"]


def move_thorough_round_back(laptop: UnlockedProfile, seconds: float) -> float:
    """Pretend the last thorough round was longer ago; returns its new time."""
    with laptop.store.session() as session:
        setting = session.get(Setting, CHANGE_RECORDS)
        records = json.loads(setting.value)
        records["thorough_at"] -= seconds
        setting.value = json.dumps(records)
        return records["thorough_at"]
