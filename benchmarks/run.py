"""`make bench`: the library, its baselines and the machine's floors measured in one run.

    python benchmarks/run.py [--quick] [--lbfgs-only] [--write PATH] [--readme README.md]

Builds the C drivers (benchmarks/c) against .build/release/libgradient_descent.so, runs them,
runs the Python cases through the binding on the same library, prints one table of medians
and ratios (library / baseline) and the targets, each stated against a floor measured in this
run, and with --write saves both as Markdown with the machine's and the baselines'
environment; --readme also rewrites the README's headline table. Then the L-BFGS cases
(mgh_cases.py, lbfgs_logistic.py): the MGH table, its boxes and logistic regression, with
their own targets and tables. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

# numpy's OpenBLAS reads these two when it loads. Some machines set them (a forced core type,
# a smaller L2 size), and current numpy's BLAS then runs several times slower than on a machine
# without them; the baselines run as on a user's machine, without them (removed here, before
# anything loads numpy), and the results say whether they were set.
BLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
REMOVED_BLAS_VARIABLES = {name: os.environ.pop(name) for name in BLAS_VARIABLES if name in os.environ}

ROOT = Path(__file__).resolve().parent.parent
# BENCH_LIBRARY measures another build of the library (e.g. a scratch path); the default is
# the one `make lib` builds.
LIBRARY = Path(os.environ.get("BENCH_LIBRARY", ROOT / ".build" / "release" / "libgradient_descent.so")).resolve()
BUILD = ROOT / "build" / "bench"
# The binding loads this library, the one the C drivers link.
os.environ.setdefault("GRADIENT_DESCENT_LIBRARY", str(LIBRARY))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Measurement, Results, format_value, table  # noqa: E402


# ---- the C drivers ----------------------------------------------------------------------------

def build_c_drivers() -> Path:
    """Compiles benchmarks/c: the -O2 Adam baseline, the -march=native one, the AVX2 floor, the
    driver, and the read floor (a shared object the Python cases load). Returns the driver's
    path."""
    BUILD.mkdir(parents=True, exist_ok=True)
    cc = os.environ.get("CC", "cc")
    c = ROOT / "benchmarks" / "c"
    objects = []
    for name, flags, define in (("adam_plain", ["-O2"], None),
                                ("adam_native", ["-O3", "-march=native", "-fno-math-errno"], "adam_native"),
                                ("adam_avx2", ["-O2", "-mavx2", "-mfma"], None)):
        source = c / ("adam_avx2.c" if name == "adam_avx2" else "adam_plain.c")
        output = BUILD / f"{name}.o"
        command = [cc, *flags, "-c", str(source), "-o", str(output)]
        if define:
            command.insert(1, f"-DADAM_PLAIN_NAME={define}")
        subprocess.run(command, check=True)
        objects.append(str(output))
    subprocess.run([cc, "-std=c99", "-O2", "-Wall", "-Wextra", "-fPIC", "-shared", str(c / "read_floor.c"),
                    "-o", str(BUILD / "libread_floor.so"), "-lpthread"], check=True)
    driver = BUILD / "bench_core"
    subprocess.run([cc, "-std=c99", "-O2", "-Wall", "-Wextra", f"-I{ROOT / 'include'}",
                    str(c / "bench_core.c"), *objects, f"-L{LIBRARY.parent}",
                    f"-Wl,-rpath,{LIBRARY.parent}", "-lgradient_descent", "-lm", "-lpthread",
                    "-o", str(driver)], check=True)
    return driver


def run_driver(driver: Path, arguments: list[str], env: dict | None = None) -> list[dict]:
    output = subprocess.run([str(driver), *arguments], check=True, capture_output=True, text=True,
                            env={**os.environ, **(env or {})}).stdout
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def step_case(label: str, n: int) -> str:
    return f"{label} step, n={n:.0e}"


def c_cases(results: Results, driver: Path, quick: bool) -> None:
    samples = 5 if quick else 11
    for n in (100_000, 1_000_000):
        for record in run_driver(driver, ["rules", str(n), str(samples)]):
            results.add(Measurement(step_case(record["case"], n), record["impl"], record["unit"],
                                    record["samples"]))
        if n == 100_000:
            # What a CPU without AVX2 gets: the same library with its portable kernels.
            for record in run_driver(driver, ["rules", str(n), str(samples)],
                                     env={"GRADIENT_DESCENT_KERNELS": "baseline"}):
                if record["impl"] == "library" and record["case"] == "adam":
                    results.add(Measurement(step_case("adam", n),
                                            "library, portable x86-64 kernels (forced)",
                                            record["unit"], record["samples"]))
    for n in (1_000, 100_000):
        for record in run_driver(driver, ["groups", str(n), str(samples)]):
            results.add(Measurement(f"{record['case']}, n={n:.0e}", record["impl"], record["unit"],
                                    record["samples"]))
    for record in run_driver(driver, ["callback", "20000" if quick else "100000", str(samples)]):
        results.add(Measurement(record["case"], record["impl"], record["unit"], record["samples"]))


# ---- targets ------------------------------------------------------------------------------------

RULES = ["adam amsgrad", "adam weight_decay", "adamw", "sgd", "sgd momentum", "sgd nesterov",
         "rmsprop", "rmsprop centered momentum", "adagrad", "adadelta", "adamax", "nadam", "radam",
         "rprop", "asgd"]

AVX2_FLOOR = "C AVX2 intrinsics (compute floor)"
LEAST_SQUARES_SHAPES = ("100000x100", "1000000x20")
ROWS_FLOOR = ("random rows of X per mini-batch step (100000x50, batch 32)", "C, prefetched reads")


def slowest_rule(results: Results) -> tuple[str | None, float | None]:
    """The rule other than plain Adam with the largest time per element at n = 1e5."""
    worst, worst_value = None, None
    for rule in RULES:
        value = results.median(step_case(rule, 100_000), "library")
        if value is not None and (worst_value is None or value > worst_value):
            worst, worst_value = rule, value
    return worst, worst_value


def least_squares_case(rows_cols: str) -> str:
    return f"least squares full batch, X {rows_cols}"


def targets(results: Results) -> list[tuple[str, str, str, bool | None, str]]:
    """(target, measured, goal, met, why) for every target; met is None when a case could not
    run. Each goal is a ratio to a floor measured in this run (the fastest code this machine
    runs for the same work, or the library's own Adam), so it means the same on any machine."""
    import python_cases
    rows = []

    def med(case, impl):
        return results.median(case, impl)

    def ratio(a, b):
        return a / b if a and b else None

    def row(name, value, floor, goal, text, why=""):
        r = ratio(value, floor)
        measured = "not run" if r is None else f"{r:.2f}x ({text})"
        rows.append((name, measured, f"<= {goal}x", None if r is None else r <= goal,
                     why if r is not None and r > goal else ""))

    for n in (100_000, 1_000_000):
        case = step_case("adam", n)
        lib, floor = med(case, "library"), med(case, AVX2_FLOOR)
        row(f"one Adam step, n = {n:.0e}, vs hand-written AVX2 intrinsics", lib, floor, 1.15,
            f"{format_value(lib or 0)} vs {format_value(floor or 0)} ns/element",
            "x, grad, m, v are 32 MB, past the caches: both stream 56 bytes per element from memory"
            if n == 1_000_000 else "")
    adam = med(step_case("adam", 100_000), "library")
    worst, worst_value = slowest_rule(results)
    row("every other rule, n = 1e5, vs Adam", worst_value, adam, 1.5,
        f"worst: {worst}, {format_value(worst_value or 0)} vs {format_value(adam or 0)} ns/element",
        f"{worst} needs more divider work per element than Adam (square roots and divisions that "
        "the published formula fixes and that cannot be removed bit-exactly)")
    # Parameter groups: a grouped step is the ungrouped one plus a fixed cost per group.
    small = "adamw step, parameter groups, n=1e+03"
    one, hundred = med(small, "1 groups"), med(small, "100 groups")
    per_group = (hundred - one) / 99 if one is not None and hundred is not None else None
    slice_step = med(small, "ungrouped step of n/100 elements")
    row("parameter groups: cost of a group (AdamW, n = 1e3, 100 groups vs 1) vs an ungrouped "
        "step of 10 elements", per_group, slice_step, 1.5,
        f"{format_value(per_group or 0)} vs {format_value(slice_step or 0)} ns",
        "a group runs the rule's per-step scalar work (AdamW: two powers for the bias corrections) "
        "and one call of its loop, as torch does per parameter tensor; "
        "Sources/GradientDescent/Optimizers/Optimizer.swift (updateGroups)")
    large = "adamw step, parameter groups, n=1e+05"
    one, ten = med(large, "1 groups"), med(large, "10 groups")
    row("parameter groups: AdamW step, n = 1e5, 10 groups vs none", ten, one, 1.05,
        f"{format_value(ten or 0)} vs {format_value(one or 0)} ns/step",
        "10 groups add 10 times the cost of a group (the row above) to the step; a larger ratio "
        "is the machine's noise (see the spread)")
    for rows_cols in LEAST_SQUARES_SHAPES:
        case = least_squares_case(rows_cols)
        lib = med(case, "library (built-in least_squares)")
        floor = med(case, python_cases.READ_FLOOR)
        seed = med(case, "seed's numpy code, verbatim")
        speedup = f"; {seed / lib:.2f}x faster than the seed's numpy, {format_value(seed)} ms" if lib and seed else ""
        row(f"seed's least squares {rows_cols}, built-in vs two threads reading X once", lib, floor, 1.15,
            f"{format_value(lib or 0)} vs {format_value(floor or 0)} ms{speedup}",
            "the pass reads X once on two threads as the floor does, and computes the residual and "
            "Xᵀr of each row as it goes: see the profile in benchmarks/README.md")
    case = "logistic, mini-batch Adam, batch 32, 100000x50, 5 epochs"
    lib = med(case, "library (built-in logistic, from Python)")
    floor = med(*ROWS_FLOOR)
    row("logistic regression, mini-batch Adam, batch 32, vs reading the batch's random rows", lib, floor, 2.0,
        f"{format_value(lib or 0)} vs {format_value(floor or 0)} µs/step",
        "a step gathers 32 random rows of a 40 MB X (TLB and cache misses); the library adds the "
        "loss, the gradient and the Adam update on top of the read")
    case = "rosenbrock n=2 adam (C callback)"
    lib, hand = med(case, "library gd_minimize"), med(case, "C hand-written loop")
    row("driving a C callback (Rosenbrock n = 2, Adam) vs a hand-written C loop", lib, hand, 1.2,
        f"{format_value(lib or 0)} vs {format_value(hand or 0)} ns/iteration",
        "the run loop's bookkeeping per iteration (non-finite checks, the gradient norm, the copy of "
        "the last finite iterate, the controls' hooks) is as large as the callback and the update "
        "together at n = 2")
    case = "rosenbrock n=2 adam, Python callback: overhead above the body"
    over = med(case, "library minimize")
    bare = med(case, "a bare ctypes callback that only writes the loss (floor)")
    row("driving a Python callback, overhead above its body vs a bare ctypes callback", over, bare, 1.5,
        f"{format_value(over or 0)} vs {format_value(bare or 0)} µs/iteration",
        "the binding's trampoline, dispatch and checks (bindings/python/gradient_descent/"
        "_trampolines.py, _evaluators.py) on top of ctypes' own C-to-Python transition")
    return rows


def _v(value, unit):
    return "not run" if value is None else f"{format_value(value)} {unit}"


# ---- the machine ----------------------------------------------------------------------------------

def machine() -> list[str]:
    info = {}
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            key, _, value = line.partition(":")
            info[key.strip()] = value.strip()
    except OSError:
        pass
    flags = set(info.get("Flags", "").split())
    v3 = {"avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm"} <= flags
    import numpy
    import gradient_descent as gd
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            memory = f"{int(f.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return [
        f"- CPU: {info.get('Model name', platform.processor())}, {info.get('CPU(s)', os.cpu_count())} cores "
        f"({info.get('Thread(s) per core', '?')} thread per core), "
        f"{'AVX-512' if 'avx512f' in flags else 'AVX2, no AVX-512' if 'avx2' in flags else 'no AVX2'}; "
        f"L2 {info.get('L2 cache', '?')}, L3 {info.get('L3 cache', '?')}; memory {memory}"
        + (f"; {info['Hypervisor vendor']} virtual machine" if "Hypervisor vendor" in info else ""),
        f"- update-rule kernels in use: {'haswell (AVX2)' if v3 else 'portable x86-64 baseline'}"
        " (run-time dispatch on CPUID; the portable set is measured too, forced)",
        f"- library {gd.library_version()}, Python {platform.python_version()}, numpy {numpy.__version__}, "
        f"{subprocess.run([os.environ.get('CC', 'cc'), '--version'], capture_output=True, text=True).stdout.splitlines()[0]}",
        f"- {platform.system()} {platform.release()}",
        "- load average (1, 5, 15 min) when the run ended: " + ", ".join(f"{v:.2f}" for v in os.getloadavg())
        + f" on {os.cpu_count()} cores (other jobs on the machine slow every implementation, the "
        "floors too, and two-thread passes the most)",
    ]


