"""Hybrid logical clocks: timestamps that order events across laptops even when
their clocks disagree, and never run backwards on one laptop.

A value is (wall milliseconds, counter, device id), written as fixed-width
text so that string order is clock order.
"""

import time
from dataclasses import dataclass

# The counter is written in six digits, so string order stays clock order.
MAX_COUNTER = 999_999


@dataclass(frozen=True, order=True)
class Hlc:
    wall_ms: int
    counter: int
    device: str = ""

    def encode(self) -> str:
        return f"{self.wall_ms:013d}-{self.counter:06d}-{self.device}"

    @classmethod
    def decode(cls, text: str) -> "Hlc":
        wall, counter, device = text.split("-", 2)
        if len(wall) != 13 or len(counter) != 6:
            raise ValueError(f"not a clock value: {text!r}")
        return cls(int(wall), int(counter), device)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def tick(last: Hlc, device: str, wall_ms: int | None = None) -> Hlc:
    """The next local event's clock."""
    physical = now_ms() if wall_ms is None else wall_ms
    if physical > last.wall_ms:
        return Hlc(physical, 0, device)
    return _after(last.wall_ms, last.counter, device)


def receive(last: Hlc, remote: Hlc, device: str, wall_ms: int | None = None) -> Hlc:
    """The local clock after seeing a remote event, so later local events sort after it."""
    physical = now_ms() if wall_ms is None else wall_ms
    wall = max(last.wall_ms, remote.wall_ms, physical)
    if wall == last.wall_ms == remote.wall_ms:
        return _after(wall, max(last.counter, remote.counter), device)
    if wall == last.wall_ms:
        return _after(wall, last.counter, device)
    if wall == remote.wall_ms:
        return _after(wall, remote.counter, device)
    return Hlc(wall, 0, device)


def _after(wall_ms: int, counter: int, device: str) -> Hlc:
    """The value just after (wall_ms, counter). A clock held ahead of real time (a
    colleague's year typed wrong) counts on one wall time for as long as it stays
    ahead: past six digits it moves the wall on a millisecond instead."""
    if counter >= MAX_COUNTER:
        return Hlc(wall_ms + 1, 0, device)
    return Hlc(wall_ms, counter + 1, device)
