"""Publishing final reports to the repository, and the Board's library of them.

The consultant's laptop publishes each version it finalised, during a sync
round: the Board copy to the Board area and the school copy to the school's
area, each a write-once folder (see `sync/publication.py`). People who read
published reports (Board members, consultants, executive heads) keep a copy
of every Board-area version in their encrypted store, so the library opens
offline; each copy is verified against its signer's enrolled key whenever it
is shown.
"""

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
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
from invictus_desktop.sync.errors import RepositoryError
from invictus_desktop.sync.publication import Outcome, Publication
from invictus_desktop.sync.webdav import WebDavClient

log = logging.getLogger(__name__)

PUBLISHED_MARK = "published:"  # + version id: this laptop published it
# + a hash of the folder: the kept copy's PDF did not match its manifest when it
# arrived (cut off, or a Wi-Fi sign-in page instead of the file), so the folder
# is fetched again until a matching PDF arrives. The copy stays listed meanwhile.
REFETCH_MARK = "published-refetch:"
# New folders fetched per round (each up to 64 MB): a hostile or runaway listing
# cannot make one round download without end; the rest come next round.
MAX_FETCHES_PER_ROUND = 40
# Manifests read per round (each up to 64 KB), complete or not, matching or not.
MAX_LOOKS_PER_ROUND = 400
READER_ROLES = frozenset({Role.BOARD_MEMBER, Role.CONSULTANT, Role.EXECUTIVE_HEAD})
TERM_ORDER = {"autumn": 0, "spring": 1, "summer": 2}


@dataclass
class PublishingResult:
    published: list[str]
    clashes: list[str]
    # "REF version N: why", for versions that could not be published this round;
    # they stay pending and are tried again at the next.
    failed: list[str] = field(default_factory=list)


@dataclass
class LibraryResult:
    arrived: int = 0
    # Why fetching stopped early (the repository failed), else None.
    problem: str | None = None


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
    """Publish every final version this person signed that is not out yet.

    Never raises for the repository's failures: a version is marked only once
    both copies are out, so one that failed stays pending for the next round,
    and the result says why (what did go out is kept in the result too).
    """
    result = PublishingResult([], [])
    with profile.store.session() as session:
        pending = _unpublished_versions(session, profile.person_id)

    for version_id, reference, number in pending:
        label = f"{reference} version {number}"
        try:
            with profile.store.session() as session:
                copies = _copies_of(session, version_id)
        except (UserFacingError, ValueError, KeyError) as exc:
            # This version cannot be published (no stored PDF, a name no folder
            # may have); the others still can.
            log.warning("%s cannot be published: %s", label, exc)
            result.failed.append(f"{label}: {exc}")
            continue
        try:
            outcomes = [publication.publish(client, folder, copy) for folder, copy in copies]
        except RepositoryError as exc:
            # The repository, not this version, failed: the rest would too.
            log.warning("publishing %s failed: %s", label, exc)
            result.failed.append(f"{label}: {exc}")
            break
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


def refresh_library(profile: UnlockedProfile, client: WebDavClient) -> LibraryResult:
    """Fetch the versions of this person's areas not yet kept here (and again
    those whose kept PDF did not match its manifest); says how many arrived.

    Each copy is kept in one transaction, so a round cut short keeps whole
    copies or none. Never raises for the repository's failures: what arrived
    before one stays, and the result says why fetching stopped.
    """
    with profile.store.session() as session:
        known = set(session.scalars(select(PublishedReport.folder)))
        refetch = {
            key.removeprefix(REFETCH_MARK)
            for key in session.scalars(
                select(Setting.key).where(Setting.key.startswith(REFETCH_MARK))
            )
        }

    result = LibraryResult()
    budget = _Budget()
    try:
        for area in reading_areas(profile):
            variant = Variant.BOARD if area == publication.BOARD else Variant.SCHOOL
            # Newest first, so that a round cut short brings the latest versions.
            names = sorted(publication.list_versions(client, area),
                           key=lambda n: (-n.number, n.reference))
            for name in names:
                folder = f"{area}{name.name}/"
                again = folder in known
                if again and _folder_key(folder) not in refetch:
                    continue
                if budget.spent():
                    log.info("more published versions wait for the next round")
                    return result
                if _fetch_into_library(profile, client, folder, name, area, variant,
                                       again=again, budget=budget):
                    known.add(folder)
                    result.arrived += 0 if again else 1
    except RepositoryError as exc:
        log.warning("fetching published reports stopped: %s", exc)
        result.problem = str(exc)
    finally:
        if result.arrived:
            log.info("%d published report versions arrived", result.arrived)
    return result