def baseline_environment() -> list[str]:
    """What the numpy baselines ran on: numpy's BLAS, its kernel and threads (threadpoolctl),
    and the BLAS variables of the environment."""
    import numpy  # noqa: F401 - loads the BLAS that threadpoolctl describes
    lines = []
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        lines.append("- numpy's BLAS: not described (threadpoolctl is not installed; "
                     "benchmarks/requirements.txt pins it)")
    else:
        pools = [pool for pool in threadpool_info() if pool.get("user_api") == "blas"]
        for pool in pools:
            lines.append(f"- numpy's BLAS: {pool.get('internal_api')} {pool.get('version')} "
                         f"({Path(pool.get('filepath', '')).name}), kernel {pool.get('architecture') or '?'}, "
                         f"{pool.get('num_threads')} threads, threading layer {pool.get('threading_layer') or '?'}")
        if not pools:
            lines.append("- numpy's BLAS: threadpoolctl found none")
    for name in BLAS_VARIABLES:
        if name in REMOVED_BLAS_VARIABLES:
            lines.append(f"- {name} was set to `{REMOVED_BLAS_VARIABLES[name]}` where `make bench` ran; "
                         "removed before numpy loaded")
        else:
            lines.append(f"- {name} was not set")
    others = [f"`{name}={os.environ[name]}`" for name in
              ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "GOTO_NUM_THREADS")
              if name in os.environ]
    lines.append("- thread-count variables: " + (", ".join(others) if others else "none set"))
    lines.append("- the numpy baselines run as on a user's machine: without OPENBLAS_CORETYPE and "
                 "OPENBLAS_L2_SIZE, with the threads numpy picks by itself")
    return lines


