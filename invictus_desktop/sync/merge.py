"""Applying other people's changes to this store, so that nothing is lost.

Each field carries a hybrid logical clock, and each op says which value its
author replaced (`bases`). Applying a value then has three outcomes:

- it is newer than anything known here: it becomes the field's value; if its
  author had not seen the value it replaces, that value is kept as a conflict;
- it is older: the field keeps its value, and the arriving one is kept as a
  conflict unless some known value was written knowingly over it;
- it is already known: nothing happens (segments may be seen twice).

Whichever order values arrive in, every laptop ends with the same value and
the same kept conflicts: the newest clock wins, and a value is kept exactly when
it is not the winner and nobody replaced it knowingly. A person chooses later.

A person settles kept values by choosing (services/conflicts.py): the choice is
an ordinary edit plus a `ConflictSettlement` row per value set aside, and a
settled value is never kept again, whichever order things arrive in.

A value that would break a unique rule of this store (the same URN typed for
two schools on two laptops) is not refused: the older value keeps its place,
the newer row is stored with that field cleared (or, if it may not be empty,
made distinct), and the value it lost is kept as a conflict for a person.

New rows merge by union. A deletion leaves a tombstone: later changes to the
row, and new rows under it, are not brought back. Nothing here writes to the
outbox: the caller marks the session as applying remote changes.

Who is enrolled and who holds which role (`PersonKey`, `RoleAssignment`) are
the trust's leads' to write (see `trust`). When the caller says who the leads
are, those rows from anyone else are not applied: a role or key someone gave
themselves (their profile's own first rows) is left out at once, one about
somebody else waits (`WaitsForLead`: the role making the author a lead may be
in another log) until the caller says to leave it out. So is the deletion of a
person, which takes their keys and roles (and their notes) with it. The rest
of the segment is applied either way, so the author's log goes on.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, Text, UniqueConstraint, bindparam, delete, insert, select
from sqlalchemy.orm import Session

from invictus_desktop.store.models import (
    ConflictSettlement,
    FieldClock,
    KeptConflict,
    OutboxEntry,
    Person,
    PersonKey,
    RoleAssignment,
    Tombstone,
)
from invictus_desktop.store.outbox import to_json_value
from invictus_desktop.sync.segment import Op, Refusal, Segment, SegmentRefused
from invictus_desktop.sync.tables import (
    BadValue,
    SyncedTable,
    from_json,
    synced_tables,
)

log = logging.getLogger(__name__)


class NotYetApplicable(Exception):
    """An op needs a row that has not arrived yet (it is in another laptop's log)."""


class WaitsForLead(NotYetApplicable):
    """A key or role about somebody else, from someone not (yet) a lead here."""


# Rows only the trust's leads write: who is enrolled, and who holds which role.
LEADS_ONLY = frozenset({RoleAssignment.__tablename__, PersonKey.__tablename__})
# Deleting a person deletes their keys and roles too: also only the leads' to do.
_PERSON = Person.__tablename__
# The fields a person's own key revocation changes (anyone may revoke their own).
_REVOCATION_FIELDS = frozenset({"id", "revoked_at", "updated_at"})


@dataclass
class KnownValue:
    clock: str
    base: str


# Built once: a first sync runs these for every row it changes, and building a
# statement costs more than running it.
_LOCAL_VALUES = (
    select(OutboxEntry.hlc, OutboxEntry.payload)
    .where(
        OutboxEntry.entity == bindparam("entity"),
        OutboxEntry.entity_id == bindparam("entity_id"),
        OutboxEntry.operation == "upsert",
    )
    .order_by(OutboxEntry.hlc)
)
_REMOTE_VALUES = select(
    FieldClock.field, FieldClock.hlc, FieldClock.base, FieldClock.seen_at
).where(
    FieldClock.entity == bindparam("entity"),
    FieldClock.entity_id == bindparam("entity_id"),
)
_KEPT = KeptConflict.__table__
_FORGET_KEPT_VALUE = _KEPT.delete().where(
    _KEPT.c.entity == bindparam("entity"),
    _KEPT.c.entity_id == bindparam("entity_id"),
    _KEPT.c.field == bindparam("field"),
    _KEPT.c.hlc == bindparam("hlc"),
)
# Per table: whether a row of that id is stored.
_EXISTS: dict[str, Any] = {}
# In `Session.info`, when the caller sets it: the rows (entity, id) that have
# kept values in this transaction. Any other row has none to forget.
ROWS_WITH_KEPT_VALUES = "sync_rows_with_kept_values"


@dataclass
class FieldHistory:
    """Every value of every field of one row known here, local and remote."""

    local: list[tuple[str, set[str]]] = field(default_factory=list)  # (clock, fields)
    remote: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, entity: str, entity_id: str) -> "FieldHistory":
        history = cls()
        row = {"entity": entity, "entity_id": entity_id}
        for clock, payload in session.execute(_LOCAL_VALUES, row):
            history.local.append((clock, set(json.loads(payload))))
        for name, clock, base, seen in session.execute(_REMOTE_VALUES, row):
            history.remote.setdefault(name, []).append((clock, base, seen))
        return history

    def local_base(self, name: str, clock: str) -> str:
        """The clock of the value a local edit at `clock` replaced: the newest value
        of the field known here before that moment."""
        earlier = [c for c, names in self.local if name in names and c < clock]
        earlier += [c for c, _base, seen in self.remote.get(name, []) if seen < clock]
        return max(earlier, default="")

    def values(self, name: str) -> list[KnownValue]:
        """Every known value of the field, local ones with their computed base.
        One pass in the order values were seen, so long histories stay cheap."""
        seen_order = [(clock, clock, None) for clock, names in self.local if name in names]
        seen_order += [
            (seen, clock, base) for clock, base, seen in self.remote.get(name, [])
        ]
        seen_order.sort(key=lambda event: (event[0], event[1]))

        known, newest = [], ""
        for _seen, clock, base in seen_order:
            known.append(KnownValue(clock, newest if base is None else base))
            newest = max(newest, clock)
        return known

    def add_remote(self, name: str, clock: str, base: str, seen: str) -> None:
        self.remote.setdefault(name, []).append((clock, base, seen))


