"""Realistic report snapshots for the rendering tests and the benchmark.

`full_quad()` is a long QUAD: 40 activities over two days, 5 SIP priorities
in focus, 8 actions, paragraphs long enough to run across pages, names with
accents and curly apostrophes, and staff named in free text (some by title
and surname only) so that the Board copy has something to withhold.
"""

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

from invictus_desktop.reporting.snapshot import (
    Action,
    EvidenceParagraph,
    FocusArea,
    FollowUpStatus,
    JudgementCounts,
    PreviousAction,
    PriorityFinding,
    Rag,
    ReportSnapshot,
    ReportStatus,
    ReviewKind,
    SafeguardingConcern,
    School,
    SignOff,
    Source,
    SourceKind,
    TeamMember,
    VisitRecord,
)

HEADTEACHER = "Helen Carter"
CONSULTANT = TeamMember("Dana Whitfield", "School Improvement Consultant")
TEAM = (
    CONSULTANT,
    TeamMember("Graham Ashworth", "Executive Headteacher"),
    TeamMember("Priya Raman", "Visiting Headteacher"),
)

# Classroom staff: every one of them must be absent from the Board copy.
TEACHERS = (
    "Daniel Okafor", "Zoë Müller", "Seán O’Connor", "Agnieszka Kowalczyk", "Tom Hargreaves",
    "Aisha Rahman", "Renée Dubois", "Marcus Whitlock", "Bethan Pryce", "Chidi Anozie",
    "Lucy Fenwick", "Oliver Stanton", "Grace Ellery", "Imran Siddiqui", "Hannah Voss",
    "Niamh Brennan", "Pieter de Vries", "Sofia Marchetti", "Jack Thornbury",
    "Ruth Abernethy",
)
SUPPORT_STAFF = ("Nadia Patel", "Kieran Lowther")
STAFF = (HEADTEACHER, *TEACHERS, *SUPPORT_STAFF)
PUPILS = ("Jayden Clarke", "Amara Osei")

# Words that appear only in the safeguarding section, to prove it is absent.
SAFEGUARDING_MARKER = "unexplained bruising"

FOCUS_AREAS = (
    FocusArea(
        "Maths: clarity of concepts",
        "The trust found maths weak in all four schools last year. This QUAD looks at "
        "whether explanations in Key Stage 3 are sequenced so that pupils can follow "
        "them, following the specialist’s INSET in the summer term.",
        ("P1", "P2"),
    ),
    FocusArea(
        "Reading across the curriculum",
        "The school’s SEF judges reading in Key Stage 3 as improving; the QUAD tests that "
        "judgement in English, humanities and science.",
        ("P3",),
    ),
    FocusArea(
        "Behaviour and attitudes in lessons",
        "Low-level disruption was raised at the last QUAD – particularly in Year 9 "
        "afternoon lessons.",
        ("P4",),
    ),
    FocusArea(
        "Sixth form: independent study",
        "A free focus agreed with the Headteacher: how Year 12 students use study periods.",
        ("P5",),
    ),
)

PRIORITIES = (
    ("P1", "Improve the clarity and sequencing of maths explanations", Rag.RED, Rag.RED),
    ("P2", "Raise attainment of disadvantaged pupils in maths", Rag.AMBER, Rag.RED),
    ("P3", "Embed disciplinary reading in every subject", Rag.AMBER, Rag.AMBER),
    ("P4", "Reduce low-level disruption in Key Stage 3", Rag.RED, Rag.AMBER),
    ("P5", "Strengthen independent study in the sixth form", Rag.GREEN, Rag.GREEN),
)

_SENTENCES = (
    "Pupils were attentive and books were well kept, yet the mathematics itself was "
    "often presented in an order that made it hard to follow.",
    "Teachers’ subject knowledge was secure; the difficulty lay in how new ideas were "
    "introduced – too many steps at once, with little checking along the way.",
    "Where questioning was sharp, pupils explained their reasoning with confidence and "
    "corrected each other’s misconceptions without prompting.",
    "In several lessons the “I do, we do, you do” sequence was cut short, so pupils "
    "practised a method before they had seen it modelled in full.",
    "Disadvantaged pupils were less likely to be asked to explain their thinking, and "
    "their books showed more unfinished work than those of their peers.",
    "Leaders’ own monitoring had identified the same pattern, which gives the school a "
    "firm basis for the next steps set out below.",
    "Reading aloud was used well in humanities: teachers paused to unpick vocabulary such "
    "as “ecosystem”, “régime” and “naïve” before pupils wrote.",
    "The behaviour policy is understood by pupils, but it was applied inconsistently after "
    "lunch, when transitions between activities took too long.",
    "Sixth-form students described their study periods as purposeful; the café area, "
    "however, was noisy and rarely used for work.",
    "Assessment information was accurate and well used to group pupils – a clear strength "
    "compared with the last QUAD.",
    "Too often the task set did not match the objective on the board, and pupils spent the "
    "lesson on procedure rather than on understanding.",
    "Staff spoke positively about the training from the maths specialist and could "
    "describe what they had changed as a result.",
)