# ---- the README's headline table ----------------------------------------------------------------

HEADLINE_START = "<!-- headline table: written by `make bench WRITE=1` -->"
HEADLINE_END = "<!-- end of the headline table -->"


def headline(results: Results) -> list[str]:
    """The README's table: each case's median, its floor in this run and the ratio, and the
    numpy baseline beside it."""
    def med(case, impl):
        return results.median(case, impl)

    def cell(value, unit):
        return "not run" if value is None else f"{format_value(value)} {unit}"

    def times(a, b):
        return "" if not a or not b else f"{a / b:.2f}×"

    lines = ["| case | library | floor in the same run | library / floor | numpy | numpy / library |",
             "|---|---|---|---|---|---|"]

    def add(case_text, lib, floor, floor_text, unit, numpy=None, numpy_text=""):
        lines.append(f"| {case_text} | {cell(lib, unit)} | {cell(floor, unit)}, {floor_text} | "
                     f"{times(lib, floor) or '—'} | {cell(numpy, unit) + ', ' + numpy_text if numpy else '—'} | "
                     f"{times(numpy, lib) or '—'} |")

    case = step_case("adam", 100_000)
    add("one Adam step, n = 1e5", med(case, "library"), med(case, AVX2_FLOOR), "AVX2 intrinsics in C",
        "ns/element", med(case, "numpy"), "as a numpy user writes it")
    adam = med(case, "library")
    worst, worst_value = slowest_rule(results)
    add(f"the slowest other rule ({worst}), n = 1e5", worst_value, adam, "the library's Adam", "ns/element")
    import python_cases
    for rows_cols in LEAST_SQUARES_SHAPES:
        case = least_squares_case(rows_cols)
        add(f"the seed's least squares, {rows_cols.replace('x', '×')}", med(case, "library (built-in least_squares)"),
            med(case, python_cases.READ_FLOOR), "two threads reading X once", "ms/iteration",
            med(case, "seed's numpy code, verbatim"), "the article's code")
    case = "logistic, mini-batch Adam, batch 32, 100000x50, 5 epochs"
    add("logistic regression, mini-batch Adam, batch 32, from Python",
        med(case, "library (built-in logistic, from Python)"), med(*ROWS_FLOOR),
        "reading the batch's random rows", "µs/step", med(case, "numpy loop"), "a numpy loop")
    case = "rosenbrock n=2 adam (C callback)"
    add("driving a C callback (Rosenbrock, n = 2, Adam)", med(case, "library gd_minimize"),
        med(case, "C hand-written loop"), "a hand-written C loop", "ns/iteration")
    case = "rosenbrock n=2 adam, Python callback: overhead above the body"
    add("driving a Python callback `fun(x, grad)`, above its body", med(case, "library minimize"),
        med(case, "a bare ctypes callback that only writes the loss (floor)"), "a bare ctypes callback",
        "µs/iteration")
    return lines


