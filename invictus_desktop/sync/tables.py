"""Which tables travel, and how a field's value crosses the wire and comes back.

Only models that mix in `Synced` may be written by a remote op; local tables
(identity, outbox, settings, sync state) are never reachable from a segment.
Values arrive as JSON and are checked against the column's type before they
touch a model.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Date, Integer, LargeBinary, String, Table, Text, Time
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.orm import Mapper

from invictus_desktop.store.models import Base, Synced
from invictus_desktop.store.models.base import UtcDateTime


class BadValue(ValueError):
    """A field value that does not fit its column."""


@dataclass(frozen=True)
class LinkField:
    """A many-to-many list: the association table and its two columns."""

    table: Table
    own_column: str
    other_column: str
    other_table: str


@dataclass(frozen=True)
class SyncedTable:
    name: str
    model: type
    mapper: Mapper
    columns: dict[str, Any]  # attribute name -> Column
    links: dict[str, LinkField]
    references: dict[str, str]  # attribute name -> referred table

    def required(self) -> set[str]:
        """Fields a new row cannot be made without."""
        return {
            key
            for key, column in self.columns.items()
            if not column.nullable
            and not column.primary_key
            and column.default is None
            and column.server_default is None
        }


@cache
def synced_tables() -> dict[str, SyncedTable]:
    tables = {}
    for mapper in Base.registry.mappers:
        model = mapper.class_
        if not issubclass(model, Synced):
            continue
        columns = {attr.key: attr.columns[0] for attr in mapper.column_attrs}
        references = {}
        for key, column in columns.items():
            for foreign_key in column.foreign_keys:
                references[key] = foreign_key.column.table.name
        links = {}
        for relationship in mapper.relationships:
            if relationship.secondary is None:
                continue
            own = next(iter(relationship.synchronize_pairs))[1].name
            other_pair = next(iter(relationship.secondary_synchronize_pairs))
            links[relationship.key] = LinkField(
                table=relationship.secondary,
                own_column=own,
                other_column=other_pair[1].name,
                other_table=other_pair[0].table.name,
            )
        name = mapper.local_table.name
        tables[name] = SyncedTable(name, model, mapper, columns, links, references)
    return tables


def from_json(column, raw: Any) -> Any:
    """The Python value for `column` from its JSON form, or `BadValue`."""
    if raw is None:
        if not column.nullable:
            raise BadValue(f"{column.name} cannot be empty")
        return None

    kind = column.type
    if isinstance(kind, SqlEnum) and kind.enum_class is not None:
        try:
            return kind.enum_class(raw)
        except ValueError:
            raise BadValue(f"{column.name}: {raw!r} is not a known value") from None
    if isinstance(kind, UtcDateTime):
        moment = _parse(datetime.fromisoformat, raw, column)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if isinstance(kind, Date):
        return _parse(date.fromisoformat, raw, column)
    if isinstance(kind, Time):
        return _parse(time.fromisoformat, raw, column)
    if isinstance(kind, LargeBinary):
        if not isinstance(raw, str):
            raise BadValue(f"{column.name} must be base64 text")
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise BadValue(f"{column.name} is not base64") from None
        if kind.length is not None and len(data) > kind.length:
            raise BadValue(f"{column.name} is too long")
        return data
    if isinstance(kind, Boolean):
        if not isinstance(raw, bool):
            raise BadValue(f"{column.name} must be true or false")
        return raw
    if isinstance(kind, Integer):
        if type(raw) is not int:
            raise BadValue(f"{column.name} must be a whole number")
        return raw
    if isinstance(kind, String | Text):
        if not isinstance(raw, str):
            raise BadValue(f"{column.name} must be text")
        # No length check: the sender's store took it (SQLite does not enforce
        # lengths), and refusing it here would block that laptop's whole log.
        return raw
    raise BadValue(f"{column.name} has a type sync does not carry")


def _parse(parser, raw: Any, column) -> Any:
    if not isinstance(raw, str):
        raise BadValue(f"{column.name} must be text")
    try:
        return parser(raw)
    except ValueError:
        raise BadValue(f"{column.name}: {raw!r} is not understood") from None