_NAMED_OBSERVATIONS = (
    "In Mr Okafor’s Year 9 lesson on ratio, the worked example was clear but the "
    "independent task jumped straight to multi-step problems.",
    "Zoë Müller’s questioning drew out misconceptions quickly; D. Okafor’s pupils, by "
    "contrast, were rarely asked why a method worked.",
    "Ms Kowalczyk modelled annotation of a source text superbly, and Seán O’Connor’s "
    "class applied the same approach in their own reading.",
    "Mrs Patel, the SENCo, explained how support plans are shared with teachers; Mr "
    "Hargreaves had not yet seen the plans for his Year 8 class.",
)

_ACTIVITIES = (
    ("Lesson visit", 0.7), ("Learning walk", 0.1), ("Book look", 0.1), ("Pupil voice", 0.1),
)
_SUBJECTS = ("Mathematics", "English", "Science", "History", "Geography", "French",
             "Computing", "Religious education")
_EVIDENCE_LINES = (
    "Clear learning objective; task did not match it.",
    "Pupils could explain the method but not why it works.",
    "Good use of mini-whiteboards to check understanding.",
    "Low-level chatter during transition; teacher addressed it promptly.",
    "Books: feedback acted on in most cases; presentation good.",
    "Disadvantaged pupils asked fewer questions than peers.",
    "Vocabulary pre-taught; pupils used “photosynthesis” accurately in writing.",
    "Independent practice started before modelling was complete.",
)


def full_quad(
    visits: int = 40,
    status: ReportStatus = ReportStatus.FINAL,
    seed: int = 2025,
) -> ReportSnapshot:
    """A long, realistic QUAD report (40 visits, 5 priorities, 8 actions)."""
    rng = random.Random(seed)
    first_day = date(2025, 10, 14)
    days = (first_day, first_day + timedelta(days=1))
    visit_records = tuple(_visit(rng, index, visits, days) for index in range(visits))

    sources = (
        *(_visit_source(index, record) for index, record in enumerate(visit_records)),
        Source("note-exec", SourceKind.NOTE, "Graham Ashworth", "Executive Headteacher",
               days[1], "Summary notes on the maths focus"),
        Source("note-visiting", SourceKind.NOTE, "Priya Raman", "Visiting Headteacher",
               days[1], "Summary notes on reading and behaviour"),
    )

    sign_off = None
    if status is ReportStatus.FINAL:
        sign_off = SignOff(CONSULTANT.name, CONSULTANT.role, datetime(2025, 10, 21, 16, 5))

    return ReportSnapshot(
        school=School("Harrowden Park School", "145872", HEADTEACHER),
        reference="QUAD-HPS-2025-AUT",
        kind=ReviewKind.QUAD,
        term="Autumn",
        academic_year="2025-26",
        visit_dates=days,
        team=TEAM,
        version=3,
        status=status,
        executive_summary=_paragraphs(rng, 3, 5),
        strengths=(
            "Behaviour around the school is calm and courteous.",
            "Assessment information is accurate and used well to group pupils.",
            "Reading is taught explicitly in humanities – pupils’ vocabulary is growing.",
            "Sixth-form students are articulate about their studies and their next steps.",
        ),
        focus_areas=FOCUS_AREAS,
        priorities=tuple(_finding(rng, code, title, school_rag, recommended, sources)
                         for code, title, school_rag, recommended in PRIORITIES),
        actions=tuple(_action(rng, index) for index in range(8)),
        previous_actions=tuple(_previous_action(rng, index) for index in range(6)),
        judgement_counts=tuple(
            JudgementCounts(area.title, rng.randint(3, 12), rng.randint(1, 8),
                            rng.randint(0, 6), rng.randint(0, 3))
            for area in FOCUS_AREAS
        ),
        visits=visit_records,
        protective_marking="OFFICIAL-SENSITIVE",
        sign_off=sign_off,
        headteacher_response=(
            "We welcome the report’s clarity. The maths findings match our own monitoring; "
            "Mr Okafor and Zoë Müller will lead the department’s work on sequencing.\n\n"
            "We do not agree that behaviour after lunch is a wider issue than Year 9, and "
            "we will share our own data at the next Board meeting."
        ),
        safeguarding_concerns=(
            SafeguardingConcern(
                datetime(2025, 10, 14, 11, 20),
                "Priya Raman",
                f"During pupil voice, Jayden Clarke mentioned {SAFEGUARDING_MARKER} on "
                "a younger sibling. Passed on the same morning.",
                "Nadia Patel, Designated Safeguarding Lead",
            ),
        ),
        staff_names=STAFF,
        pupil_names=PUPILS,
    )


