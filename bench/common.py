"""Timing helpers and the table every benchmark prints."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    seconds: float
    baseline_name: str
    baseline_seconds: float
    target: str = ""

    @property
    def ratio(self) -> float:
        return self.seconds / self.baseline_seconds if self.baseline_seconds else float("inf")


def median_seconds(action: Callable[[], object], repeats: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def paired_medians(
    subject: Callable[[], object], baseline: Callable[[], object], repeats: int
) -> tuple[float, float]:
    """Medians of subject and baseline sampled alternately, so that load from
    other processes falls on both alike."""
    subject()
    baseline()
    subject_samples, baseline_samples = [], []
    for _ in range(repeats):
        for action, samples in ((subject, subject_samples), (baseline, baseline_samples)):
            started = time.perf_counter()
            action()
            samples.append(time.perf_counter() - started)
    return statistics.median(subject_samples), statistics.median(baseline_samples)


def format_seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def print_table(figures: list[Figure]) -> None:
    rows = [("figure", "median", "baseline", "baseline median", "ratio", "target")]
    rows += [(f.name, format_seconds(f.seconds), f.baseline_name,
              format_seconds(f.baseline_seconds), f"{f.ratio:.2f}x", f.target)
             for f in figures]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        print("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if index == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