def hold(session: Session, row: Any) -> None:
    """Keep a row in the session for the rest of the transaction: the identity map
    holds rows weakly, and a round touches the same parents and cursors again and
    again."""
    session.info.setdefault("sync_held_rows", []).append(row)


def rows_with_kept_values(session: Session) -> set[tuple[str, str]]:
    rows = session.execute(select(KeptConflict.entity, KeptConflict.entity_id).distinct())
    return {tuple(row) for row in rows}


def load_tombstones(session: Session) -> set[tuple[str, str]]:
    """Every row deleted here or by anyone whose deletion has arrived."""
    remote = session.execute(select(Tombstone.entity, Tombstone.entity_id))
    local = session.execute(
        select(OutboxEntry.entity, OutboxEntry.entity_id).where(
            OutboxEntry.operation == "delete"
        )
    )
    return {tuple(row) for row in remote} | {tuple(row) for row in local}


def keep_value(
    session: Session, entity: str, entity_id: str, name: str, clock: str, value: Any
) -> None:
    """Keep a value beside the field's own, unless it is kept already or a person
    has settled it."""
    kept_or_settled = session.scalar(
        select(KeptConflict.id).where(
            KeptConflict.entity == entity,
            KeptConflict.entity_id == entity_id,
            KeptConflict.field == name,
            KeptConflict.hlc == clock,
        )
    ) or session.scalar(
        select(ConflictSettlement.id).where(
            ConflictSettlement.entity == entity,
            ConflictSettlement.entity_id == entity_id,
            ConflictSettlement.field == name,
            ConflictSettlement.settled_hlc == clock,
        )
    )
    if kept_or_settled is None:
        log.info("kept a concurrent value of %s.%s (%s)", entity, name, entity_id)
        if ROWS_WITH_KEPT_VALUES in session.info:
            session.info[ROWS_WITH_KEPT_VALUES].add((entity, entity_id))
        session.add(
            KeptConflict(
                entity=entity,
                entity_id=entity_id,
                field=name,
                hlc=clock,
                value=json.dumps(value, ensure_ascii=False),
            )
        )


def forget_settled_conflicts(session: Session) -> None:
    """Kept values a person has settled, here or on another laptop, go."""
    settled = (
        select(ConflictSettlement.id)
        .where(
            ConflictSettlement.entity == KeptConflict.entity,
            ConflictSettlement.entity_id == KeptConflict.entity_id,
            ConflictSettlement.field == KeptConflict.field,
            ConflictSettlement.settled_hlc == KeptConflict.hlc,
        )
        .exists()
    )
    session.execute(delete(KeptConflict).where(settled))


