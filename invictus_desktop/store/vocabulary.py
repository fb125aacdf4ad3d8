"""The vocabularies of the domain, stored as their lower-case values."""

import enum


class Role(enum.Enum):
    """What a person may do in the trust (a person may hold several)."""

    CONSULTANT = "consultant"
    EXECUTIVE_HEAD = "executive_head"
    HEADTEACHER = "headteacher"
    SUBJECT_SPECIALIST = "subject_specialist"
    BOARD_MEMBER = "board_member"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.CONSULTANT: "School Improvement Consultant",
    Role.EXECUTIVE_HEAD: "Executive Headteacher",
    Role.HEADTEACHER: "Headteacher",
    Role.SUBJECT_SPECIALIST: "Subject specialist",
    Role.BOARD_MEMBER: "Board member",
}


class TeamRole(enum.Enum):
    """A person's part in one QUAD's team."""

    CONSULTANT = "consultant"
    EXECUTIVE_HEAD = "executive_head"
    VISITING_HEAD = "visiting_head"
    HOST_HEAD = "host_head"
    SUBJECT_SPECIALIST = "subject_specialist"


class Rag(enum.Enum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class Term(enum.Enum):
    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"


class ReviewKind(enum.Enum):
    QUAD = "quad"
    SPECIALIST_VISIT = "specialist_visit"


class ReviewStatus(enum.Enum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    REPORTING = "reporting"
    FINALISED = "finalised"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class ActivityKind(enum.Enum):
    LESSON_VISIT = "lesson_visit"
    LEARNING_WALK = "learning_walk"
    BOOK_LOOK = "book_look"
    PUPIL_VOICE = "pupil_voice"
    STAFF_VOICE = "staff_voice"
    MEETING = "meeting"


class ActivityStatus(enum.Enum):
    DRAFT = "draft"
    COMPLETE = "complete"


class Judgement(enum.Enum):
    """How a piece of evidence bears on a SIP priority (lessons are not graded)."""

    SUPPORTS = "supports"
    PARTLY_SUPPORTS = "partly_supports"
    CONTRADICTS = "contradicts"
    NOT_RELEVANT = "not_relevant"


class ReportStatus(enum.Enum):
    DRAFT = "draft"
    FINAL = "final"


class ActionStatus(enum.Enum):
    OPEN = "open"
    DONE = "done"
    PARTLY = "partly"
    NOT_YET = "not_yet"


class SourceKind(enum.Enum):
    """What a report paragraph can cite."""

    ACTIVITY = "activity"
    EVIDENCE = "evidence"
    RUNNING_NOTE = "running_note"
    NOTE_SECTION = "note_section"
    PREVIOUS_REPORT = "previous_report"
