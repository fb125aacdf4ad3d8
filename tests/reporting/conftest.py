"""A long QUAD rendered once per session in each copy; parsing is the costly part."""

import pytest

from invictus_desktop.reporting.pdf import Variant, render
from tests.reporting.factory import full_quad
from tests.reporting.pdf_reading import ReadBack


@pytest.fixture(scope="session")
def snapshot():
    return full_quad()


@pytest.fixture(scope="session")
def school_pdf(snapshot) -> bytes:
    return render(snapshot, Variant.SCHOOL)


@pytest.fixture(scope="session")
def board_pdf(snapshot) -> bytes:
    return render(snapshot, Variant.BOARD)


@pytest.fixture(scope="session")
def school(school_pdf) -> ReadBack:
    return ReadBack.of(school_pdf)


@pytest.fixture(scope="session")
def board(board_pdf) -> ReadBack:
    return ReadBack.of(board_pdf)


@pytest.fixture
def minimal_snapshot():
    """A specialist visit with nothing recorded yet, and markup-like text."""
    from datetime import date

    from invictus_desktop.reporting.snapshot import (
        ReportSnapshot,
        ReportStatus,
        ReviewKind,
        School,
        TeamMember,
    )

    return ReportSnapshot(
        school=School("Ounsley Green Academy", "100001", "Sam Whitaker"),
        reference="SV-OGA-2026-SPR",
        kind=ReviewKind.SPECIALIST_VISIT,
        subject="Mathematics",
        term="Spring",
        academic_year="2025-26",
        visit_dates=(date(2026, 3, 4),),
        team=(TeamMember("Morgan Ellis", "Subject specialist"),),
        version=1,
        status=ReportStatus.DRAFT,
        executive_summary="Pupils said “maths < English” & <b>more</b>",
        strengths=(),
        focus_areas=(),
        priorities=(),
        actions=(),
        previous_actions=(),
        judgement_counts=(),
        visits=(),
    )