def unique_rules(table: SyncedTable) -> list[tuple[str, ...]]:
    """The attribute names of each unique rule of a synced table."""
    by_column = {column.name: key for key, column in table.columns.items()}
    return [
        tuple(by_column[column.name] for column in constraint.columns)
        for constraint in table.model.__table__.constraints
        if isinstance(constraint, UniqueConstraint)
    ]


def _clash_field(table: SyncedTable, names: tuple[str, ...], changed: set[str]):
    """Which field of a unique rule gives way: the one this change set that is
    not a reference to another row (a school's URN, a staff member's code)."""
    candidates = [n for n in names if n in changed and n not in table.references]
    return candidates[-1] if candidates else None


def _newest_clock(session: Session, entity: str, entity_id: str, name: str) -> str:
    values = FieldHistory.load(session, entity, entity_id).values(name)
    return max((value.clock for value in values), default="")


_CANNOT = object()


def _distinct_value(column, value: Any, row_id: str) -> Any:
    """A value for the field that clashes with nothing: empty where allowed,
    else the text marked with the row's id; numbers are not invented."""
    if column.nullable:
        return None
    if isinstance(column.type, String | Text) and isinstance(value, str):
        return f"{value} ({row_id[:8]})"
    return _CANNOT


def _leads_only(op: Op) -> bool:
    """Whether only a lead's op is applied: one on keys or roles, or a person's
    deletion (which takes that person's keys and roles with it)."""
    return op.entity in LEADS_ONLY or (op.operation == "delete" and op.entity == _PERSON)


def forget_conflicts_of_deleted_rows(session: Session) -> None:
    """Rows deleted here take their kept conflicts with them, as they do on the
    laptops that receive the deletion."""
    deleted_here = (
        select(OutboxEntry.seq)
        .where(
            OutboxEntry.entity == KeptConflict.entity,
            OutboxEntry.entity_id == KeptConflict.entity_id,
            OutboxEntry.operation == "delete",
        )
        .exists()
    )
    session.execute(delete(KeptConflict).where(deleted_here))


