"""Three laptops make random offline edits and sync in random order through the
real repository server; afterwards they agree, and nothing anyone wrote is lost.

"Lost" is measured against a model: every value ever written to a field of a
school that still exists must be its current value or a kept conflict, unless
someone replaced it knowingly (it was on their screen when they typed over it).
Concurrent edits of one field, deletions and edits of deleted schools are all
in the mix, and so are people choosing between kept values (a choice replaces
the values set aside knowingly, and every laptop must drop them).
"""

import itertools
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, rule
from sqlalchemy import select

from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services import conflicts
from invictus_desktop.services.profile import open_with_key
from invictus_desktop.store.models import KeptConflict, School, StaffMember, Trust
from invictus_desktop.store.vault import read_vault
from invictus_desktop.sync.server import make_server
from tests.conftest import PASSPHRASE
from tests.sync.replicas import engine_for, introduce, make_laptop

NAMES = ("ann", "ben", "cal")
FIELDS = ("name", "headteacher_name")
_shared: dict = {}


def _template() -> dict:
    """Three introduced profiles and a server, made once; each example copies them."""
    if not _shared:
        root = Path(tempfile.mkdtemp(prefix="invictus-convergence-"))
        laptops = [make_laptop(root / "template", name) for name in NAMES]
        introduce(*laptops)
        keys = [read_vault(p.paths).unwrap_with_passphrase(PASSPHRASE) for p in laptops]
        for laptop in laptops:
            laptop.lock()
        server = make_server(root / "repository")
        server.start()
        _shared.update(root=root, keys=keys, server=server, runs=itertools.count())
    return _shared


@pytest.fixture(scope="module", autouse=True)
def _stop_shared_server():
    yield
    if _shared:
        _shared["server"].stop()
        shutil.rmtree(_shared["root"], ignore_errors=True)
        _shared.clear()


