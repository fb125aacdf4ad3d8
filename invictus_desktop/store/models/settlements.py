"""A person's choice between concurrent values of one field, shared with everyone.

Each field keeps one base clock per change, so an ordinary edit can say it
knowingly replaced the field's winning value but not the values kept beside
it. A settlement names one kept value (by its clock) that a person has seen
and set aside; every laptop that holds or later receives that value drops it
from its kept conflicts. Settlements only ever accumulate, so they merge by
union and the order they arrive in does not matter.
"""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from invictus_desktop.store.models.base import Base, HasId, Synced, Timestamps


class ConflictSettlement(HasId, Timestamps, Synced, Base):
    """The kept value of `entity.field` on row `entity_id` written at clock
    `settled_hlc` was settled by a person. It travels in the partition of the
    row it is about, so a QUAD's settlements reach only that QUAD's readers."""

    __tablename__ = "conflict_settlement"

    partition: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(60))
    settled_hlc: Mapped[str] = mapped_column(String(80))

    def sync_partition(self) -> str:
        return self.partition