class SegmentApplier:
    """Applies the ops of one segment inside the caller's transaction."""

    def __init__(
        self,
        session: Session,
        segment: Segment,
        seen_at: str,
        tombstones: set[tuple[str, str]] | None = None,
        is_lead: Callable[[str], bool] | None = None,
        lenient: bool = False,
        histories: dict[tuple[str, str], FieldHistory] | None = None,
    ) -> None:
        """`is_lead(person_id)` says who may write keys and roles (None: anyone);
        `lenient`: such rows from anyone else are left out rather than waited for.
        `histories`: the field histories of rows this transaction has touched,
        shared by the segments applied in it (the caller empties it when a
        segment is rolled back)."""
        self.session = session
        # A first sync changes the same rows again and again (a visit's strengths
        # autosaved sentence by sentence): each row's history is read once per
        # transaction and kept current here, since only this class adds to it.
        self.histories = {} if histories is None else histories
        self.is_lead = is_lead
        self.lenient = lenient
        # Shared across a round's segments, and kept current as deletions apply.
        self.tombstones = load_tombstones(session) if tombstones is None else tombstones
        self.added_tombstones: set[tuple[str, str]] = set()
        self.segment = segment
        self.seen_at = seen_at
        self.tables = synced_tables()
        self._new_in_segment: set[tuple[str, str]] = {
            (op.entity, op.entity_id) for op in segment.ops if op.operation == "upsert"
        }
        # Field clocks of the segment's ops, written in one statement before anything
        # reads them.
        self._field_clocks: list[dict[str, str]] = []

    def apply(self) -> None:
        author_is_lead: bool | None = None
        for op in self.segment.ops:
            table = self.tables.get(op.entity)
            if table is None:
                raise SegmentRefused(
                    Refusal.MALFORMED, f"{op.entity} is not a shared table"
                )
            if _leads_only(op) and self.is_lead is not None:
                if author_is_lead is None:
                    author_is_lead = self.is_lead(self.segment.header.author)
                if not author_is_lead and not self._may_write_anyway(table, op):
                    continue
            if op.operation == "delete":
                self._delete(table, op)
                continue
            # A new row is only complete once all its fields are set.
            with self.session.no_autoflush:
                self._upsert(table, op)
            self.session.flush()
        self._write_field_clocks()
        if any(op.entity == ConflictSettlement.__tablename__ for op in self.segment.ops):
            forget_settled_conflicts(self.session)

    # -- keys and roles ------------------------------------------------------

    def _may_write_anyway(self, table: SyncedTable, op: Op) -> bool:
        """For a leads-only op by someone who is not a lead here: True if
        it applies all the same (revoking their own key); False if it is left
        out; raises `WaitsForLead` if it is about somebody else and may wait."""
        author = self.segment.header.author
        row = self.session.get(table.model, op.entity_id)
        if table.name == _PERSON:
            subject = op.entity_id
        else:
            subject = row.person_id if row is not None else op.fields.get("person_id")
        if (
            row is not None
            and op.operation == "upsert"
            and table.name == PersonKey.__tablename__
            and subject == author
            and op.fields.get("revoked_at") is not None
            and set(op.fields) <= _REVOCATION_FIELDS
        ):
            return True
        what = f"{op.operation} of {op.entity} {op.entity_id}"
        if subject is not None and subject != author and not self.lenient:
            raise WaitsForLead(f"{what} by {author}, not a lead here (yet)")
        log.log(
            logging.INFO if subject in (author, None) else logging.WARNING,
            "not applied: %s by %s, who is not the consultant or the Executive "
            "Headteacher here; only they enrol and remove people and assign roles",
            what,
            author,
        )
        return False

    # -- deletion ------------------------------------------------------------

    def _delete(self, table: SyncedTable, op: Op) -> None:
        row = self.session.get(table.model, op.entity_id)
        if row is not None:
            self._check_partition(row, op)
            self._remove_row(table, row, op.hlc)
        else:
            self._bury(op.entity, op.entity_id, op.hlc)

    def _remove_row(self, table: SyncedTable, row: Any, clock: str) -> None:
        """Delete a row and what hangs from it, as every laptop does on receiving
        the deletion: rows that cannot exist without it go too (a later arrival
        under it is buried on arrival), optional references to it are cleared."""
        for other in self.tables.values():
            for name, target in other.references.items():
                if target != table.name:
                    continue
                column = other.columns[name]
                for dependent in self.session.scalars(
                    select(other.model).where(column == row.id)
                ).all():
                    if column.nullable:
                        setattr(dependent, name, None)
                    else:
                        self._remove_row(other, dependent, clock)
            for link in other.links.values():
                if link.other_table == table.name:
                    self.session.execute(
                        delete(link.table).where(link.table.c[link.other_column] == row.id)
                    )
        self.session.delete(row)
        self._bury(table.name, row.id, clock)

    def _bury(self, entity: str, entity_id: str, clock: str) -> None:
        if self.session.get(Tombstone, (entity, entity_id)) is None:
            self.session.add(Tombstone(entity=entity, entity_id=entity_id, hlc=clock))
        if (entity, entity_id) not in self.tombstones:
            self.added_tombstones.add((entity, entity_id))
            self.tombstones.add((entity, entity_id))
        self.session.execute(
            delete(KeptConflict).where(
                KeptConflict.entity == entity, KeptConflict.entity_id == entity_id
            )
        )

    def forget_added_tombstones(self) -> None:
        """After a rollback: the deletions this segment made did not happen."""
        self.tombstones -= self.added_tombstones
        self.added_tombstones.clear()

    # -- insert or update ----------------------------------------------------

    def _upsert(self, table: SyncedTable, op: Op) -> None:
        if (op.entity, op.entity_id) in self.tombstones:
            return
        values, links = self._checked_values(table, op)
        self._clear_references_to_deleted(table, values)
        row = self._stored_row(table, op.entity_id)

        if self._under_deleted_parent(table, values):
            if row is not None:
                self._remove_row(table, row, op.hlc)
            else:
                self._bury(op.entity, op.entity_id, op.hlc)
            return

        if row is None:
            missing = table.required() - {k for k, v in values.items() if v is not None}
            if missing:
                raise NotYetApplicable(f"{op.entity} {op.entity_id} before its creation")
            self._check_references(table, values)
            # Not added to the session: inserted in one statement once merged.
            row = table.model(id=op.entity_id)
            # A row never seen here has no history: it was neither edited nor deleted.
            history = self.histories[(op.entity, op.entity_id)] = FieldHistory()
        else:
            self._check_references(table, values)
            history = self._history(op.entity, op.entity_id)

        changed = set()
        for name, value in values.items():
            if self._merge_field(history, op, name, to_json_value(value)):
                setattr(row, name, value)
                changed.add(name)
        if changed:
            self._keep_unique_clashes(table, row, op, changed)
        for name, ids in links.items():
            if self._merge_field(history, op, name, ids):
                self._set_links(table, name, op.entity_id, ids)
        self._check_partition(row, op)
        if row not in self.session:
            self._insert(table, row, changed)

    def _history(self, entity: str, entity_id: str) -> FieldHistory:
        """The row's history, read once per transaction. A row not read yet has no
        field clocks waiting in `_field_clocks`: those are all of rows this
        transaction has touched, whose histories are kept."""
        history = self.histories.get((entity, entity_id))
        if history is None:
            history = FieldHistory.load(self.session, entity, entity_id)
            self.histories[(entity, entity_id)] = history
        return history

    def _stored_row(self, table: SyncedTable, row_id: str) -> Any:
        """The row as stored here, or None. Most rows of a first sync are new, and
        asking the database whether one exists costs far less than the ORM's miss.
        (No new synced row waits unflushed in the session: `_insert` writes them.)"""
        held = self.session.identity_map.get(Session.identity_key(table.model, row_id))
        if held is not None:
            return held  # loaded earlier in this transaction, and held
        exists = _EXISTS.get(table.name)
        if exists is None:
            id_column = table.columns["id"]
            exists = _EXISTS[table.name] = select(id_column).where(
                id_column == bindparam("id")
            )
        if self.session.connection().execute(exists, {"id": row_id}).first() is None:
            return None
        return self.session.get(table.model, row_id)

    def _insert(self, table: SyncedTable, row: Any, fields: set[str]) -> None:
        """Insert a new row with a plain statement: a first sync makes thousands,
        and the unit of work costs far more per row than the insert itself. Column
        defaults still apply; pending ORM changes go first (a row that gave way on
        a unique rule must be updated before this one takes the value)."""
        self.session.flush()
        columns = table.columns
        values = {columns[name].key: getattr(row, name) for name in fields}
        values[columns["id"].key] = row.id
        self.session.execute(insert(table.model.__table__), values)

    def _merge_field(self, history: FieldHistory, op: Op, name: str, value: Any) -> bool:
        """Record the arriving value; True if it becomes the field's value."""
        known = history.values(name)
        if any(k.clock == op.hlc for k in known):
            return False
        base = op.bases.get(name, "")
        current = max((k.clock for k in known), default=None)

        self._field_clocks.append(
            {
                "entity": op.entity,
                "entity_id": op.entity_id,
                "field": name,
                "hlc": op.hlc,
                "base": base,
                "seen_at": self.seen_at,
            }
        )
        history.add_remote(name, op.hlc, base, self.seen_at)
        if base:
            self._forget_conflict(op, name, base)

        if current is None or op.hlc > current:
            if current is not None and base != current:
                self._keep_conflict(op, name, current, self._current_json(op, name))
            return True
        if not any(k.base == op.hlc for k in known):
            self._keep_conflict(op, name, op.hlc, value)
        return False

    def _write_field_clocks(self) -> None:
        """One insert for the field clocks waiting: a first sync writes thousands,
        and as ORM objects they cost more than the rows they describe."""
        if self._field_clocks:
            self.session.execute(insert(FieldClock.__table__), self._field_clocks)
            self._field_clocks = []

    def _current_json(self, op: Op, name: str) -> Any:
        table = self.tables[op.entity]
        if name in table.links:
            link = table.links[name]
            own = link.table.c[link.own_column]
            other = link.table.c[link.other_column]
            return sorted(self.session.scalars(select(other).where(own == op.entity_id)))
        row = self.session.get(table.model, op.entity_id)
        return to_json_value(getattr(row, name))

    def _keep_conflict(self, op: Op, name: str, clock: str, value: Any) -> None:
        keep_value(self.session, op.entity, op.entity_id, name, clock, value)

    # -- unique rules ----------------------------------------------------------

    def _keep_unique_clashes(
        self, table: SyncedTable, row: Any, op: Op, changed: set[str]
    ) -> None:
        """Two laptops gave one unique value to two rows: the value written first
        (by clock) keeps it on every laptop; the other row's field is cleared or
        made distinct, and its value is kept for a person to choose."""
        for names in unique_rules(table):
            field_name = _clash_field(table, names, changed)
            if field_name is None:
                continue
            wanted = {name: getattr(row, name) for name in names}
            if any(value is None for value in wanted.values()):
                continue  # empty values never clash
            holder = self.session.scalar(
                select(table.model).where(
                    table.model.id != row.id,
                    *(table.columns[name] == value for name, value in wanted.items()),
                )
            )
            if holder is None:
                continue

            self._write_field_clocks()
            holder_clock = _newest_clock(self.session, table.name, holder.id, field_name)
            if holder_clock and holder_clock > op.hlc:
                loser, loser_clock = holder, holder_clock
            else:
                loser, loser_clock = row, op.hlc
            column = table.columns[field_name]
            lost = getattr(loser, field_name)
            stand_in = _distinct_value(column, lost, loser.id)
            if stand_in is _CANNOT:
                continue  # the store refuses it, as before
            log.warning(
                "%s.%s of %s clashes with %s; kept for a person to choose",
                table.name, field_name, row.id, holder.id,
            )
            setattr(loser, field_name, stand_in)
            keep_value(
                self.session, table.name, loser.id, field_name, loser_clock, to_json_value(lost)
            )

    def _forget_conflict(self, op: Op, name: str, clock: str) -> None:
        """A value written knowingly over a kept one settles it."""
        with_kept = self.session.info.get(ROWS_WITH_KEPT_VALUES)
        if with_kept is not None and (op.entity, op.entity_id) not in with_kept:
            return
        self.session.flush()  # a value kept earlier in this transaction, too
        self.session.execute(
            _FORGET_KEPT_VALUE,
            {"entity": op.entity, "entity_id": op.entity_id, "field": name, "hlc": clock},
        )

    def _set_links(
        self, table: SyncedTable, name: str, entity_id: str, ids: list[str]
    ) -> None:
        link = table.links[name]
        own = link.table.c[link.own_column]
        self.session.execute(delete(link.table).where(own == entity_id))
        present = [
            other_id
            for other_id in ids
            if (link.other_table, other_id) not in self.tombstones
        ]
        for other_id in present:
            self._require_row(link.other_table, other_id)
        if present:
            self.session.execute(
                insert(link.table),
                [{link.own_column: entity_id, link.other_column: i} for i in present],
            )

    # -- checks --------------------------------------------------------------

    def _checked_values(self, table: SyncedTable, op: Op) -> tuple[dict, dict]:
        values, links = {}, {}
        for name, raw in op.fields.items():
            if name == "id":
                if raw != op.entity_id:
                    raise SegmentRefused(Refusal.MALFORMED, "op id and id field differ")
                continue
            if name in table.links:
                if not isinstance(raw, list):
                    raise SegmentRefused(Refusal.MALFORMED, f"{name} must be a list of ids")
                links[name] = sorted(set(raw))
                continue
            column = table.columns.get(name)
            if column is None:
                raise SegmentRefused(Refusal.MALFORMED, f"{op.entity} has no field {name}")
            if raw is None and not column.nullable:
                # Filled by a default when the row was first saved; not a value.
                continue
            try:
                values[name] = from_json(column, raw)
            except BadValue as exc:
                raise SegmentRefused(Refusal.MALFORMED, str(exc)) from None
        return values, links

    def _under_deleted_parent(self, table: SyncedTable, values: dict) -> bool:
        """A required reference to a deleted row: this row goes with it."""
        return any(
            (table.references[name], value) in self.tombstones
            for name, value in values.items()
            if name in table.references and value is not None
        )

    def _clear_references_to_deleted(self, table: SyncedTable, values: dict) -> None:
        """An optional reference to a deleted row is cleared, as the deletion
        cleared it on the laptops that already had this row."""
        for name, value in values.items():
            if (
                name in table.references
                and value is not None
                and table.columns[name].nullable
                and (table.references[name], value) in self.tombstones
            ):
                values[name] = None

    def _check_references(self, table: SyncedTable, values: dict) -> None:
        for name, value in values.items():
            if name in table.references and value is not None:
                self._require_row(table.references[name], value)

    def _require_row(self, table_name: str, row_id: str) -> None:
        if (table_name, row_id) in self._new_in_segment:
            return
        model = self.tables[table_name].model if table_name in self.tables else None
        row = self.session.get(model, row_id) if model is not None else None
        if row is None:
            raise NotYetApplicable(f"{table_name} {row_id} has not arrived")
        hold(self.session, row)

    def _check_partition(self, row: Any, op: Op) -> None:
        partition = row.sync_partition()
        if partition != self.segment.header.partition:
            raise SegmentRefused(
                Refusal.MISPLACED,
                f"{op.entity} {op.entity_id} belongs to {partition}, "
                f"not {self.segment.header.partition}",
            )
