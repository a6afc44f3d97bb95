"""`make bench`: the library and its baselines measured side by side in one run.

    python benchmarks/run.py [--quick] [--write benchmarks/RESULTS.md]

Builds the C drivers (benchmarks/c) against .build/release/libgradient_descent.so, runs them,
runs the Python cases through the binding on the same library, prints one table of medians
and ratios (library / baseline) and the targets of issue 6, and with --write saves both as
Markdown with the machine's description. See benchmarks/README.md for what each case is.
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
    """Compiles benchmarks/c: the -O2 Adam baseline, the -march=native one, the AVX2 floor and
    the driver. Returns the driver's path."""
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


def targets(results: Results) -> list[tuple[str, str, str, bool | None, str]]:
    """(target, measured, goal, met, why) for every target of issue 6; met is None when a
    case could not run."""
    rows = []

    def med(case, impl):
        return results.median(case, impl)

    floor = "C AVX2 intrinsics (compute floor)"
    for n in (100_000, 1_000_000):
        case = step_case("adam", n)
        lib = med(case, "library")
        best_c = med(case, floor)
        why = ""
        if lib is not None and lib > 1.5:
            why = (f"hand-vectorized AVX2 C takes {format_value(best_c)} ns on the same buffers in "
                   f"this run" if best_c else "")
            if n == 1_000_000:
                why += ("; x, grad, m, v are 32 MB, past the caches: the step streams 56 bytes "
                        "per element from memory, and this machine's bandwidth sets the floor")
        rows.append((f"one Adam step, n = {n:.0e}, gd_optimizer_step", _v(lib, "ns/element"),
                     "<= 1.5 ns/element", None if lib is None else lib <= 1.5, why))
    adam = med(step_case("adam", 100_000), "library")
    worst, worst_ratio = None, 0.0
    for rule in RULES:
        value = med(step_case(rule, 100_000), "library")
        if value is not None and adam:
            if value / adam > worst_ratio:
                worst, worst_ratio = rule, value / adam
    why = ""
    if worst_ratio > 1.5:
        why = (f"{worst} needs more divider work per element than Adam (square roots and "
               "divisions that the published formula fixes, which cannot be removed bit-exactly)")
    rows.append(("every other rule, n = 1e5, vs Adam's time", f"worst: {worst} at {worst_ratio:.2f}x",
                 "<= 1.5x", None if worst is None else worst_ratio <= 1.5, why))
    # Parameter groups: a grouped step is the ungrouped one plus a fixed cost per group.
    small = "adamw step, parameter groups, n=1e+03"
    one, hundred = med(small, "1 groups"), med(small, "100 groups")
    per_group = (hundred - one) / 99 if one is not None and hundred is not None else None
    slice_step = med(small, "ungrouped step of n/100 elements")
    goal = 1.5 * slice_step if slice_step is not None else None
    rows.append(("parameter groups: cost of a group (AdamW, n = 1e3, 100 groups vs 1)",
                 _v(per_group, "ns/group"),
                 "<= 1.5x an ungrouped step of 10 elements" + (f" ({format_value(goal)} ns)" if goal else ""),
                 None if per_group is None or goal is None else per_group <= goal,
                 "" if per_group is None or goal is None or per_group <= goal else
                 "a group runs the rule's per-step scalar work (AdamW: two powers for the bias "
                 "corrections) and one call of its loop, as torch does per parameter tensor; "
                 "Sources/GradientDescent/Optimizers/Optimizer.swift (updateGroups)"))
    large = "adamw step, parameter groups, n=1e+05"
    one, ten = med(large, "1 groups"), med(large, "10 groups")
    ratio = ten / one if one and ten else None
    rows.append(("parameter groups: AdamW step, n = 1e5, 10 groups vs none",
                 "not run" if ratio is None else f"{ratio:.3f}x", "<= 1.05x",
                 None if ratio is None else ratio <= 1.05,
                 "" if ratio is None or ratio <= 1.05 else
                 f"10 groups add 10 times the cost of a group (the row above) to a step of "
                 f"{format_value(one)} ns; a larger ratio is the machine's noise (see the spread)"))
    for rows_cols, goal in (("100000x100", 2.5), ("1000000x20", 3.0)):
        case = f"least squares full batch, X {rows_cols}"
        lib = med(case, "library (built-in least_squares)")
        seed = med(case, "seed's numpy code, verbatim")
        gbs = med(f"{case}: bandwidth over X", "library (built-in least_squares)")
        speedup = seed / lib if lib and seed else None
        read1 = med("one pass reading X", "C, one thread")
        read2 = med("one pass reading X", "C, two threads")
        measured = "not run" if speedup is None else (
            f"{speedup:.2f}x faster ({format_value(lib)} vs {format_value(seed)} ms; "
            f"{format_value(gbs)} GB/s over X)")
        why = ""
        if speedup is not None and speedup < goal:
            why = ("both are memory-bound: the library makes one fused pass over X per iteration "
                   f"({format_value(gbs)} GB/s), the seed's code two (X·θ, then Xᵀr) through OpenBLAS on "
                   f"both cores, and a plain two-thread read of X runs at {format_value(read2)} GB/s here, "
                   "so one pass against two bounds the speed-up near 2x plus what numpy's temporaries "
                   "cost; the ratio moves with the machine's load (numpy's BLAS needs both cores)"
                   if read2 else "")
        rows.append((f"seed's least squares {rows_cols}, built-in vs seed's numpy", measured,
                     f">= {goal}x faster", None if speedup is None else speedup >= goal, why))
    case = "logistic, mini-batch Adam, batch 32, 100000x50, 5 epochs"
    lib = med(case, "library (built-in logistic, from Python)")
    floor_rows = med("random rows of X per mini-batch step (100000x50, batch 32)", "C, prefetched reads")
    jax = med(case, "jax + optax, lax.scan (jit)")
    why = ""
    if lib is not None and lib > 5 and floor_rows:
        why = (f"memory-bound: a step gathers 32 random rows of a 40 MB X, and a bare C loop that "
               f"only reads 32 prefetched random rows of the same size takes {format_value(floor_rows)} "
               f"µs per step on this machine (a virtual machine: TLB misses go through nested "
               f"page tables); the library adds the loss, gradient and Adam update on top"
               + (f"; jax's compiled lax.scan takes {format_value(jax)} µs here" if jax else ""))
    rows.append(("logistic regression, mini-batch Adam, batch 32, from Python", _v(lib, "µs/step"),
                 "<= 5 µs/step", None if lib is None else lib <= 5, why))
    case = "rosenbrock n=2 adam (C callback)"
    lib, hand = med(case, "library gd_minimize"), med(case, "C hand-written loop")
    ratio = lib / hand if lib and hand else None
    why = ""
    if ratio is not None and ratio > 1.2:
        why = (f"the run loop's bookkeeping per iteration costs about {format_value(lib - hand)} ns at "
               "n = 2, as much as the callback and the update together: non-finite checks on the "
               "loss and gradient, the gradient norm, a copy of the last finite iterate, the "
               "training controls' hooks (schedule, clipping, best iterate, progress), and a copy "
               "of the optimizer's hyper-parameters per update (retains and releases); these live "
               "in Sources/GradientDescent/Minimization and Optimizers/Optimizer.swift, outside "
               "the kernels; the update rules' own part was cut (no pow once 1 - beta^t rounds to 1)")
    rows.append(("driving a C callback (Rosenbrock n = 2, Adam) vs a hand-written C loop",
                 "not run" if ratio is None else f"{ratio:.2f}x ({format_value(lib)} vs {format_value(hand)} ns)",
                 "<= 1.2x", None if ratio is None else ratio <= 1.2, why))
    case = "rosenbrock n=2 adam, Python callback: overhead above the body"
    over = med(case, "library minimize")
    bare = med(case, "a bare ctypes callback that only writes the loss (floor)")
    why = ""
    if over is not None and over > 1 and bare is not None:
        why = (f"a bare ctypes callback that only writes the loss, driven by the same library, costs "
               f"{format_value(bare)} µs per iteration here: the C-to-Python transition of ctypes (and "
               "the library's loop) alone; the binding's trampoline, dispatch and checks "
               f"(bindings/python/gradient_descent/_trampolines.py, _evaluators.py) add "
               f"{format_value(max(over - bare, 0))} µs on top")
    rows.append(("driving a Python callback, overhead above its body", _v(over, "µs/iteration"),
                 "<= 1 µs/iteration", None if over is None else over <= 1, why))
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
    ]


