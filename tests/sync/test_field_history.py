"""The per-field history that decides conflicts: the one-pass computation of
each local value's base agrees with its definition."""

from hypothesis import given
from hypothesis import strategies as st

from invictus_desktop.sync.merge import FieldHistory

LOCAL, REMOTE = "a" * 32, "b" * 32


def clock(wall: int, device: str) -> str:
    return f"{wall:013d}-000000-{device}"


@given(
    st.lists(st.integers(1, 10_000), unique=True, max_size=12),
    st.lists(st.tuples(st.integers(1, 10_000), st.integers(1, 10_000)), max_size=12),
)
def test_each_local_value_replaces_the_newest_value_seen_before_it(local_walls, remote):
    history = FieldHistory()
    for wall in sorted(local_walls):
        history.local.append((clock(wall, LOCAL), {"name"}))
    seen_walls = set(local_walls)
    for wall, seen in remote:
        if seen in seen_walls:
            continue  # the local clock never issues one value twice
        seen_walls.add(seen)
        history.add_remote("name", clock(wall, REMOTE), "", clock(seen, LOCAL))

    values = {value.clock: value.base for value in history.values("name")}

    for wall in local_walls:
        local_clock = clock(wall, LOCAL)
        assert values[local_clock] == history.local_base("name", local_clock)