@dataclass
class _Budget:
    """What one round may still fetch (see MAX_LOOKS_PER_ROUND)."""

    looks: int = 0
    fetches: int = 0

    def spent(self) -> bool:
        return (self.looks >= MAX_LOOKS_PER_ROUND
                or self.fetches >= MAX_FETCHES_PER_ROUND)


def _fetch_into_library(
    profile: UnlockedProfile,
    client: WebDavClient,
    folder: str,
    name: publication.FolderName,
    area: str,
    variant: Variant,
    *,
    again: bool,
    budget: _Budget,
) -> bool:
    """Fetch one folder and keep it (or, `again`, mend the kept copy's PDF);
    False while it is incomplete or not what its name says."""
    budget.looks += 1
    manifest = publication.fetch_manifest(client, folder)
    if manifest is None:
        return False  # not complete yet: next round
    # Checked before the (large) PDF is fetched.
    described = _describe(manifest, name, area)
    if described is None:
        log.warning("%s holds no manifest that matches it; not kept", folder)
        return False
    if again:
        with profile.store.session() as session:
            kept = session.get(PublishedReport, folder)
            if kept is None or kept.manifest != manifest:
                log.warning("the manifest of %s changed on the server; kept copy stays",
                            folder)
                return False
    budget.fetches += 1
    files = publication.fetch_files(client, folder, manifest)
    if files is None:
        return False
    matches = _pdf_matches(manifest, files.pdf, variant)
    with profile.store.session() as session:
        mark = session.get(Setting, REFETCH_MARK + _folder_key(folder))
        if again:
            if not matches:
                return False
            kept = session.get(PublishedReport, folder)
            kept.pdf, kept.signature = files.pdf, files.signature
            if mark is not None:
                session.delete(mark)
            log.info("the kept copy of %s was fetched again whole", folder)
            return True
        session.add(
            PublishedReport(
                folder=folder,
                variant=variant.value,
                reference=name.reference,
                number=name.number,
                school_name=described[0],
                term=described[1],
                manifest=manifest,
                signature=files.signature,
                pdf=files.pdf,
            )
        )
        if not matches and mark is None:
            # Kept, and listed in red when opened, so tampering shows; but
            # fetched again, since a cut-off read or a sign-in page looks the same.
            log.warning("%s: the PDF does not match its manifest; will fetch it again",
                        folder)
            session.add(Setting(key=REFETCH_MARK + _folder_key(folder),
                                value=now().isoformat()))
    return True


def _folder_key(folder: str) -> str:
    return hashlib.sha256(folder.encode("utf-8")).hexdigest()[:40]


def _pdf_matches(manifest_bytes: bytes, pdf: bytes, variant: Variant) -> bool:
    try:
        expected = json.loads(manifest_bytes)["pdf_sha256"][variant.value]
    except (ValueError, KeyError, TypeError, RecursionError):
        return False
    return hashlib.sha256(pdf).hexdigest() == expected


def _describe(
    manifest_bytes: bytes, name: publication.FolderName, area: str
) -> tuple[str, str] | None:
    """School and term from a manifest that matches its folder's name and area."""
    try:
        manifest = json.loads(manifest_bytes)
        version = manifest["version"]
        matches = (
            manifest["kind"] == MANIFEST_KIND
            and manifest["reference"] == name.reference
            # Exactly an integer: JSON's true or 1.0 equal 1 in Python.
            and type(version) is int
            and version == name.number
            and isinstance(manifest["signer_id"], str)
        )
        if area != publication.BOARD:
            matches = matches and area == publication.school_area(manifest["school_id"])
        school, term = manifest.get("school", ""), manifest.get("term", "")
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
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
    except (ValueError, AttributeError, RecursionError):
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
        verification = verify_publication(
            session, row.manifest, row.signature, row.pdf, Variant(row.variant)
        )
        if not verification.ok and session.get(Setting, REFETCH_MARK + _folder_key(folder)):
            verification.problems.append(
                "the copy may not have arrived whole; it is fetched again at the next sync"
            )
        return row.pdf, verification


def verify_publication(
    session: Session, manifest_bytes: bytes, signature: bytes, pdf: bytes, variant: Variant
) -> Verification:
    try:
        manifest_text = manifest_bytes.decode("utf-8")
        manifest = json.loads(manifest_text)
        signer_id = manifest["signer_id"]
        if not isinstance(signer_id, str):
            raise TypeError("signer_id")
    except (ValueError, KeyError, TypeError, RecursionError):
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
