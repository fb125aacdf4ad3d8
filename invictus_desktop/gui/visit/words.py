"""The words and small pieces the visit screens show for stored values."""

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from invictus_desktop.store.models import ActivityKind, ActivityStatus, Judgement, Rag

KIND_LABELS = {
    ActivityKind.LESSON_VISIT: "Lesson visit",
    ActivityKind.LEARNING_WALK: "Learning walk",
    ActivityKind.BOOK_LOOK: "Book look",
    ActivityKind.PUPIL_VOICE: "Pupil voice",
    ActivityKind.STAFF_VOICE: "Staff voice",
    ActivityKind.MEETING: "Meeting",
}

# Completes "This evidence ... the priority"; lessons themselves are not graded.
JUDGEMENT_LABELS = {
    Judgement.SUPPORTS: "Supports",
    Judgement.PARTLY_SUPPORTS: "Partly supports",
    Judgement.CONTRADICTS: "Contradicts",
    Judgement.NOT_RELEVANT: "Does not bear on it",
}
NOT_JUDGED = "Not judged yet"

STATUS_LABELS = {ActivityStatus.DRAFT: "Draft", ActivityStatus.COMPLETE: "Complete"}

RAG_LABELS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green"}


def rag_chip(rag: Rag) -> QLabel:
    """The rating as a coloured chip that also says it in words (for colour blindness)."""
    chip = QLabel(RAG_LABELS[rag])
    chip.setObjectName("rag")
    chip.setProperty("rag", rag.value)
    chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
    chip.setAccessibleName(f"RAG rating {RAG_LABELS[rag]}")
    return chip


def clock(moment: datetime | None) -> str:
    """`14:32` in the laptop's time zone, or an empty string."""
    return f"{moment.astimezone():%H:%M}" if moment else ""


def day_label(day: date, today: date) -> str:
    label = f"{day:%a} {day.day} {day:%b %Y}"
    return f"{label} (today)" if day == today else label
