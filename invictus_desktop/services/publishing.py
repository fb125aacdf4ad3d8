"""Publishing final reports to the repository, and the Board's library of them.

The consultant's laptop publishes each version it finalised, during a sync
round: the Board copy to the Board area and the school copy to the school's
area, each a write-once folder (see `sync/publication.py`). People who read
published reports (Board members, consultants, executive heads) keep a copy
of every Board-area version in their encrypted store, so the library opens
offline; each copy is verified against its signer's enrolled key whenever it
is shown.
"""

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from invictus_desktop.errors import UserFacingError
from invictus_desktop.reporting.audience import Variant
from invictus_desktop.services.access import load_actor
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.report_finalise import (
    MANIFEST_KIND,
    Verification,
    check_manifest,
)
from invictus_desktop.services.signing import verify_by_person
from invictus_desktop.services.visits import now
from invictus_desktop.store.models import (
    PersonKey,
    PublishedReport,
    ReportFile,
    ReportStatus,
    ReportVersion,
    Role,
    Setting,
)
from invictus_desktop.sync import publication
from invictus_desktop.sync.publication import Outcome, Publication
from invictus_desktop.sync.webdav import WebDavClient

log = logging.getLogger(__name__)

PUBLISHED_MARK = "published:"  # + version id: this laptop published it
READER_ROLES = frozenset({Role.BOARD_MEMBER, Role.CONSULTANT, Role.EXECUTIVE_HEAD})
TERM_ORDER = {"autumn": 0, "spring": 1, "summer": 2}


@dataclass
class PublishingResult:
    published: list[str]
    clashes: list[str]


@dataclass(frozen=True)
class PublishedEntry:
    """One version in the library, described by its (signed) manifest."""

    folder: str
    variant: Variant
    reference: str
    number: int
    school_name: str
    term: str
    signer_name: str
    finalised_at: str
    newest: bool

    @property
    def title(self) -> str:
        return f"{self.reference}, version {self.number}"

    @property
    def copy_label(self) -> str:
        return self.variant.label


# Publishing ----------------------------------------------------------------------


def publish_pending(profile: UnlockedProfile, client: WebDavClient) -> PublishingResult:
    """Publish every final version this person signed that is not out yet."""
    result = PublishingResult([], [])
    with profile.store.session() as session:
        pending = _unpublished_versions(session, profile.person_id)

    for version_id, reference, number in pending:
        with profile.store.session() as session:
            copies = _copies_of(session, version_id)
        outcomes = [publication.publish(client, folder, copy) for folder, copy in copies]
        label = f"{reference} version {number}"
        if Outcome.CLASH in outcomes:
            log.warning("the repository holds a different %s; not overwritten", label)
            result.clashes.append(label)
            continue
        with profile.store.session() as session:
            session.add(Setting(key=PUBLISHED_MARK + version_id, value=now().isoformat()))
        log.info("published %s", label)
        result.published.append(label)
    return result


def published_at(session: Session, version_id: str) -> datetime | None:
    """When this laptop published the version (both copies), or None."""
    mark = session.get(Setting, PUBLISHED_MARK + version_id)
    return datetime.fromisoformat(mark.value) if mark is not None else None


def _unpublished_versions(session: Session, person_id: str) -> list[tuple[str, str, int]]:
    done = {
        key.removeprefix(PUBLISHED_MARK)
        for key in session.scalars(
            select(Setting.key).where(Setting.key.startswith(PUBLISHED_MARK))
        )
    }
    versions = session.scalars(
        select(ReportVersion)
        .where(
            ReportVersion.status == ReportStatus.FINAL,
            ReportVersion.signed_off_by_id == person_id,
            ReportVersion.manifest.is_not(None),
        )
        .order_by(ReportVersion.finalised_at)
    ).all()
    return [
        (v.id, json.loads(v.manifest)["reference"], v.number)
        for v in versions
        if v.id not in done
    ]


def _copies_of(session: Session, version_id: str) -> list[tuple[str, Publication]]:
    version = session.get(ReportVersion, version_id)
    manifest = json.loads(version.manifest)
    files = {
        f.variant: f.pdf
        for f in session.scalars(
            select(ReportFile).where(ReportFile.version_id == version_id)
        )
    }
    missing = {Variant.BOARD.value, Variant.SCHOOL.value} - files.keys()
    if missing:
        raise UserFacingError(
            f"{manifest['reference']} version {version.number} has no stored "
            f"{' or '.join(sorted(missing))} PDF, so it cannot be published.",
            next_step="Run `invictus-desktop doctor`; the store may be damaged.",
        )

    def copy(variant: Variant) -> Publication:
        return Publication(
            version.manifest.encode("utf-8"), version.signature, files[variant.value]
        )

    reference, number = manifest["reference"], version.number
    return [
        (publication.board_folder(reference, number), copy(Variant.BOARD)),
        (
            publication.school_folder(manifest["school_id"], reference, number),
            copy(Variant.SCHOOL),
        ),
    ]


# The library --------------------------------------------------------------------


def reading_areas(profile: UnlockedProfile) -> list[str]:
    """The areas this person reads: the Board's (Board members, consultants,
    executive heads) and those of the schools they are Headteacher of."""
    with profile.store.session() as session:
        actor = load_actor(session, profile.person_id)
    areas = [publication.BOARD] if actor.roles & READER_ROLES else []
    return areas + [publication.school_area(school) for school in sorted(actor.head_of)]