# ---- main -------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer samples and smaller problems (a smoke test)")
    parser.add_argument("--write", metavar="PATH", help="also write the results as Markdown")
    arguments = parser.parse_args()
    if not LIBRARY.exists():
        print(f"{LIBRARY} is missing: run `make lib` first", file=sys.stderr)
        return 1
    quick = arguments.quick
    started = time.perf_counter()
    results = Results()

    print("building the C drivers ...", flush=True)
    driver = build_c_drivers()
    print("C: update rules per element, n = 1e5 and 1e6; a C callback at n = 2 ...", flush=True)
    c_cases(results, driver, quick)
    for record in run_driver(driver, ["read", str(80_000_000 if quick else 160_000_000), "5" if quick else "9"]):
        results.add(Measurement(record["case"], record["impl"], record["unit"], record["samples"]))
    rows = "20000" if quick else "100000"
    for record in run_driver(driver, ["rows", rows, "50", "32", "5" if quick else "9"]):
        results.add(Measurement(f"{record['case']} ({rows}x50, batch 32)", record["impl"],
                                record["unit"], record["samples"]))

    import python_cases
    import jax_cases
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
                                   iterations=5 if quick else 10)
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

    lines = table(results)
    goals = targets(results)
    elapsed = time.perf_counter() - started
    print()
    print("\n".join(lines))
    print()
    for name, measured, goal, met, why in goals:
        mark = "n/a " if met is None else "MET " if met else "MISS"
        print(f"[{mark}] {name}: {measured} (target {goal})" + (f"\n        why: {why}" if why else ""))
    for note in results.skipped:
        print(f"skipped: {note}")
    print(f"\n{len(results.measurements)} measurements in {elapsed:.0f} s")
    if arguments.write:
        write_markdown(Path(arguments.write), lines, goals, results, elapsed, quick)
        print(f"wrote {arguments.write}")
    return 0


def write_markdown(path: Path, lines, goals, results: Results, elapsed: float, quick: bool) -> None:
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
        "## Targets (issue 6)",
        "",
        "| target | measured | goal | status |",
        "|---|---|---|---|",
    ]
    for name, measured, goal, met, why in goals:
        status = "not run" if met is None else "met" if met else f"missed: {why}" if why else "missed"
        text.append(f"| {name} | {measured} | {goal} | {status} |")
    text += ["", "## All measurements", "", *lines, ""]
    if results.skipped:
        text += ["Skipped:", "", *[f"- {s}" for s in results.skipped], ""]
    text += ["What each case and baseline is: [README.md](README.md).", ""]
    path.write_text("\n".join(text))


if __name__ == "__main__":
    sys.exit(main())