def write_readme_headline(path: Path, results: Results) -> None:
    text = path.read_text()
    start, end = text.find(HEADLINE_START), text.find(HEADLINE_END)
    if start < 0 or end < start:
        raise SystemExit(f"{path} has no headline markers ({HEADLINE_START} ... {HEADLINE_END})")
    block = "\n".join([HEADLINE_START, *headline(results), HEADLINE_END])
    path.write_text(text[:start] + block + text[end + len(HEADLINE_END):])


# ---- main -------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer samples and smaller problems (a smoke test)")
    parser.add_argument("--write", metavar="PATH", help="also write the results as Markdown")
    parser.add_argument("--readme", metavar="PATH", help="also rewrite the headline table of this README")
    parser.add_argument("--lbfgs-only", action="store_true",
                        help="only the L-BFGS cases: the MGH table, its boxes, logistic regression")
    arguments = parser.parse_args()
    if not LIBRARY.exists():
        print(f"{LIBRARY} is missing: run `make lib` first", file=sys.stderr)
        return 1
    quick = arguments.quick
    started = time.perf_counter()
    results = Results()

    if not arguments.lbfgs_only:
        core_cases(results, quick)
    lbfgs_sections, lbfgs_goals = lbfgs_cases(results, quick)
    import mpi_cases
    model: list[str] = []
    if not arguments.lbfgs_only:
        print("MPI: strong scaling of logistic regression, the reduction's cost ...", flush=True)
        mpi_cases.measure(results, BUILD, LIBRARY, quick)
        model = mpi_cases.model_lines(results, quick)

    lines = table(results)
    goals = [] if arguments.lbfgs_only else targets(results) + [mpi_cases.target_row(results, quick)]
    elapsed = time.perf_counter() - started
    print()
    print("\n".join(lines))
    print()
    for title, section in lbfgs_sections:
        print(f"{title}\n")
        print("\n".join(section))
    for name, measured, goal, met, why in goals + lbfgs_goals:
        mark = "n/a " if met is None else "MET " if met else "MISS"
        print(f"[{mark}] {name}: {measured} (target {goal})" + (f"\n        why: {why}" if why else ""))
    for note in results.skipped:
        print(f"skipped: {note}")
    if model:
        print()
        print("\n".join(model))
    print()
    print("\n".join(baseline_environment()))
    print(f"\n{len(results.measurements)} measurements in {elapsed:.0f} s")
    if arguments.write:
        Path(arguments.write).parent.mkdir(parents=True, exist_ok=True)
        write_markdown(Path(arguments.write), lines, goals, results, elapsed, quick,
                       lbfgs_goals, lbfgs_sections, model)
        print(f"wrote {arguments.write}")
    if arguments.readme and not arguments.lbfgs_only:
        write_readme_headline(Path(arguments.readme), results)
        print(f"rewrote the headline table of {arguments.readme}")
    return 0


