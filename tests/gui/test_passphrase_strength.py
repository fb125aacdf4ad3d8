"""Judging a new passphrase (pure function) and the meter that shows it."""

from invictus_desktop.gui.passphrase_strength import (
    MIN_SCORE,
    PassphraseStrengthMeter,
    assess_passphrase,
)
from tests.conftest import PASSPHRASE


def test_too_short_is_refused_before_scoring():
    verdict = assess_passphrase("abc", min_length=10)

    assert not verdict.acceptable
    assert verdict.summary == "Too short: 3 of at least 10 characters"


def test_common_passwords_are_refused_with_advice():
    verdict = assess_passphrase("password1234", min_length=10)

    assert not verdict.acceptable and verdict.score < MIN_SCORE
    assert verdict.advice


def test_the_persons_name_counts_as_guessable():
    alone = assess_passphrase("whitfield dana", min_length=10)
    with_name = assess_passphrase("whitfield dana", 10, user_inputs=["Dana Whitfield"])

    assert with_name.score < alone.score
    assert not with_name.acceptable


def test_unrelated_words_are_accepted():
    verdict = assess_passphrase(PASSPHRASE, min_length=10)

    assert verdict.acceptable and verdict.advice == ""
    assert verdict.summary == "Very strong"


def test_the_meter_shows_the_verdict(qtbot):
    meter = PassphraseStrengthMeter()
    qtbot.addWidget(meter)

    meter.show_assessment(assess_passphrase("password1234", min_length=10))
    assert "too easy to guess." in meter.text
    assert meter.assessment is not None and not meter.assessment.acceptable

    meter.show_assessment(assess_passphrase(PASSPHRASE, min_length=10))
    assert meter.text == "Very strong"

    meter.show_assessment(None)
    assert meter.assessment is None
    assert meter.text == "A few unrelated words make a strong, memorable passphrase."
