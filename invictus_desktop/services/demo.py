"""A complete, realistic demo trust for newcomers to explore.

The four schools are the trust's own; every person in the demo (inspectors,
Headteachers, staff) is fictional, made from name lists with a fixed seed so
the demo is the same on every laptop.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from invictus_desktop.services.planning import school_code
from invictus_desktop.services.profile import (
    NewProfile,
    UnlockedProfile,
    create_profile,
    remove_unfinished_profile,
)
from invictus_desktop.services.sips import academic_year_of
from invictus_desktop.store.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    EvidenceEntry,
    FocusArea,
    Judgement,
    Person,
    Quad,
    Rag,
    RagChange,
    ReviewStatus,
    Role,
    RoleAssignment,
    RunningNoteLine,
    ScheduledVisit,
    School,
    Sip,
    SipPriority,
    StaffMember,
    TeamMember,
    TeamRole,
    Term,
    Trust,
)

Progress = Callable[[int, int, str], None]

DEMO_CONSULTANT = "Dr Morgan Hale"
SCHOOLS = [
    ("Ellowes Hall Sports College", "137264"),
    ("Ounsdale High School", "137445"),
    ("Kinver High School", "137382"),
    ("Crestwood School", "138211"),
]
TEAM = [
    ("Dr Morgan Hale", Role.CONSULTANT),
    ("Priya Raman", Role.EXECUTIVE_HEAD),
    ("Owen Castell", Role.HEADTEACHER),
    ("Helen Marchetti", Role.HEADTEACHER),
    ("Joseph Adeyemi", Role.HEADTEACHER),
    ("Ruth Linden", Role.HEADTEACHER),
    ("Alan Brightwell", Role.SUBJECT_SPECIALIST),
    ("Catherine Vale", Role.BOARD_MEMBER),
]
FIRST_NAMES = """
Amelia Ben Chloe Daniel Eleanor Farah George Hannah Isaac Jasmine Kieran Laura
Mohammed Naomi Oliver Poppy Rhys Sophie Thomas Uma Victor Wendy Xavier Yasmin Zach
Abigail Callum Deborah Ethan Fiona Gareth Imogen Jonah Kirsty Liam Megan Nathan
Olivia Patrick Rebecca Samuel Tara
""".split()
LAST_NAMES = """
Ashby Barrow Carver Dalton Ellison Fairclough Greaves Holloway Ingram Jessop
Kendrick Lowther Merriman Norcott Ockenden Pemberton Quarry Radcliffe Sherwood
Thornbury Upton Varley Whitlock Yardley Ansell Bickerstaff Colwell Dunmore Eastwood
Fenwick
""".split()
SUBJECTS = [
    "Maths",
    "English",
    "Science",
    "History",
    "Geography",
    "French",
    "Computing",
    "Art",
    "Music",
    "PE",
    "Religious Education",
    "Design and Technology",
]
PRIORITIES = [
    (
        "Maths: clarity of concepts",
        "Teachers present mathematical ideas in a coherent "
        "sequence so pupils can access them.",
        "Head of Maths",
    ),
    (
        "Reading across the curriculum",
        "Disciplinary reading is planned in every subject.",
        "Deputy Head (Curriculum)",
    ),
    (
        "Attendance of disadvantaged pupils",
        "Persistent absence falls below the national figure.",
        "Assistant Head (Pastoral)",
    ),
    (
        "Adaptive teaching for pupils with SEND",
        "Lessons are adapted so pupils with SEND learn the same curriculum.",
        "SENCo",
    ),
    (
        "Behaviour in unstructured time",
        "Corridors and social times are calm and orderly.",
        "Deputy Head (Behaviour)",
    ),
    (
        "Assessment and feedback",
        "Feedback moves learning on and pupils act on it.",
        "Assistant Head (T&L)",
    ),
    (
        "Sixth form retention",
        "Students continue their courses to completion.",
        "Head of Sixth Form",
    ),
    (
        "Science practical work",
        "Practical work is purposeful and builds knowledge.",
        "Head of Science",
    ),
]
EVIDENCE = [
    "Pupils explained their method confidently and used the correct vocabulary.",
    "The sequence of examples jumped between ideas; several pupils lost the thread.",
    "Books show regular extended writing with teacher feedback acted upon.",
    "Questioning was directed at a few pupils; others were passive.",
    "Routines were calm and well established; learning started promptly.",
    "Pupils with SEND had adapted resources and made progress in line with peers.",
    "The worked example was clear and pupils practised independently with success.",
    "Reading aloud was well modelled and pupils followed the text closely.",
]


@dataclass(frozen=True)
class DemoTerm:
    academic_year: str
    term: Term
    starts_on: date


def build_demo(
    paths,
    passphrase: str,
    kdf_params=None,
    progress: Progress | None = None,
    today: date | None = None,
) -> UnlockedProfile:
    """Create a profile for the demo consultant and fill it with the demo trust."""
    report = progress or (lambda done, total, message: None)
    spec = NewProfile(
        name=DEMO_CONSULTANT,
        role=Role.CONSULTANT,
        passphrase=passphrase,
        trust_name="Invictus Education Trust",
    )
    report(0, 4, "Creating the encrypted profile")
    made_folder = not paths.root.exists()
    profile, _ = create_profile(paths, spec, kdf_params=kdf_params)
    try:
        fill_demo(profile, today or date.today(), report)
    except BaseException:
        profile.lock()
        # A half-filled demo would open as a profile next time: take it away.
        remove_unfinished_profile(paths, made_folder)
        raise
    return profile


def fill_demo(profile: UnlockedProfile, today: date, report: Progress) -> None:
    rng = random.Random(2026)
    terms = _recent_terms(today)
    with profile.store.session() as session:
        trust = session.scalar(select(Trust))
        people = _people(session, profile.person_id)
        report(1, 4, "Adding the four schools and their staff")
        schools = [_school(session, trust, name, urn, rng) for name, urn in SCHOOLS]
        heads = [p for p in people if p.roles[0].role is Role.HEADTEACHER]
        for school, head in zip(schools, heads, strict=True):
            school.headteacher_name = head.name
            head.roles.append(RoleAssignment(role=Role.HEADTEACHER, school_id=school.id))

        report(2, 4, "Writing each school's improvement plan")
        for school in schools:
            _sip(session, school, terms, people[0], rng)

        report(3, 4, "Planning this term's QUADs and last year's")
        for index, school in enumerate(schools):
            visiting_head = heads[(index + 1) % len(heads)]
            for number, term in enumerate(terms):
                is_current = number == len(terms) - 1
                _quad(
                    session,
                    school,
                    term,
                    people,
                    visiting_head,
                    rng,
                    today if is_current else None,
                )
        report(4, 4, "Done")


def _recent_terms(today: date) -> list[DemoTerm]:
    """The current term and the three before it."""
    year = int(academic_year_of(today)[:4])
    starts = {Term.AUTUMN: (9, 15), Term.SPRING: (1, 20), Term.SUMMER: (5, 5)}
    all_terms = []
    for start_year in (year - 1, year):
        label = academic_year_of(date(start_year, 9, 1))
        for term in Term:
            calendar_year = start_year if term is Term.AUTUMN else start_year + 1
            month, day = starts[term]
            all_terms.append(DemoTerm(label, term, date(calendar_year, month, day)))
    return [t for t in all_terms if t.starts_on <= today][-4:]


def _people(session, consultant_id: str) -> list[Person]:
    consultant = session.get(Person, consultant_id)
    people = [consultant]
    for name, role in TEAM[1:]:
        person = Person(name=name)
        person.roles.append(RoleAssignment(role=role))
        session.add(person)
        people.append(person)
    session.flush()
    return people


def _school(session, trust: Trust, name: str, urn: str, rng: random.Random) -> School:
    school = School(
        trust_id=trust.id,
        name=name,
        urn=urn,
        phase="secondary",
        safeguarding_lead_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
    )
    session.add(school)
    session.flush()
    used_codes: set[str] = set()
    for _ in range(30):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        code = (first[0] + last[:2]).upper()
        while code in used_codes:
            code = code[:2] + chr(ord("A") + rng.randrange(26))
        used_codes.add(code)
        subject = rng.choice(SUBJECTS)
        session.add(
            StaffMember(
                school_id=school.id,
                staff_code=code,
                title=rng.choice(["Mr", "Mrs", "Ms", "Miss"]),
                first_name=first,
                last_name=last,
                job_title=f"Teacher of {subject}",
                subjects=subject,
                email=f"{first[0].lower()}.{last.lower()}@{school_code_domain(name)}",
            )
        )
    return school


def school_code_domain(name: str) -> str:
    return name.lower().split()[0] + ".example.sch.uk"


def _sip(
    session, school: School, terms: list[DemoTerm], author: Person, rng: random.Random
) -> None:
    sip = Sip(
        school_id=school.id,
        academic_year=terms[-1].academic_year,
        approved_on=date(int(terms[-1].academic_year[:4]), 9, 30),
    )
    session.add(sip)
    chosen = rng.sample(PRIORITIES, rng.randint(5, 8))
    # Maths was weak in all four schools: it is always the first priority.
    if PRIORITIES[0] not in chosen:
        chosen[0] = PRIORITIES[0]
    for position, (title, criteria, owner) in enumerate(chosen, start=1):
        ratings = _rag_walk(rng, len(terms))
        priority = SipPriority(
            code=f"P{position}",
            title=title,
            success_criteria=criteria,
            owner=owner,
            rag=ratings[-1],
            position=position,
            description=f"{title}: a priority from the school's SEF.",
        )
        sip.priorities.append(priority)
        previous = None
        for term, rating in zip(terms, ratings, strict=True):
            if rating is previous:
                continue
            priority.rag_history.append(
                RagChange(
                    old_rag=previous,
                    new_rag=rating,
                    changed_by_id=author.id,
                    changed_at=datetime.combine(term.starts_on, time(16, 0), tzinfo=UTC),
                    reason="Initial rating"
                    if previous is None
                    else "Reviewed after the QUAD",
                )
            )
            previous = rating


def _rag_walk(rng: random.Random, steps: int) -> list[Rag]:
    """A plausible history: mostly improving, sometimes slipping back."""
    order = [Rag.RED, Rag.AMBER, Rag.GREEN]
    level = rng.choice([0, 0, 1])
    walk = []
    for _ in range(steps):
        walk.append(order[level])
        level = min(2, max(0, level + rng.choice([0, 0, 1, 1, -1])))
    return walk


def _quad(
    session,
    school: School,
    term: DemoTerm,
    people: list[Person],
    visiting_head: Person,
    rng: random.Random,
    today: date | None,
) -> None:
    """A QUAD in `term`: the current one (today given) is planned for next week,
    past ones happened a few weeks into their term and have visit records."""
    is_current = today is not None
    around = today + timedelta(days=5) if today else term.starts_on + timedelta(weeks=4)
    starts = _next_tuesday(around + timedelta(days=rng.randint(0, 3)))
    quad = Quad(
        reference=f"{school_code(school.name)}-{term.academic_year[:4]}-"
        f"{term.term.value[:3].upper()}",
        school_id=school.id,
        academic_year=term.academic_year,
        term=term.term,
        starts_on=starts,
        ends_on=starts + timedelta(days=1),
        status=ReviewStatus.PLANNED if is_current else ReviewStatus.PUBLISHED,
    )
    session.add(quad)
    team = [people[0], people[1], visiting_head]
    quad.team.extend(
        [
            TeamMember(person_id=people[0].id, role=TeamRole.CONSULTANT),
            TeamMember(person_id=people[1].id, role=TeamRole.EXECUTIVE_HEAD),
            TeamMember(person_id=visiting_head.id, role=TeamRole.VISITING_HEAD),
        ]
    )
    session.flush()

    priorities = session.scalars(
        select(SipPriority)
        .join(Sip)
        .where(Sip.school_id == school.id)
        .order_by(SipPriority.position)
    ).all()
    focus_areas = [
        FocusArea(
            quad_id=quad.id,
            title=priorities[0].title,
            position=0,
            priorities=[priorities[0]],
        ),
        FocusArea(
            quad_id=quad.id,
            title=priorities[1].title,
            position=1,
            priorities=[priorities[1], priorities[2]],
        ),
        FocusArea(quad_id=quad.id, title="Behaviour and attitudes in lessons", position=2),
    ]
    quad.focus_areas.extend(focus_areas)

    staff = session.scalars(
        select(StaffMember).where(StaffMember.school_id == school.id)
    ).all()
    for day in (quad.starts_on, quad.ends_on):
        for period, start in LESSONS:
            slot = _lesson(quad, day, period, start, rng.choice(staff), rng)
            quad.schedule.append(slot)
            if not is_current:
                session.flush()
                _past_visit(session, quad, slot, focus_areas, team, rng)


LESSONS = [
    ("P1", time(8, 50)),
    ("P2", time(9, 50)),
    ("P3", time(11, 10)),
    ("P4", time(12, 10)),
    ("P5", time(13, 50)),
]
LESSON_LENGTH = timedelta(minutes=50)


def _next_tuesday(day: date) -> date:
    return day + timedelta(days=(1 - day.weekday()) % 7)


def _lesson(
    quad: Quad,
    day: date,
    period: str,
    start: time,
    teacher: StaffMember,
    rng: random.Random,
) -> ScheduledVisit:
    ends = (datetime.combine(day, start) + LESSON_LENGTH).time()
    year = rng.randint(7, 13)
    return ScheduledVisit(
        quad_id=quad.id,
        day=day,
        period=period,
        starts_at=start,
        ends_at=ends,
        room=f"{teacher.subjects[:2].upper()}{rng.randint(1, 12)}",
        staff_member_id=teacher.id,
        teacher_name=teacher.display_name,
        subject=teacher.subjects,
        year_group=f"Year {year}",
        class_name=f"{year}{rng.choice('XYZ')}/{teacher.subjects[:2]}",
    )


def _past_visit(
    session,
    quad: Quad,
    slot: ScheduledVisit,
    focus_areas: list[FocusArea],
    people: list[Person],
    rng: random.Random,
) -> None:
    observer = rng.choice(people)  # one of this QUAD's team
    time_in = datetime.combine(slot.day, slot.starts_at or time(9), tzinfo=UTC)
    activity = Activity(
        quad_id=quad.id,
        scheduled_visit_id=slot.id,
        kind=ActivityKind.LESSON_VISIT,
        author_id=observer.id,
        status=ActivityStatus.COMPLETE,
        time_in=time_in,
        time_out=time_in + timedelta(minutes=25),
        staff_member_id=slot.staff_member_id,
        teacher_name=slot.teacher_name,
        room=slot.room,
        subject=slot.subject,
        year_group=slot.year_group,
        class_name=slot.class_name,
        pupils_present=rng.randint(18, 30),
        strengths=rng.choice(EVIDENCE),
        development_points=rng.choice(EVIDENCE),
        completed_at=time_in + timedelta(minutes=30),
    )
    session.add(activity)
    session.flush()
    for focus in rng.sample(focus_areas, 2):
        activity.evidence.append(
            EvidenceEntry(
                quad_id=quad.id,
                focus_area_id=focus.id,
                text=rng.choice(EVIDENCE),
                judgement=rng.choice(list(Judgement)[:3]),
                priority_id=focus.priorities[0].id if focus.priorities else None,
            )
        )
    for minute in (2, 9, 17):
        activity.running_notes.append(
            RunningNoteLine(
                quad_id=quad.id,
                stamped_at=time_in + timedelta(minutes=minute),
                text=rng.choice(EVIDENCE),
                position=minute,
            )
        )
