"""Previewing, finalising and verifying a QUAD report.

Finalising makes version N immutable: both PDFs are rendered, and a manifest
naming the hash of the content and of each PDF, the signer and the time is
signed with the consultant's Ed25519 key, all in one transaction. Anyone with
the signer's enrolled public key can check a PDF against the manifest; a
single changed byte fails.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from invictus_desktop.errors import UserFacingError
from invictus_desktop.reporting import snapshot as snap
from invictus_desktop.reporting.audience import Variant
from invictus_desktop.reporting.pdf import render
from invictus_desktop.reporting.redaction import find_staff_names
from invictus_desktop.services.access import load_actor, record_audit
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.report_drafts import (
    current_draft,
    latest_final,
    open_report,
    require_report_writer,
)
from invictus_desktop.services.report_snapshot import (
    build_snapshot,
    signer_role,
    snapshot_bytes,
)
from invictus_desktop.services.signing import (
    canonical_bytes,
    sha256_hex,
    sign_as_me,
    verify_by_person,
)
from invictus_desktop.services.visits import now
from invictus_desktop.store.models import (
    Person,
    Quad,
    ReportFile,
    ReportStatus,
    ReportVersion,
    ReviewStatus,
)

MANIFEST_KIND = "invictus-report-manifest"


@dataclass(frozen=True)
class FinalisedReport:
    version_id: str
    number: int
    manifest: str
    content_sha256: str
    pdf_sha256: dict[str, str]


@dataclass(frozen=True)
class Verification:
    ok: bool
    signer_name: str
    finalised_at: str
    problems: list[str]


# Warnings and preview ------------------------------------------------------------


def board_name_warnings(profile: UnlockedProfile, quad_id: str) -> list[str]:
    """Staff names written in text bound for the Board (the Board copy withholds
    them, but the consultant should know and may prefer to rephrase)."""
    with profile.store.session() as session:
        require_report_writer(session, profile.person_id, quad_id)
        draft = current_draft(session, quad_id)
        if draft is None:
            return []
        report = build_snapshot(session, draft)
    texts = [report.executive_summary, *report.strengths, report.headteacher_response]
    for finding in report.priorities:
        texts += [p.text for p in finding.evidence]
        texts += [finding.rag_rationale, finding.progress_since_last]
    texts += [action.description for action in report.actions]
    exempt = set(report.office_holders)
    staff = [name for name in report.staff_names if name not in exempt]
    found: list[str] = []
    for text in texts:
        for name in find_staff_names(text, staff):
            if name not in found:
                found.append(name)
    return found


def preview_pdf(profile: UnlockedProfile, quad_id: str, variant: Variant) -> bytes:
    """The open draft (made if needed) as the chosen copy would print it."""
    draft_id = open_report(profile, quad_id).version_id
    with profile.store.session() as session:
        return render(
            build_snapshot(session, session.get(ReportVersion, draft_id)), variant
        )


# Finalising -----------------------------------------------------------------------


def finalise(
    profile: UnlockedProfile, quad_id: str, *, accept_name_warnings: bool = False
) -> FinalisedReport:
    warnings = board_name_warnings(profile, quad_id)
    if warnings and not accept_name_warnings:
        raise UserFacingError(
            "Text bound for the Board names staff: " + ", ".join(warnings) + ".",
            next_step="The Board copy withholds them; rephrase, or confirm to finalise.",
        )

    with profile.store.session() as session:
        require_report_writer(session, profile.person_id, quad_id)
        version = current_draft(session, quad_id)
        if version is None:
            raise UserFacingError("There is no draft to finalise; open the report first.")
        signer = session.get(Person, profile.person_id)
        finalised_at = now()
        sign_off = snap.SignOff(
            signer.name,
            signer_role(session, quad_id, signer.id),
            finalised_at.astimezone().replace(tzinfo=None),
        )
        version.status = ReportStatus.FINAL  # printed on the PDF
        report = build_snapshot(session, version, sign_off)

        pdfs = {variant.value: render(report, variant) for variant in Variant}
        content_sha = sha256_hex(snapshot_bytes(report))
        pdf_shas = {name: sha256_hex(pdf) for name, pdf in pdfs.items()}
        manifest = {
            "kind": MANIFEST_KIND,
            "quad_id": quad_id,
            "reference": report.reference,
            "school": report.school.name,
            "school_id": session.get(Quad, quad_id).school_id,
            "term": f"{report.term} {report.academic_year}",
            "version": version.number,
            "content_sha256": content_sha,
            "pdf_sha256": pdf_shas,
            "signer_id": signer.id,
            "signer_name": signer.name,
            "finalised_at": finalised_at.isoformat(),
        }
        manifest_text = canonical_bytes(manifest).decode("utf-8")

        version.finalised_at = finalised_at
        version.signed_off_by_id = signer.id
        version.content_hash = content_sha
        version.pdf_hash = pdf_shas[Variant.SCHOOL.value]
        version.manifest = manifest_text
        version.signature = sign_as_me(session, signer.id, manifest_text.encode("utf-8"))
        for name, pdf in pdfs.items():
            version.files.append(
                ReportFile(quad_id=quad_id, variant=name, sha256=pdf_shas[name], pdf=pdf)
            )
        session.get(Quad, quad_id).status = ReviewStatus.FINALISED
        record_audit(
            session,
            load_actor(session, signer.id),
            "report.finalised",
            "report_version",
            version.id,
            number=version.number,
        )
        return FinalisedReport(
            version.id, version.number, manifest_text, content_sha, pdf_shas
        )


# Verifying ------------------------------------------------------------------------


def check_manifest(
    manifest_text: str, signature: bytes, signature_ok: bool, pdf: bytes, variant: str
) -> list[str]:
    """Problems with a PDF against its manifest (none means it verifies)."""
    problems = []
    if not signature_ok:
        problems.append("the manifest's signature does not verify against the signer's key")
    try:
        manifest = json.loads(manifest_text)
        expected = manifest["pdf_sha256"][variant]
    except (ValueError, KeyError, TypeError):
        return [*problems, "the manifest is malformed"]
    if manifest.get("kind") != MANIFEST_KIND:
        problems.append("the manifest is not a report manifest")
    if sha256_hex(pdf) != expected:
        problems.append(f"the {variant} PDF differs from the one that was signed")
    return problems


def verify_version(
    session: Session, version: ReportVersion, pdfs: dict[str, bytes] | None = None
) -> Verification:
    """Check the stored (or given) PDFs of a final version against its signed manifest."""
    if version.manifest is None or version.signature is None:
        return Verification(False, "", "", ["this version was never finalised"])
    manifest = json.loads(version.manifest)
    signature_ok = verify_by_person(
        session,
        manifest.get("signer_id", ""),
        version.manifest.encode("utf-8"),
        version.signature,
    )
    files = pdfs or {f.variant: f.pdf for f in version.files}
    problems = []
    for variant, pdf in files.items():
        problems += check_manifest(
            version.manifest, version.signature, signature_ok, pdf, variant
        )
    if not files:
        problems.append("no PDF is stored for this version")
    return Verification(
        not problems,
        manifest.get("signer_name", ""),
        manifest.get("finalised_at", ""),
        sorted(set(problems)),
    )


def verify_latest(
    profile: UnlockedProfile, quad_id: str, pdfs: dict[str, bytes] | None = None
) -> Verification:
    with profile.store.session() as session:
        final = latest_final(session, quad_id)
        if final is None:
            return Verification(False, "", "", ["no version has been finalised"])
        return verify_version(session, final, pdfs)


def report_pdf(
    profile: UnlockedProfile, quad_id: str, variant: Variant
) -> tuple[bytes, str]:
    """The latest final version's stored PDF, or else the draft rendered now."""
    with profile.store.session() as session:
        final = latest_final(session, quad_id)
        if final is not None:
            stored = session.scalar(
                select(ReportFile).where(
                    ReportFile.version_id == final.id, ReportFile.variant == variant.value
                )
            )
            finalised: datetime = final.finalised_at
            return stored.pdf, (
                f"version {final.number}, final, signed {finalised:%d %b %Y %H:%M}"
            )
    pdf = preview_pdf(profile, quad_id, variant)
    return pdf, "draft (not finalised)"
