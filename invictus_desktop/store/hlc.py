"""Hybrid logical clocks: timestamps that order events across laptops even when
their clocks disagree, and never run backwards on one laptop.

A value is (wall milliseconds, counter, device id), written as fixed-width
text so that string order is clock order.
"""

import time
from dataclasses import dataclass


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
    return Hlc(last.wall_ms, last.counter + 1, device)


def receive(last: Hlc, remote: Hlc, device: str, wall_ms: int | None = None) -> Hlc:
    """The local clock after seeing a remote event, so later local events sort after it."""
    physical = now_ms() if wall_ms is None else wall_ms
    wall = max(last.wall_ms, remote.wall_ms, physical)
    if wall == last.wall_ms == remote.wall_ms:
        counter = max(last.counter, remote.counter) + 1
    elif wall == last.wall_ms:
        counter = last.counter + 1
    elif wall == remote.wall_ms:
        counter = remote.counter + 1
    else:
        counter = 0
    return Hlc(wall, counter, device)
