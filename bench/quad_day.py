"""A 40-visit QUAD, planned and then recorded through the services as on the day.

`plan` does what the consultant does in the office beforehand: the school, its
staff and SIP, the QUAD, its team, three focus areas and 40 lessons over two
days. `record` is the two days themselves: each visit is started from its
lesson, running notes typed as the lesson goes, the strengths and development
points written a sentence per autosave, evidence for two or three focus areas,
then follow-up questions and completion. The laptop syncs as it goes (an
automatic round comes 15 s after a change), so `record` calls `seal` after each
small step, as such a round would seal just what changed since the last one.

The text is made from sentence lists with a fixed seed: every run records the
same words.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time

from invictus_desktop.services import planning, schools, sips, visits
from invictus_desktop.services.imports.staff import StaffRow
from invictus_desktop.store.models import Judgement, Rag, TeamRole, Term

VISITS = 40
DAYS = (date(2026, 11, 17), date(2026, 11, 18))
PERIODS = [("P1", time(8, 50), time(9, 40)), ("P2", time(9, 50), time(10, 40)),
           ("P3", time(11, 10), time(12, 0)), ("P4", time(12, 10), time(13, 0)),
           ("P5", time(13, 50), time(14, 40))]
SUBJECTS = ["Maths", "English", "Science", "History", "Geography", "French",
            "Computing", "Art", "Music", "Religious Education"]
TEACHERS = [("Mrs", "Amelia", "Ashby"), ("Mr", "Daniel", "Barrow"), ("Ms", "Farah", "Carver"),
            ("Mr", "George", "Dalton"), ("Miss", "Hannah", "Ellison"),
            ("Mr", "Isaac", "Greaves"), ("Mrs", "Laura", "Holloway"),
            ("Mr", "Oliver", "Ingram"), ("Ms", "Poppy", "Jessop"),
            ("Mr", "Rhys", "Kendrick"), ("Mrs", "Sophie", "Lowther"),
            ("Mr", "Thomas", "Merriman"), ("Ms", "Uma", "Norcott"),
            ("Mr", "Victor", "Pemberton"), ("Mrs", "Wendy", "Radcliffe"),
            ("Mr", "Xavier", "Sherwood"), ("Ms", "Yasmin", "Thornbury"),
            ("Mr", "Zach", "Varley"), ("Mrs", "Chloe", "Whitlock"), ("Mr", "Ben", "Yardley")]
PRIORITIES = [
    ("P1", "Maths: clarity of concepts", Rag.RED),
    ("P2", "Reading across the curriculum", Rag.AMBER),
    ("P3", "Adaptive teaching for pupils with SEND", Rag.AMBER),
    ("P4", "Behaviour in unstructured time", Rag.GREEN),
]
FOCUS_AREAS = [
    ("Clarity of explanation", "How new ideas are presented and checked.", [0]),
    ("Disciplinary reading", "Reading in lessons other than English.", [1]),
    ("Adaptation for SEND", "Whether pupils with SEND learn the same curriculum.", [2, 3]),
]
NOTES = [
    "Starter on the board as pupils arrive; most begin without being asked.",
    "Register taken quickly, teacher circulates and checks homework diaries.",
    "Recap of last lesson through five quick questions on mini whiteboards.",
    "Teacher models the first example aloud, naming each step.",
    "Two pupils at the back have not started; teacher prompts them quietly.",
    "Key vocabulary displayed and pupils asked to use it in full sentences.",
    "Cold calling used; answers are short and the teacher asks for more.",
    "Pupils read the extract in pairs, one reading and one summarising.",
    "TA supports a group of three with a partly completed worked example.",
    "Task changes to independent practice; room is quiet and focused.",
    "Teacher stops the class to address a common misconception about signs.",
    "Pupil with EHCP uses a writing frame and completes the first paragraph.",
    "Exit ticket handed out with three questions of increasing difficulty.",
    "Teacher checks books of four pupils; feedback given verbally.",
    "Transition to the plenary is slow and a few minutes are lost.",
    "Pupils explain their reasoning to a partner before sharing with the class.",
    "Homework set on the online platform with a clear deadline.",
    "Lesson ends calmly; pupils leave row by row.",
]
STRENGTHS = [
    "Routines are well established and learning starts promptly.",
    "The teacher's explanation of the new idea was clear and well sequenced.",
    "Worked examples were broken into small steps before pupils practised alone.",
    "Questioning checked understanding across the room, not only of volunteers.",
    "Pupils used subject vocabulary accurately when explaining their answers.",
    "Relationships are warm and pupils are willing to attempt harder questions.",
    "Books show regular extended writing with feedback that pupils act on.",
    "The reading of the text was well modelled and pupils followed closely.",
    "Pupils with SEND had adapted resources and worked on the same content.",
    "Misconceptions were anticipated and addressed before the independent task.",
]
DEVELOPMENT = [
    "Some pupils were passive during questioning and were not drawn in.",
    "The sequence of examples jumped in difficulty and several pupils lost the thread.",
    "The plenary was rushed, so the teacher could not see who had understood.",
    "Feedback in books is frequent but pupils are rarely given time to respond.",
    "The reading task had no clear purpose, so pupils skimmed without thinking.",
    "Adaptations for pupils with SEND relied on the TA rather than on the task itself.",
    "Low-level chatter during transitions was not addressed consistently.",
    "Higher-attaining pupils finished early and had nothing more demanding to do.",
]
FOLLOW_UP = [
    "How is the sequence of examples planned across the department?",
    "What training have staff had on reading in their subject?",
    "How does the SENCo check that adaptations are working in lessons?",
    "Is the homework platform used consistently by all classes?",
    "How are new staff inducted into the behaviour routines?",
]
EVIDENCE = [
    "Pupils explained their method confidently using the correct vocabulary.",
    "Several pupils could not say why the method worked when asked.",
    "The teacher's modelling made each step visible and pupils copied it accurately.",
    "Reading was planned into the lesson with a clear question to answer from the text.",
    "Pupils returned to the text to justify their answers.",
    "The writing frame let the pupil with SEND complete the same task as peers.",
    "The adapted task was easier rather than a route to the same knowledge.",
    "Books show this is typical: the same routines appear over several weeks.",
    "Work in books from the start of term is of lower quality than recent pieces.",
]


@dataclass(frozen=True)
class PlannedQuad:
    quad_id: str
    slot_ids: list[str]
    focus_ids: list[str]


@dataclass
class Recorded:
    visits: int = 0
    note_lines: int = 0
    evidence_entries: int = 0
    rounds: int = 0


def plan(profile, team_member_id: str) -> PlannedQuad:
    """The office work before the QUAD; `team_member_id` joins the team as the
    visiting head."""
    rng = random.Random(40)
    school_id = schools.create_school(profile, schools.SchoolDetails(
        "Kinver High School", urn="137382", safeguarding_lead_name="Rhys Radcliffe"))
    staff = []
    for index, (title, first, last) in enumerate(TEACHERS):
        subject = SUBJECTS[index % len(SUBJECTS)]
        code = (first[0] + last[:2]).upper()
        row = StaffRow(code, title, first, last, "", f"Teacher of {subject}", subject)
        staff.append((schools.save_staff_member(profile, school_id, row),
                      f"{title} {first} {last}", subject))

    sip_id = sips.create_sip(profile, school_id, "2026-27")
    priority_ids = [sips.add_priority(profile, sip_id, sips.PriorityDetails(code, title), rag)
                    for code, title, rag in PRIORITIES]

    quad_id = planning.create_quad(profile, planning.QuadDetails(
        school_id, "2026-27", Term.AUTUMN, DAYS[0], DAYS[-1]))
    planning.set_team(profile, quad_id, [(profile.person_id, TeamRole.CONSULTANT),
                                         (team_member_id, TeamRole.VISITING_HEAD)])
    focus_ids = [
        planning.save_focus_area(profile, quad_id, title, description,
                                 [priority_ids[i] for i in linked])
        for title, description, linked in FOCUS_AREAS
    ]

    slot_ids = []
    for number in range(VISITS):
        day = DAYS[number * len(DAYS) // VISITS]
        period, starts, ends = PERIODS[number % len(PERIODS)]
        staff_id, teacher, subject = staff[number % len(staff)]
        year = rng.randint(7, 11)
        slot_ids.append(planning.add_slot(profile, quad_id, planning.Slot(
            day, period, starts, ends,
            room=f"{subject[:2].upper()}{rng.randint(1, 12)}", teacher_name=teacher,
            staff_member_id=staff_id, subject=subject, year_group=f"Year {year}",
            class_name=f"{year}{rng.choice('XYZ')}/{subject[:2]}")))
    return PlannedQuad(quad_id, slot_ids, focus_ids)


def record(profile, planned: PlannedQuad, seal: Callable[[], None]) -> Recorded:
    """Both days of visits, calling `seal` whenever a sync round would come."""
    rng = random.Random(2026)
    done = Recorded()

    def round_() -> None:
        seal()
        done.rounds += 1

    for slot_id in planned.slot_ids:
        activity_id = visits.start_visit(profile, planned.quad_id, slot_id)
        visits.save_fields(profile, activity_id, {"pupils_present": rng.randint(18, 31)})
        lines = rng.sample(NOTES, rng.randint(5, 10))
        for start in range(0, len(lines), 3):  # a round every few lines typed
            for line in lines[start:start + 3]:
                visits.add_note_line(profile, activity_id, line)
            round_()
        done.note_lines += len(lines)

        for field, bank, sentences in (("strengths", STRENGTHS, 3),
                                       ("development_points", DEVELOPMENT, 2)):
            written = ""
            for sentence in rng.sample(bank, sentences):  # an autosave per sentence
                written = f"{written} {sentence}".strip()
                visits.save_fields(profile, activity_id, {field: written})
            round_()

        for focus_id in rng.sample(planned.focus_ids, rng.randint(2, 3)):
            first, second = rng.sample(EVIDENCE, 2)
            judgement = rng.choice([Judgement.SUPPORTS, Judgement.PARTLY_SUPPORTS,
                                    Judgement.CONTRADICTS])
            visits.save_evidence(profile, activity_id, focus_id, first, None)
            visits.save_evidence(profile, activity_id, focus_id, f"{first} {second}",
                                 judgement)
            done.evidence_entries += 1
            round_()

        visits.save_fields(profile, activity_id,
                           {"follow_up_questions": " ".join(rng.sample(FOLLOW_UP, 2))})
        visits.complete_visit(profile, activity_id)
        done.visits += 1
        round_()
    return done