def lbfgs_cases(results: Results, quick: bool):
    """The MGH table, its bounded variant and logistic regression with L-BFGS: (sections,
    targets); sections are (title, Markdown lines)."""
    import mgh_cases
    import lbfgs_logistic
    print("L-BFGS: the MGH table (lbfgs, Adam at a tuned lr, SciPy, libLBFGS) ...", flush=True)
    mgh_lines, mgh_goals, _ = mgh_cases.unconstrained(quick)
    print("L-BFGS: the MGH table with boxes ...", flush=True)
    box_lines, box_goals = mgh_cases.bounded(quick)
    print("L-BFGS: logistic regression to ||g|| <= 1e-6 ...", flush=True)
    rows = 5_000 if quick else 100_000
    facts = lbfgs_logistic.run(results, rows, 100, samples=1 if quick else 5, warmup=0 if quick else 1)
    sections = [("## The Moré–Garbow–Hillstrom table" + (" (--quick: 3 problems)" if quick else ""),
                 mgh_lines),
                ("## The MGH table with boxes" + (" (--quick: 3 problems)" if quick else ""), box_lines)]
    return sections, mgh_goals + box_goals + lbfgs_logistic.targets(results, facts)


def core_cases(results: Results, quick: bool) -> None:
    """The update rules, the seed's least squares, mini-batch logistic regression and the
    callbacks."""
    print("building the C drivers ...", flush=True)
    driver = build_c_drivers()
    print("C: update rules per element, n = 1e5 and 1e6; a C callback at n = 2 ...", flush=True)
    c_cases(results, driver, quick)
    rows = "20000" if quick else "100000"
    for record in run_driver(driver, ["rows", rows, "50", "32", "5" if quick else "9"]):
        results.add(Measurement(f"{record['case']} ({rows}x50, batch 32)", record["impl"],
                                record["unit"], record["samples"]))

    import ctypes
    import python_cases
    import jax_cases
    read_floor = ctypes.CDLL(str(BUILD / "libread_floor.so")).gd_bench_read_pass
    read_floor.restype = ctypes.c_double
    read_floor.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    samples = 3 if quick else 7
    print("Python: numpy Adam baselines ...", flush=True)
    for n in (100_000, 1_000_000):
        python_cases.adam_per_element(results, n, samples)
        if not jax_cases.adam_per_element(results, n, samples):
            results.skipped.append(f"jax + optax Adam, n={n:.0e}: jax or optax not installed")
    print("Python: the seed's least squares ...", flush=True)
    shapes = ((20_000, 100), (200_000, 20)) if quick else ((100_000, 100), (1_000_000, 20))
    for rows, cols in shapes:
        python_cases.least_squares(results, rows, cols, samples=3 if quick else 7,
                                   iterations=5 if quick else 10, read_floor=read_floor)
    print("Python: logistic regression, mini-batch Adam ...", flush=True)
    rows, cols, epochs = (20_000, 50, 1) if quick else (100_000, 50, 5)
    python_cases.logistic_minibatch(results, rows, cols, epochs, samples=3 if quick else 5)
    X, y = python_cases.logistic_data(rows, cols)
    case = f"logistic, mini-batch Adam, batch 32, {rows}x{cols}, {epochs} epochs"
    if not jax_cases.logistic_minibatch(results, X, y, epochs, samples=3 if quick else 5, case=case):
        results.skipped.append("jax + optax logistic regression: jax or optax not installed")
    print("Python: a Python callback ...", flush=True)
    python_cases.python_callback(results, 5_000 if quick else 20_000, samples)
    python_cases.raw_ctypes_callback(results, str(LIBRARY), samples)


