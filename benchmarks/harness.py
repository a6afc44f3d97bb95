"""Measurements, medians, ratios and targets for `make bench` (see benchmarks/README.md)."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field


@dataclass
class Measurement:
    """The raw samples of one implementation on one case, in one unit."""

    case: str
    impl: str
    unit: str
    samples: list[float]
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def spread(self) -> float:
        """Interquartile range relative to the median: how noisy the samples were."""
        if len(self.samples) < 4:
            return 0.0
        q = statistics.quantiles(self.samples, n=4)
        return (q[2] - q[0]) / self.median if self.median else 0.0


@dataclass
class Target:
    """One target: `check` returns (met, measured text, target text)."""

    name: str
    check: object
    why_missed: str = ""


@dataclass
class Results:
    measurements: list[Measurement] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def add(self, m: Measurement) -> Measurement:
        self.measurements.append(m)
        return m

    def find(self, case: str, impl: str) -> Measurement | None:
        for m in self.measurements:
            if m.case == case and m.impl == impl:
                return m
        return None

    def median(self, case: str, impl: str) -> float | None:
        m = self.find(case, impl)
        return m.median if m else None

    def cases(self) -> list[str]:
        seen: list[str] = []
        for m in self.measurements:
            if m.case not in seen:
                seen.append(m.case)
        return seen


def interleaved(functions: dict[str, object], samples: int, warmup: int = 1,
                pause: float = 0.12) -> dict[str, list[float]]:
    """Calls each function once per round, `samples` rounds (after `warmup` rounds), so that
    a busy moment of the machine weighs on every implementation alike. Each function returns
    the value of its sample (a time per unit of work, measured by itself). `pause` seconds
    between calls let numpy's OpenBLAS threads, which spin for ~0.1 s after a call, go to
    sleep before the next implementation runs on the same two cores."""
    results: dict[str, list[float]] = {name: [] for name in functions}
    for round_index in range(warmup + samples):
        for name, function in functions.items():
            if len(functions) > 1:
                time.sleep(pause)
            value = function()
            if round_index >= warmup:
                results[name].append(value)
    return results


def seconds(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def format_value(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def table(results: Results, library_impls: tuple[str, ...] = ("library",)) -> list[str]:
    """One row per implementation: the case, its median, the library's median on that case,
    and the ratio library / this implementation (below 1: the library is faster; for GB/s,
    above 1). Markdown, so the same lines go to the terminal and to RESULTS.md."""
    lines = [
        "| case | implementation | median | unit | spread | library / this |",
        "|---|---|---:|---|---:|---:|",
    ]
    for case in results.cases():
        rows = [m for m in results.measurements if m.case == case]
        library = next((m for m in rows if m.impl.startswith(library_impls)), None)
        for m in rows:
            ratio = ""
            if library is not None and m is not library and m.median > 0:
                ratio = f"{library.median / m.median:.2f}"
            name = m.impl + (f" ({m.note})" if m.note else "")
            lines.append(f"| {case} | {name} | {format_value(m.median)} | {m.unit} | "
                         f"{m.spread * 100:.0f}% | {ratio} |")
    return lines
