"""Published reports in the repository: write-once folders a Board can read.

    board/<reference>-v<NNNN>/                     the Board's copy of version N
        report.pdf  manifest.json  manifest.sig
    schools/<school id>/<reference>-v<NNNN>/       the school's copy, same files

`manifest.json` is the consultant's signed manifest (hashes of the content and
of both PDFs, signer, time, school and term); `manifest.sig` is its Ed25519
signature. A folder is complete once its manifest is there: the PDF and the
signature go first, the manifest last, through a create-only write. A folder
that already holds a different manifest is never overwritten. The newest
version of a report is the highest number present.

Nothing read from here is trusted until the reader has checked the signature
against the signer's enrolled key and the PDF against the manifest's hash.

Write-once is enforced here, not only by the server: before anything is
written into a folder, the folder is listed and its manifest looked for, so a
complete folder is never touched even when reading its manifest was cut off or
the server does not honour `If-None-Match`.
"""

import logging
import re
from dataclasses import dataclass
from enum import Enum

from invictus_desktop.sync.errors import RepositoryUnreachable
from invictus_desktop.sync.webdav import WebDavClient

log = logging.getLogger(__name__)

BOARD = "board/"
SCHOOLS = "schools/"
PDF_FILE = "report.pdf"
MANIFEST_FILE = "manifest.json"
SIGNATURE_FILE = "manifest.sig"

MAX_PDF_BYTES = 64 * 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024
SIGNATURE_BYTES = 64

# ASCII digits only: `\d` would take other scripts' digits, and "v٠٠٠٩" would
# then be read as, and fetched from, another folder ("v0009").
FOLDER_NAME = re.compile(r"(?P<reference>[A-Z0-9][A-Z0-9-]{0,39})-v(?P<number>[0-9]{4})")
SCHOOL_ID = re.compile(r"[0-9a-f]{32}")


class Outcome(Enum):
    PUBLISHED = "published"
    ALREADY_THERE = "already there"
    CLASH = "a different version is there"


@dataclass(frozen=True)
class Publication:
    """The three files of one published copy, as bytes."""

    manifest: bytes
    signature: bytes
    pdf: bytes


@dataclass(frozen=True)
class FolderName:
    reference: str
    number: int

    @property
    def name(self) -> str:
        return f"{self.reference}-v{self.number:04d}"


def board_folder(reference: str, number: int) -> str:
    return f"{BOARD}{_checked(reference, number).name}/"


def school_folder(school_id: str, reference: str, number: int) -> str:
    return f"{school_area(school_id)}{_checked(reference, number).name}/"


def _checked(reference: str, number: int) -> FolderName:
    folder = FolderName(reference, number)
    if not FOLDER_NAME.fullmatch(folder.name):
        raise ValueError(f"cannot publish {reference!r} version {number} under that name")
    return folder


def publish(client: WebDavClient, folder: str, publication: Publication) -> Outcome:
    """Place one copy in its write-once folder, manifest last.

    A folder that already has a manifest is never written into: it is complete,
    ours (ALREADY_THERE) or not (CLASH). Only a folder without one, which no
    reader accepts, gets the PDF and signature (re)placed.
    """
    manifest_path = folder + MANIFEST_FILE
    listed = {entry.name: entry for entry in client.list_folder(folder) or []}
    found = client.get(manifest_path, max_bytes=MAX_MANIFEST_BYTES)
    if found is not None:
        return Outcome.ALREADY_THERE if found == publication.manifest else Outcome.CLASH
    if MANIFEST_FILE in listed:
        # Listed but not read: too large to be ours, or the read was cut off.
        size = listed[MANIFEST_FILE].size
        if size is not None and size != len(publication.manifest):
            return Outcome.CLASH
        raise RepositoryUnreachable(
            f"Could not read {manifest_path} to check what is published there.",
            next_step="Publishing will try again at the next sync.",
        )

    client.ensure_folder(folder)
    # No manifest, so no reader takes this folder as complete: a differing PDF
    # or signature here is an interrupted upload, and may be replaced.
    client.put_immutable(folder + PDF_FILE, publication.pdf)
    client.put_immutable(folder + SIGNATURE_FILE, publication.signature)
    if client.put_new(manifest_path, publication.manifest):
        return Outcome.PUBLISHED
    return Outcome.CLASH


def school_area(school_id: str) -> str:
    if not SCHOOL_ID.fullmatch(school_id):
        raise ValueError(f"not a school id: {school_id!r}")
    return f"{SCHOOLS}{school_id}/"


def list_versions(client: WebDavClient, area: str) -> list[FolderName]:
    """Every folder in an area (`BOARD`, or a `school_area`) whose name is a
    report version, once each, in order. Anything else is ignored (and counted
    in one log line, however long a hostile listing is)."""
    entries = client.list_folder(area) or []
    found: set[FolderName] = set()
    ignored = 0
    for entry in entries:
        match = FOLDER_NAME.fullmatch(entry.name)
        if entry.is_folder and match:
            found.add(FolderName(match["reference"], int(match["number"])))
        elif entry.name:
            ignored += 1
    if ignored:
        log.info("ignored %d entries in %s that are not report versions", ignored, area)
    return sorted(found, key=lambda f: (f.reference, f.number))


def fetch_manifest(client: WebDavClient, folder: str) -> bytes | None:
    """The folder's manifest, or None while it is missing (or too large)."""
    return client.get(folder + MANIFEST_FILE, max_bytes=MAX_MANIFEST_BYTES)


def fetch_files(client: WebDavClient, folder: str, manifest: bytes) -> Publication | None:
    """The signature and PDF of a folder whose manifest was read, or None while
    either is missing, too large or (the signature) the wrong size."""
    signature = client.get(folder + SIGNATURE_FILE, max_bytes=SIGNATURE_BYTES)
    if signature is None or len(signature) != SIGNATURE_BYTES:
        log.warning("%s has no usable signature yet", folder)
        return None
    pdf = client.get(folder + PDF_FILE, max_bytes=MAX_PDF_BYTES)
    if pdf is None:
        log.warning("%s has no report PDF yet", folder)
        return None
    return Publication(manifest, signature, pdf)


def fetch(client: WebDavClient, folder: str) -> Publication | None:
    """The three files of a complete folder, or None while any is missing,
    too large or (the signature) the wrong size."""
    manifest = fetch_manifest(client, folder)
    if manifest is None:
        return None
    return fetch_files(client, folder, manifest)
