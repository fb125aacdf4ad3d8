"""What a report shows, frozen: the renderer's only input.

The services layer builds a `ReportSnapshot` from the store; the renderer
turns it into PDF bytes. Nothing here refers to ORM objects or Qt, so a
snapshot can be built in a test, pickled to a worker, or rendered twice and
give the same bytes. Text fields hold plain text (no markup); paragraphs in
long fields are separated by a blank line.
"""

import enum
from dataclasses import dataclass
from datetime import date, datetime


class ReviewKind(enum.Enum):
    QUAD = "quad"
    SPECIALIST_VISIT = "specialist_visit"


class ReportStatus(enum.Enum):
    DRAFT = "draft"
    FINAL = "final"


class Rag(enum.Enum):
    """A SIP priority's rating. The label is printed beside the colour."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Judgement(enum.Enum):
    """How a piece of evidence bears on a SIP priority."""

    SUPPORTS = "supports"
    PARTLY_SUPPORTS = "partly_supports"
    CONTRADICTS = "contradicts"
    NOT_RELEVANT = "not_relevant"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class SourceKind(enum.Enum):
    """What a paragraph of the report can cite."""

    VISIT = "visit"
    NOTE = "note"
    PREVIOUS_REPORT = "previous_report"

    @property
    def label(self) -> str:
        return _SOURCE_KIND_LABELS[self]


_SOURCE_KIND_LABELS = {
    SourceKind.VISIT: "Visit record",
    SourceKind.NOTE: "Submitted notes",
    SourceKind.PREVIOUS_REPORT: "Previous QUAD report",
}


class FollowUpStatus(enum.Enum):
    """Where a previous QUAD's action stands now."""

    DONE = "done"
    PARTLY = "partly"
    NOT_YET = "not_yet"

    @property
    def label(self) -> str:
        return {"done": "Done", "partly": "Partly done", "not_yet": "Not yet"}[self.value]


@dataclass(frozen=True)
class School:
    name: str
    urn: str
    headteacher: str


@dataclass(frozen=True)
class TeamMember:
    """One inspector: `role` is the printed role, e.g. "Executive Headteacher"."""

    name: str
    role: str


@dataclass(frozen=True)
class Source:
    """A record a paragraph cites. `key` identifies it, so a source cited twice
    gets one reference number; `title` says what it is ("Lesson visit, 9X2")."""

    key: str
    kind: SourceKind
    author_name: str
    author_role: str
    on: date
    title: str = ""


@dataclass(frozen=True)
class EvidenceParagraph:
    text: str
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class FocusArea:
    """A QUAD focus: linked to SIP priorities by code, or free (no codes)."""

    title: str
    context: str = ""
    priority_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PriorityFinding:
    """The report's section on one SIP priority in focus."""

    code: str
    title: str
    evidence: tuple[EvidenceParagraph, ...]
    school_rag: Rag | None
    recommended_rag: Rag | None
    rag_rationale: str = ""
    progress_since_last: str = ""


@dataclass(frozen=True)
class Action:
    description: str
    owner: str
    due_on: date | None = None
    priority_code: str | None = None


@dataclass(frozen=True)
class PreviousAction:
    """An action the previous QUAD set, with how far it has got."""

    description: str
    owner: str
    due_on: date | None
    status: FollowUpStatus
    note: str = ""


@dataclass(frozen=True)
class JudgementCounts:
    """How many pieces of evidence in one focus area fell under each judgement."""

    focus_area: str
    supports: int = 0
    partly_supports: int = 0
    contradicts: int = 0
    not_relevant: int = 0

    def count(self, judgement: Judgement) -> int:
        return getattr(self, judgement.value)


@dataclass(frozen=True)
class VisitRecord:
    """One line of the appendix evidence log. `teacher` may be empty (book look)."""

    started_at: datetime
    activity: str
    teacher: str
    subject: str
    class_name: str
    observer: str
    evidence_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class SafeguardingConcern:
    """Printed in the school's copy only; never in the Board's."""

    raised_at: datetime
    raised_by: str
    summary: str
    referred_to: str = ""


@dataclass(frozen=True)
class SignOff:
    signer_name: str
    signer_role: str
    finalised_at: datetime


@dataclass(frozen=True)
class ReportSnapshot:
    """Everything one version of a QUAD (or specialist visit) report shows.

    `staff_names` is the school's staff list: the Board copy withholds every
    name on it, except people named in office on the cover (the Headteacher,
    the inspection team and the signer), whom the Board must be able to see.
    `pupil_names` are withheld from the Board copy too.
    """

    school: School
    reference: str
    kind: ReviewKind
    term: str
    academic_year: str
    visit_dates: tuple[date, ...]
    team: tuple[TeamMember, ...]
    version: int
    status: ReportStatus
    executive_summary: str
    strengths: tuple[str, ...]
    focus_areas: tuple[FocusArea, ...]
    priorities: tuple[PriorityFinding, ...]
    actions: tuple[Action, ...]
    previous_actions: tuple[PreviousAction, ...]
    judgement_counts: tuple[JudgementCounts, ...]
    visits: tuple[VisitRecord, ...]
    subject: str = ""
    protective_marking: str = "OFFICIAL-SENSITIVE"
    sign_off: SignOff | None = None
    headteacher_response: str = ""
    safeguarding_concerns: tuple[SafeguardingConcern, ...] = ()
    staff_names: tuple[str, ...] = ()
    pupil_names: tuple[str, ...] = ()

    @property
    def office_holders(self) -> tuple[str, ...]:
        """People named by office, shown in every copy."""
        names = [self.school.headteacher, *(member.name for member in self.team)]
        if self.sign_off:
            names.append(self.sign_off.signer_name)
        return tuple(name for name in names if name)
