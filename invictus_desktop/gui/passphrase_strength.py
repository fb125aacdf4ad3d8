"""Choosing a new passphrase: the judgement, the meter, and the paired fields.

Strength comes from zxcvbn (imported on first use: it is not needed to show a
window). A passphrase is accepted when it is at least the service's minimum
length and zxcvbn scores it `MIN_SCORE` or better ("safely unguessable").
The passphrase itself is never logged.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QLineEdit, QProgressBar, QVBoxLayout, QWidget

from invictus_desktop.gui.widgets import CARD_SPACING, labelled, set_literal_text

log = logging.getLogger(__name__)

MIN_SCORE = 3
TOO_SHORT_MESSAGE = "The passphrase must be at least {} characters."
TOO_WEAK_MESSAGE = (
    "That passphrase is too easy to guess. Follow the advice under it, "
    "or add another uncommon word."
)
MISMATCH_MESSAGE = "The two passphrases differ. Type the same passphrase in both fields."

MAX_SCORED_LENGTH = 100  # zxcvbn slows sharply on long input; longer is strong anyway

_SCORE_WORDS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")


@dataclass(frozen=True)
class Assessment:
    """The verdict on a candidate passphrase.

    Attributes:
        score: zxcvbn's 0 (trivial) to 4 (very strong); 0 when too short.
        acceptable: long and strong enough to be used.
        summary: a short line for the meter ("Strong", "Too short: 4 of 10").
        advice: what to do about it, or "" when acceptable.
    """

    score: int
    acceptable: bool
    summary: str
    advice: str


def assess_passphrase(
    passphrase: str, min_length: int, user_inputs: Sequence[str] = ()
) -> Assessment:
    """Judge `passphrase`; `user_inputs` (the person's name...) count as guessable."""
    if len(passphrase) < min_length:
        return Assessment(
            score=0,
            acceptable=False,
            summary=f"Too short: {len(passphrase)} of at least {min_length} characters",
            advice="A few unrelated words make a strong, memorable passphrase.",
        )

    from zxcvbn import zxcvbn

    words = [word for text in user_inputs for word in text.split() if word]
    result = zxcvbn(passphrase[:MAX_SCORED_LENGTH], user_inputs=words)
    score = int(result["score"])
    feedback = result["feedback"]
    hints = [feedback.get("warning") or "", *feedback.get("suggestions", [])]
    advice = " ".join(hint for hint in hints if hint)
    if score >= MIN_SCORE:
        return Assessment(score, True, _SCORE_WORDS[score], "")

    return Assessment(
        score,
        False,
        f"{_SCORE_WORDS[score]}: too easy to guess",
        advice or "Add another word or two; uncommon words are better.",
    )


class PassphraseStrengthMeter(QWidget):
    """A bar and a line of text saying how strong the typed passphrase is.

    Attributes:
        assessment: the verdict on the last passphrase shown, or None when empty.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.assessment: Assessment | None = None
        self._bar = QProgressBar()
        self._bar.setRange(0, 4)
        self._bar.setTextVisible(False)
        self._bar.setMaximumHeight(6)
        self._bar.setAccessibleName("Passphrase strength")
        self._label = QLabel()
        self._label.setObjectName("strength")
        self._label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self._bar)
        layout.addWidget(self._label)
        self.show_assessment(None)

    @property
    def text(self) -> str:
        return self._label.text()

    def show_assessment(self, assessment: Assessment | None) -> None:
        self.assessment = assessment
        if assessment is None:
            self._bar.setValue(0)
            set_literal_text(
                self._label, "A few unrelated words make a strong, memorable passphrase."
            )
            self._set_level("none")
            return

        self._bar.setValue(assessment.score)
        text = assessment.summary
        if assessment.advice:
            text = f"{text}. {assessment.advice}"
        set_literal_text(self._label, text)
        self._set_level("good" if assessment.acceptable else "weak")

    def _set_level(self, level: str) -> None:
        for widget in (self._bar, self._label):
            widget.setProperty("level", level)
            widget.style().unpolish(widget)
            widget.style().polish(widget)


class NewPassphraseFields(QWidget):
    """A passphrase field with its strength meter, and a confirmation field.

    Nothing is judged until `set_min_length` gives the service's minimum
    (it arrives with the background-loaded form policy).

    Attributes:
        passphrase_edit, confirm_edit: the two fields (echo hidden).
        meter: the strength meter under the first field.
    """

    def __init__(self, label: str = "&Passphrase", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._min_length: int | None = None
        self._user_inputs: list[str] = []

        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.meter = PassphraseStrengthMeter()
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(CARD_SPACING)
        layout.addLayout(labelled(label, self.passphrase_edit, self.meter))
        layout.addLayout(labelled("&Confirm passphrase", self.confirm_edit))
        QWidget.setTabOrder(self.passphrase_edit, self.confirm_edit)

        self.passphrase_edit.textChanged.connect(self._on_passphrase_edit_text_changed)

    @property
    def passphrase(self) -> str:
        return self.passphrase_edit.text()

    def set_min_length(self, min_length: int) -> None:
        self._min_length = min_length
        self._on_passphrase_edit_text_changed()

    def set_user_inputs(self, user_inputs: Sequence[str]) -> None:
        """Words the passphrase should not lean on (the person's name)."""
        self._user_inputs = list(user_inputs)
        self._on_passphrase_edit_text_changed()

    def problem(self) -> tuple[str, QWidget | None]:
        """What stops these fields being used, and the field to fix; ("", None) if none."""
        assert self._min_length is not None, "set_min_length first"
        if len(self.passphrase) < self._min_length:
            return TOO_SHORT_MESSAGE.format(self._min_length), self.passphrase_edit
        if not self._assess().acceptable:
            return TOO_WEAK_MESSAGE, self.passphrase_edit

        if self.confirm_edit.text() != self.passphrase_edit.text():
            return MISMATCH_MESSAGE, self.confirm_edit
        return "", None

    def clear(self) -> None:
        self.passphrase_edit.clear()
        self.confirm_edit.clear()

    def _assess(self) -> Assessment:
        assert self._min_length is not None
        return assess_passphrase(self.passphrase, self._min_length, self._user_inputs)

    def _on_passphrase_edit_text_changed(self) -> None:
        if self._min_length is None or not self.passphrase:
            self.meter.show_assessment(None)
            return
        self.meter.show_assessment(self._assess())