def with_long_texts(snapshot: ReportSnapshot, words: int = 2500) -> ReportSnapshot:
    """The same snapshot with one huge paragraph, action and response."""
    sentence = "Consistently, the evidence – café, naïve, “quoted” – was strong."
    huge = " ".join([sentence] * (words // 9))
    first = snapshot.priorities[0]
    return replace(
        snapshot,
        priorities=(
            replace(first, evidence=(EvidenceParagraph(huge), *first.evidence)),
            *snapshot.priorities[1:],
        ),
        actions=(Action(huge, "Head of Maths", date(2026, 1, 30), "P1"), *snapshot.actions),
        headteacher_response=huge,
    )


def _visit(
    rng: random.Random, index: int, total: int, days: tuple[date, ...]
) -> VisitRecord:
    per_day = -(-total // len(days))
    day = days[index // per_day]
    slot = index % per_day
    started = datetime.combine(day, datetime.min.time()) + timedelta(
        hours=8, minutes=50 + 17 * slot
    )
    activity = rng.choices([a for a, _ in _ACTIVITIES], [w for _, w in _ACTIVITIES])[0]
    teacher = TEACHERS[(index * 7) % len(TEACHERS)] if activity == "Lesson visit" else ""
    year = rng.randint(7, 13)
    return VisitRecord(
        started_at=started,
        activity=activity,
        teacher=teacher,
        subject=rng.choice(_SUBJECTS),
        class_name=f"{year}{rng.choice('XYZ')}{rng.randint(1, 4)}",
        observer=TEAM[index % len(TEAM)].name,
        evidence_lines=tuple(rng.sample(_EVIDENCE_LINES, rng.randint(2, 4))),
    )


def _visit_source(index: int, record: VisitRecord) -> Source:
    return Source(
        key=f"visit-{index}",
        kind=SourceKind.VISIT,
        author_name=record.observer,
        author_role=_role_of(record.observer),
        on=record.started_at.date(),
        title=f"{record.activity}, {record.class_name} {record.subject} "
              f"({record.teacher or 'no teacher'})",
    )


def _finding(
    rng: random.Random,
    code: str,
    title: str,
    school_rag: Rag,
    recommended: Rag,
    sources: tuple[Source, ...],
) -> PriorityFinding:
    evidence = [
        EvidenceParagraph(_paragraphs(rng, 1, 7), _cited(rng, sources))
        for _ in range(rng.randint(3, 5))
    ]
    evidence.insert(1, EvidenceParagraph(rng.choice(_NAMED_OBSERVATIONS), (sources[0],)))
    return PriorityFinding(
        code=code,
        title=title,
        evidence=tuple(evidence),
        school_rag=school_rag,
        recommended_rag=recommended,
        rag_rationale=_paragraphs(rng, 1, 4),
        progress_since_last=_paragraphs(rng, 1, 3),
    )


def _cited(rng: random.Random, sources: tuple[Source, ...]) -> tuple[Source, ...]:
    return tuple(rng.sample(sources, rng.randint(1, 3)))


def _action(rng: random.Random, index: int) -> Action:
    owners = ("Head of Maths", "Mrs Patel (SENCo)", "Deputy Headteacher", HEADTEACHER,
              "Head of Sixth Form", "Mr Hargreaves")
    return Action(
        description=_sentence_run(rng, 2),
        owner=owners[index % len(owners)],
        due_on=date(2026, 1, 9) + timedelta(weeks=2 * index),
        priority_code=PRIORITIES[index % len(PRIORITIES)][0],
    )


def _previous_action(rng: random.Random, index: int) -> PreviousAction:
    return PreviousAction(
        description=_sentence_run(rng, 1),
        owner=("Head of Maths", "Deputy Headteacher", "Seán O’Connor")[index % 3],
        due_on=date(2025, 7, 4) + timedelta(weeks=index),
        status=list(FollowUpStatus)[index % 3],
        note=_sentence_run(rng, 1),
    )


def _paragraphs(rng: random.Random, count: int, sentences: int) -> str:
    return "\n\n".join(_sentence_run(rng, sentences) for _ in range(count))


def _sentence_run(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(_SENTENCES) for _ in range(sentences))


def _role_of(name: str) -> str:
    return next(member.role for member in TEAM if member.name == name)