def write_markdown(path: Path, lines, goals, results: Results, elapsed: float, quick: bool,
                   lbfgs_goals=(), lbfgs_sections=(), model=()) -> None:
    text = [
        "# Benchmark results",
        "",
        f"The latest output of `make bench` ({datetime.date.today().isoformat()}, {elapsed:.0f} s"
        + (", --quick" if quick else "") + "). Every number is the median of samples taken in this "
        "one run, the library's and its baselines' interleaved; *spread* is the interquartile "
        "range over the median; *library / this* divides the library's median by the row's "
        "(below 1: the library takes less time; for GB/s, above 1: it moves more bytes).",
        "",
        "## Machine",
        "",
        *machine(),
        "",
        "## What the baselines ran on",
        "",
        *baseline_environment(),
        "",
        "## Targets",
        "",
        "Each goal is a ratio to a floor measured in this run: the fastest code this machine runs "
        "for the same work (hand-written AVX2, a bare read of the same data, a hand-written loop, a "
        "bare ctypes callback) or, for the other rules, the library's own Adam.",
        "",
        "| target | measured | goal | status |",
        "|---|---|---|---|",
    ]
    for name, measured, goal, met, why in goals:
        status = "not run" if met is None else "met" if met else f"missed: {why}" if why else "missed"
        text.append(f"| {name} | {measured} | {goal} | {status} |")
    if lbfgs_goals:
        text += ["", "## Targets: L-BFGS, line searches and bounds", "",
                 "| target | measured | goal | status |", "|---|---|---|---|"]
        for name, measured, goal, met, why in lbfgs_goals:
            status = "not run" if met is None else "met" if met else f"missed: {why}" if why else "missed"
            text.append(f"| {name} | {measured} | {goal} | {status} |")
    for title, section in lbfgs_sections:
        text += ["", title, "", *section]
    if model:
        text += ["", "## Many machines: a model of the step time", "", *model]
    text += ["", "## All measurements", "", *lines, ""]
    if results.skipped:
        text += ["Skipped:", "", *[f"- {s}" for s in results.skipped], ""]
    text += ["What each case and baseline is: benchmarks/README.md.", ""]
    path.write_text("\n".join(text))


if __name__ == "__main__":
    sys.exit(main())
