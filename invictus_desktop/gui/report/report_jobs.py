"""The work the Report screen hands to its writer: plain functions of the open
profile, run in a worker. Each change that alters what the workspace shows
returns the desk read again, so the screen never guesses."""

import logging
from datetime import date

from invictus_desktop.reporting.audience import Variant
from invictus_desktop.services import report_drafts, report_finalise
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.report_desk import ReportDesk, load_report_desk, report_state
from invictus_desktop.store.vocabulary import Rag

log = logging.getLogger(__name__)


def save_body(profile: UnlockedProfile, section_id: str, text: str) -> None:
    report_drafts.save_section(profile, section_id, body=text)


def save_rag(profile: UnlockedProfile, section_id: str, rag: Rag) -> None:
    report_drafts.save_section(profile, section_id, recommended_rag=rag)


def save_rationale(profile: UnlockedProfile, section_id: str, text: str) -> None:
    report_drafts.save_section(profile, section_id, rag_rationale=text)


def save_progress(profile: UnlockedProfile, section_id: str, text: str) -> None:
    report_drafts.save_section(profile, section_id, progress_since_last=text)


def cite(
    profile: UnlockedProfile,
    quad_id: str,
    section_id: str,
    paragraph: int,
    source: report_drafts.Source,
    quote: str,
) -> ReportDesk:
    report_drafts.cite(profile, section_id, paragraph, source, quote)
    return load_report_desk(profile, quad_id)


def remove_citation(profile: UnlockedProfile, quad_id: str, citation_id: str) -> ReportDesk:
    report_drafts.remove_citation(profile, citation_id)
    return load_report_desk(profile, quad_id)


def save_action(
    profile: UnlockedProfile,
    quad_id: str,
    version_id: str,
    description: str,
    owner: str,
    due_on: date | None,
    priority_id: str | None,
    action_id: str | None,
) -> ReportDesk:
    report_drafts.save_action(
        profile, version_id, description, owner, due_on, priority_id, action_id
    )
    return load_report_desk(profile, quad_id)


def remove_action(profile: UnlockedProfile, quad_id: str, action_id: str) -> ReportDesk:
    report_drafts.remove_action(profile, action_id)
    return load_report_desk(profile, quad_id)


def render_preview(
    profile: UnlockedProfile, quad_id: str, variant: Variant
) -> tuple[bytes, Variant, str]:
    """The open draft rendered now; or, with no draft open, the final version's
    stored PDF. Returns the bytes, the copy and a line saying which it is."""
    state = report_state(profile, quad_id)
    if state.draft_number is None and state.final_number is not None:
        pdf, description = report_finalise.report_pdf(profile, quad_id, variant)
        return pdf, variant, description.capitalize()

    pdf = report_finalise.preview_pdf(profile, quad_id, variant)
    number = report_state(profile, quad_id).draft_number
    return pdf, variant, f"Draft version {number}, not finalised"


def finalise(profile: UnlockedProfile, quad_id: str, accept_names: bool
             ) -> tuple[report_finalise.FinalisedReport, ReportDesk]:
    result = report_finalise.finalise(profile, quad_id, accept_name_warnings=accept_names)
    return result, load_report_desk(profile, quad_id)


def start_next_version(profile: UnlockedProfile, quad_id: str) -> ReportDesk:
    return load_report_desk(profile, quad_id, start_next=True)