class ThreeLaptops(RuleBasedStateMachine):
    schools = Bundle("schools")

    def __init__(self) -> None:
        super().__init__()
        shared = _template()
        run = next(shared["runs"])
        folder = shared["root"] / f"run-{run}"
        (shared["server"].root / f"run-{run}").mkdir(parents=True)
        url = f"{shared['server'].url}run-{run}/"

        self.laptops, self.engines = [], []
        for name, key in zip(NAMES, shared["keys"], strict=True):
            shutil.copytree(shared["root"] / "template" / name, folder / name)
            laptop = open_with_key(ProfilePaths(folder / name), key)
            self.laptops.append(laptop)
            self.engines.append(engine_for(laptop, url))
        self.engines[0].create_repository()
        for engine in self.engines[1:]:
            engine.join_repository()

        self.values = itertools.count()
        self.written: dict[tuple[str, str], set[str]] = {}
        self.replaced: dict[tuple[str, str], set[str]] = {}
        self.deleted: set[str] = set()
        self.staff: dict[str, str] = {}  # staff member -> school

    @rule(target=schools, laptop=st.integers(0, 2))
    def add_school(self, laptop):
        name = f"school-{next(self.values)}"
        with self.laptops[laptop].store.session() as session:
            trust_id = session.scalar(select(Trust.id).order_by(Trust.id))
            school = School(trust_id=trust_id, name=name)
            session.add(school)
            session.flush()
            school_id = school.id
        self.written[(school_id, "name")] = {name}
        self.written[(school_id, "headteacher_name")] = {""}
        return school_id

    @rule(school=schools, laptop=st.integers(0, 2), field=st.sampled_from(FIELDS))
    def edit(self, school, laptop, field):
        value = f"value-{next(self.values)}"
        with self.laptops[laptop].store.session() as session:
            row = session.get(School, school)
            if row is None:
                return  # not arrived here yet, or deleted
            self.replaced.setdefault((school, field), set()).add(getattr(row, field))
            setattr(row, field, value)
        self.written[(school, field)].add(value)

    @rule(
        school=schools,
        pair=st.sampled_from([(0, 1), (1, 2), (0, 2)]),
        field=st.sampled_from(FIELDS),
    )
    def edit_on_two_laptops_at_once(self, school, pair, field):
        for laptop in pair:
            self.edit(school, laptop, field)

    @rule(
        school=schools,
        pair=st.sampled_from([(0, 1), (1, 2), (0, 2)]),
        field=st.sampled_from(FIELDS),
        order=st.permutations(range(3)),
    )
    def edit_on_two_laptops_at_once_then_sync(self, school, pair, field, order):
        self.edit_on_two_laptops_at_once(school, pair, field)
        self.sync_everyone(order)

    @rule(school=schools, laptop=st.integers(0, 2))
    def add_staff_member(self, school, laptop):
        with self.laptops[laptop].store.session() as session:
            if session.get(School, school) is None:
                return
            member = StaffMember(school_id=school, first_name="Sam", last_name="Lee")
            session.add(member)
            session.flush()
            self.staff[member.id] = school

    @rule(school=schools, pair=st.permutations(range(3)))
    def add_staff_while_another_deletes_the_school(self, school, pair):
        self.add_staff_member(school, pair[0])
        self.delete(school, pair[1])

    @rule(school=schools, laptop=st.integers(0, 2))
    def delete(self, school, laptop):
        with self.laptops[laptop].store.session() as session:
            row = session.get(School, school)
            if row is None:
                return
            # As the app would: a school's staff list goes with it.
            for member in session.scalars(
                select(StaffMember).where(StaffMember.school_id == school)
            ):
                session.delete(member)
            session.flush()
            session.delete(row)
        self.deleted.add(school)

    @rule(laptop=st.integers(0, 2), pick=st.integers(0, 3))
    def choose_between_kept_values(self, laptop, pick):
        profile = self.laptops[laptop]
        shown = [c for c in conflicts.list_conflicts(profile) if c.entity == "school"]
        if not shown:
            return
        conflict = shown[0]
        chosen = conflict.values[pick % len(conflict.values)]
        self.choose_between_kept_values_for(laptop, conflict, chosen)

    @rule(laptop=st.integers(0, 2))
    def sync(self, laptop):
        self.engines[laptop].sync()

    @rule(order=st.permutations(range(3)))
    def sync_everyone(self, order):
        for laptop in order:
            self.engines[laptop].sync()

    def teardown(self) -> None:
        try:
            for _ in range(2):
                for engine in self.engines:
                    report = engine.sync()
                    assert report.refused == [] and report.waiting == []
            self._check_agreement_and_nothing_lost()
            self._settle_everything_and_check_it_settles_everywhere()
        finally:
            for engine, laptop in zip(self.engines, self.laptops, strict=True):
                engine.client.close()
                laptop.lock()

    def _settle_everything_and_check_it_settles_everywhere(self) -> None:
        """Someone chooses in every conflict left (alternately keeping the current
        value and taking a kept one); after syncing no laptop offers any."""
        for number, conflict in enumerate(conflicts.list_conflicts(self.laptops[1])):
            if conflict.entity != "school":
                continue
            chosen = conflict.values[number % len(conflict.values)]
            self.choose_between_kept_values_for(1, conflict, chosen)
        for _ in range(2):
            for engine in self.engines:
                engine.sync()
        self._check_agreement_and_nothing_lost()
        # Two people who chose the same words at once leave that value kept beside
        # itself: no choice, so not shown. Anything else would be.
        for laptop in self.laptops:
            shown = [c for c in conflicts.list_conflicts(laptop) if c.entity == "school"]
            assert shown == [], "a settled value is still offered"

    def choose_between_kept_values_for(self, laptop, conflict, chosen) -> None:
        conflicts.choose(self.laptops[laptop], conflict.id, chosen.value)
        self.replaced.setdefault((conflict.entity_id, conflict.field), set()).update(
            value.value for value in conflict.values if value is not chosen
        )

    def _state(self, laptop) -> tuple[dict, set]:
        with laptop.store.session() as session:
            schools = {
                s.id: (s.name, s.headteacher_name)
                for s in session.scalars(select(School))
                if (s.id, "name") in self.written
            }
            schools["staff"] = sorted(session.scalars(select(StaffMember.id)))
            kept = {
                (k.entity_id, k.field, k.value)
                for k in session.scalars(
                    select(KeptConflict).where(KeptConflict.entity == "school")
                )
            }
        return schools, kept

    def _check_agreement_and_nothing_lost(self) -> None:
        import json

        states = [self._state(laptop) for laptop in self.laptops]
        assert states[0] == states[1] == states[2], "the laptops disagree after syncing"

        schools, kept = states[0]
        staff = set(schools.pop("staff"))
        assert not (set(schools) & self.deleted), "a deleted school came back"
        expected_staff = {
            m for m, school in self.staff.items() if school not in self.deleted
        }
        assert staff == expected_staff, (
            "staff of a surviving school lost, or of a deleted one kept"
        )
        for (school_id, field), values in self.written.items():
            if school_id in self.deleted:
                continue
            current = schools[school_id][FIELDS.index(field)]
            surviving = {current} | {
                json.loads(v) for s, f, v in kept if (s, f) == (school_id, field)
            }
            unreplaced = values - self.replaced.get((school_id, field), set())
            assert unreplaced <= surviving, f"lost {unreplaced - surviving} of {field}"


TestThreeLaptops = ThreeLaptops.TestCase
TestThreeLaptops.settings = settings(
    max_examples=15,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
