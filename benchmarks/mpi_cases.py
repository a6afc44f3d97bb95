"""`make bench`'s data-parallel cases (benchmarks/c/bench_mpi.c under mpirun): the strong scaling
of full-batch logistic regression from 1 to 2 processes, the reducer's cost per evaluation for
n = 1e2, 1e4, 1e6, and the model of a step on 8, 64 and 512 machines built from them (see
benchmarks/README.md, "Many machines")."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from pathlib import Path

from harness import Measurement, Results, format_value

ROOT = Path(__file__).resolve().parent.parent
MPI_DIR = ROOT / "build" / "mpi"

# The built-in objectives run the second half of a large full pass on a second thread of
# their own, which nothing turns off. A step that is one batch of all rows (batch_size = rows,
# no shuffle) is the same sums of the same rows on the calling thread alone: with it, 1
# process computes on one core and 2 processes on two, the strong-scaling comparison. The
# full passes are measured too: there one process already uses both cores.
CONFIGURATIONS = (
    (1, "one", "1 process, one thread"),
    (2, "one", "2 processes, one thread each"),
    (1, "two", "1 process, full passes on two threads"),
    (2, "two", "2 processes, full passes on two threads each (4 threads on 2 cores)"),
)
SCALING_SHAPE = (2_000_000, 100)
QUICK_SCALING_SHAPE = (200_000, 100)
REDUCTION_SIZES = (100, 10_000, 1_000_000)
# A 25 Gb/s network, bytes per second, and the per-message latency assumed for it when this
# machine's TCP latency is not measured.
NETWORK_BYTES_PER_SECOND = 25e9 / 8
MODEL_MACHINES = (8, 64, 512)


def scaling_case(rows: int, cols: int) -> str:
    return f"logistic full batch, X {rows}x{cols}, Adam step"


def size_label(n: int) -> str:
    return f"1e{round(math.log10(n))}"


def reduction_case(n: int) -> str:
    return f"reduction of one evaluation, n = {size_label(n)}"


TCP_REDUCTION = "2 processes, fixed tree, TCP loopback (btl tcp,self)"
SHARED_MEMORY_REDUCTION = "2 processes, fixed tree, shared memory"


def available() -> str | None:
    """None when the cases can run, else why not."""
    if shutil.which("mpicc") is None or shutil.which("mpirun") is None:
        return "mpicc or mpirun not found (Debian: libopenmpi-dev openmpi-bin)"
    if not (MPI_DIR / "libgradient_descent_mpi.so").exists():
        return "libgradient_descent_mpi is not built (make mpi)"
    return None


def build(build_dir: Path, library: Path) -> Path:
    driver = build_dir / "bench_mpi"
    subprocess.run(["mpicc", "-std=c99", "-O2", "-Wall", "-Wextra", f"-I{ROOT / 'include'}",
                    str(ROOT / "benchmarks" / "c" / "bench_mpi.c"), f"-L{MPI_DIR}", f"-L{library.parent}",
                    f"-Wl,-rpath,{MPI_DIR}", f"-Wl,-rpath,{library.parent}",
                    "-lgradient_descent_mpi", "-lgradient_descent", "-lm", "-o", str(driver)], check=True)
    return driver


def run_mpi(driver: Path, processes: int, arguments: list[str], bind: str = "core",
            mca: tuple[str, ...] = ()) -> list[dict]:
    command = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-n", str(processes),
               "--bind-to", bind, *mca, str(driver), *arguments]
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=1800).stdout
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def measure(results: Results, build_dir: Path, library: Path, quick: bool) -> None:
    why = available()
    if why is not None:
        results.skipped.append(f"data-parallel cases: {why}")
        return
    driver = build(build_dir, library)
    rows, cols = QUICK_SCALING_SHAPE if quick else SCALING_SHAPE
    iterations, samples = (5, 3) if quick else (10, 5)
    for processes, threads, label in CONFIGURATIONS:
        for record in run_mpi(driver, processes, ["scaling", str(rows), str(cols), str(iterations),
                                                  str(samples), threads], "none"):
            results.add(Measurement(record["case"], label, record["unit"], record["samples"]))
    for n in REDUCTION_SIZES:
        repetitions = max(5, min(2000, 20_000_000 // (n * (10 if quick else 1))))
        arguments = ["reduce", str(n), str(repetitions), "3" if quick else "7"]
        for record in run_mpi(driver, 2, arguments):
            results.add(Measurement(reduction_case(n), SHARED_MEMORY_REDUCTION, record["unit"],
                                    record["samples"]))
        for record in run_mpi(driver, 2, arguments, mca=("--mca", "btl", "tcp,self")):
            results.add(Measurement(reduction_case(n), TCP_REDUCTION, record["unit"], record["samples"]))


def speedup(results: Results, quick: bool) -> tuple[float | None, float | None, float | None]:
    """(one-thread speed-up, two-thread speed-up, one thread's ms per step), 1 -> 2 processes."""
    case = scaling_case(*(QUICK_SCALING_SHAPE if quick else SCALING_SHAPE))
    one = results.median(case, CONFIGURATIONS[0][2])
    two = results.median(case, CONFIGURATIONS[1][2])
    one_free = results.median(case, CONFIGURATIONS[2][2])
    two_free = results.median(case, CONFIGURATIONS[3][2])
    bound = one / two if one and two else None
    free = one_free / two_free if one_free and two_free else None
    return bound, free, one


def latency_and_bandwidth(results: Results) -> tuple[float | None, float | None]:
    """(α in seconds, β in bytes per second) of one message over TCP on this machine, from the
    2-process reductions: a sum of 2 processes is 2 messages (one to rank 0, one broadcast),
    t = 2·(α + 8·(n + 5)/β); α from n = 1e2, β from n = 1e6."""
    small = results.median(reduction_case(100), TCP_REDUCTION)
    large = results.median(reduction_case(1_000_000), TCP_REDUCTION)
    if not small or not large:
        return None, None
    alpha = small * 1e-6 / 2
    per_message = large * 1e-6 / 2 - alpha
    beta = 8 * (1_000_000 + 5) / per_message if per_message > 0 else None
    return alpha, beta


def reduction_seconds(machines: int, n: int, alpha: float, beta: float) -> float:
    """The binomial tree and broadcast: 2·ceil(log2 P) messages of 8·(n + 5) bytes in a row."""
    return 2 * math.ceil(math.log2(machines)) * (alpha + 8 * (n + 5) / beta)


def model_lines(results: Results, quick: bool) -> list[str]:
    """The table of the step-time model on 8, 64 and 512 machines (benchmarks/README.md)."""
    bound, free, one_core_ms = speedup(results, quick)
    alpha, measured_beta = latency_and_bandwidth(results)
    if one_core_ms is None or alpha is None:
        return ["(not run: the data-parallel cases were skipped)"]
    rows, cols = QUICK_SCALING_SHAPE if quick else SCALING_SHAPE
    compute = one_core_ms * 1e-3
    beta = NETWORK_BYTES_PER_SECOND
    lines = [
        f"Measured here: one thread computes a full-batch step of logistic regression over "
        f"{rows}x{cols} in {format_value(one_core_ms)} ms; one message over TCP costs α = "
        f"{alpha * 1e6:.1f} µs (loopback on this machine; its bandwidth measured "
        f"{(measured_beta or 0) / 1e9:.2f} GB/s); the network is taken as β = 25 Gb/s = "
        f"{beta / 1e9:.3f} GB/s.",
        "",
        "    step(P) = compute / P + 2·ceil(log2 P)·(α + 8·(n + 5)/β)",
        "",
        f"| machines P | compute / P (X {rows}x{cols} spread over P) | reduction, n = {cols} | step | "
        "reduction's share |",
        "|---|---|---|---|---|",
    ]
    for machines in MODEL_MACHINES:
        part = reduction_seconds(machines, cols, alpha, beta)
        share = part / (compute / machines + part)
        lines.append(f"| {machines} | {compute / machines * 1e3:.3f} ms | {part * 1e3:.3f} ms | "
                     f"{(compute / machines + part) * 1e3:.3f} ms | {share:.0%} |")
    lines += ["", "The reduction alone for larger models (the compute per machine must be about 9 "
              "times this for the reduction to stay under 10% of a step):", "",
              "| machines P | " + " | ".join(f"n = {size_label(n)}" for n in REDUCTION_SIZES) + " |",
              "|---|" + "---|" * len(REDUCTION_SIZES)]
    for machines in MODEL_MACHINES:
        cells = [f"{reduction_seconds(machines, n, alpha, beta) * 1e3:.3f} ms" for n in REDUCTION_SIZES]
        lines.append(f"| {machines} | " + " | ".join(cells) + " |")
    if bound is not None:
        lines += ["", f"Strong scaling 1 -> 2 processes: {bound:.2f}x with one thread per process, "
                  f"{free or 0:.2f}x with full passes on two threads (one process already uses "
                  "both cores through its second thread)."]
    return lines


def target_row(results: Results, quick: bool) -> tuple[str, str, str, bool | None, str]:
    bound, free, _ = speedup(results, quick)
    measured = "not run" if bound is None else (
        f"{bound:.2f}x with one thread per process ({free or 0:.2f}x with two-thread passes)")
    return ("strong scaling, full-batch logistic regression, 1 -> 2 processes", measured, ">= 1.8x",
            None if bound is None else bound >= 1.8,
            "" if bound is None or bound >= 1.8 else
            "the pass reads X from memory: two cores share one memory bus, so the second core adds "
            "less than its compute; on a loaded machine the other jobs take cores too")