def refresh_library(profile: UnlockedProfile, client: WebDavClient) -> int:
    """Fetch the versions of this person's areas not yet kept here; returns how
    many arrived."""
    with profile.store.session() as session:
        known = set(session.scalars(select(PublishedReport.folder)))

    arrived = 0
    for area in reading_areas(profile):
        variant = Variant.BOARD if area == publication.BOARD else Variant.SCHOOL
        for name in publication.list_versions(client, area):
            folder = f"{area}{name.name}/"
            if folder in known:
                continue
            files = publication.fetch(client, folder)
            if files is None:
                continue  # not complete yet: next round
            described = _describe(files.manifest, name, area)
            if described is None:
                log.warning("%s holds no manifest that matches it; not kept", folder)
                continue
            with profile.store.session() as session:
                session.add(
                    PublishedReport(
                        folder=folder,
                        variant=variant.value,
                        reference=name.reference,
                        number=name.number,
                        school_name=described[0],
                        term=described[1],
                        manifest=files.manifest,
                        signature=files.signature,
                        pdf=files.pdf,
                    )
                )
            arrived += 1
    if arrived:
        log.info("%d published report versions arrived", arrived)
    return arrived


def _describe(
    manifest_bytes: bytes, name: publication.FolderName, area: str
) -> tuple[str, str] | None:
    """School and term from a manifest that matches its folder's name and area."""
    try:
        manifest = json.loads(manifest_bytes)
        matches = (
            manifest["kind"] == MANIFEST_KIND
            and manifest["reference"] == name.reference
            and manifest["version"] == name.number
        )
        if area != publication.BOARD:
            matches = matches and area == publication.school_area(manifest["school_id"])
        school, term = manifest.get("school", ""), manifest.get("term", "")
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not matches or not isinstance(school, str) or not isinstance(term, str):
        return None
    return school[:200], term[:40]


def published_reports(profile: UnlockedProfile) -> list[PublishedEntry]:
    """The library, by school, then term (newest first), then version (newest first)."""
    with profile.store.session() as session:
        rows = session.scalars(select(PublishedReport)).all()
        newest: dict[str, int] = {}
        for row in rows:
            newest[row.reference] = max(newest.get(row.reference, 0), row.number)
        entries = [
            PublishedEntry(
                row.folder,
                Variant(row.variant),
                row.reference,
                row.number,
                row.school_name or "School not named",
                row.term or "Term not named",
                *_signer_and_time(row.manifest),
                newest=row.number == newest[row.reference],
            )
            for row in rows
        ]
    return sorted(
        entries,
        key=lambda e: (
            e.school_name, _term_sort_key(e.term), e.reference, -e.number, e.variant.value
        ),
    )


def _signer_and_time(manifest_bytes: bytes) -> tuple[str, str]:
    try:
        manifest = json.loads(manifest_bytes)
        return str(manifest.get("signer_name", "")), str(manifest.get("finalised_at", ""))
    except (ValueError, AttributeError):
        return "", ""


def _term_sort_key(term: str) -> tuple:
    """Newest first: "Summer 2026-27" before "Autumn 2026-27" before 2025-26."""
    match = re.fullmatch(r"(\w+) (\d{4})\S*", term)
    if match is None:
        return (1, term)
    return (0, -int(match[2]), -TERM_ORDER.get(match[1].lower(), -1))


def open_published(profile: UnlockedProfile, folder: str) -> tuple[bytes, Verification]:
    """A kept version's PDF and whether it is exactly what its signer signed."""
    with profile.store.session() as session:
        row = session.get(PublishedReport, folder)
        if row is None:
            raise UserFacingError("That published report is not in this profile's library.")
        return row.pdf, verify_publication(
            session, row.manifest, row.signature, row.pdf, Variant(row.variant)
        )


def verify_publication(
    session: Session, manifest_bytes: bytes, signature: bytes, pdf: bytes, variant: Variant
) -> Verification:
    try:
        manifest_text = manifest_bytes.decode("utf-8")
        manifest = json.loads(manifest_text)
        signer_id = manifest["signer_id"]
    except (ValueError, KeyError, TypeError):
        return Verification(False, "", "", ["the manifest is malformed"])

    signature_ok = verify_by_person(session, signer_id, manifest_bytes, signature)
    problems = check_manifest(
        manifest_text, signature, signature_ok, pdf, variant.value
    )
    if not signature_ok and not _is_enrolled(session, signer_id):
        problems = ["the signer is not enrolled in this trust (sync, then try again)"]
    elif not _was_consultant(session, signer_id):
        problems.append("the signer does not hold the consultant role")
    return Verification(
        not problems,
        str(manifest.get("signer_name", "")),
        str(manifest.get("finalised_at", "")),
        problems,
    )


def _is_enrolled(session: Session, person_id: str) -> bool:
    enrolled = select(PersonKey.person_id).where(PersonKey.person_id == person_id)
    return session.scalar(enrolled) is not None


def _was_consultant(session: Session, person_id: str) -> bool:
    try:
        return Role.CONSULTANT in load_actor(session, person_id).roles
    except UserFacingError:
        return False


def find_published(
    profile: UnlockedProfile, reference: str, number: int | None = None
) -> PublishedEntry:
    """A version in the library by reference (the newest unless a number is given)."""
    matches = [
        entry
        for entry in published_reports(profile)
        if entry.reference.upper() == reference.upper()
        and (entry.newest if number is None else entry.number == number)
    ]
    if not matches:
        which = reference if number is None else f"{reference} version {number}"
        raise UserFacingError(
            f"No published report {which} is in this profile's library.",
            next_step="Sync to fetch newly published reports, then try again.",
        )
    return matches[0]
