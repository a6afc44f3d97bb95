"""The MGH table in `make bench`: lbfgs, Adam at a tuned lr, SciPy L-BFGS-B (default and
ftol=0) and libLBFGS on the 36 problems, and lbfgs against SciPy on the bounded variant.
Returns Markdown lines and targets for run.py. See benchmarks/README.md, "The MGH table".
"""

from __future__ import annotations

import math
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "mgh"))
import mgh  # noqa: E402
import solvers  # noqa: E402

QUICK_PROBLEMS = (0, 6, 13)            # Rosenbrock, helical valley, Wood
ADAM_GRID = [10 ** (e / 2) for e in range(-8, 1)]     # 1e-4 .. 1, half decades
ADAM_ITERATIONS = 20000
LBFGS = "lbfgs"
LBFGS_GTOL = "lbfgs, ‖g‖ ≤ 1e-5"
SCIPY, SCIPY_FTOL0, LIBLBFGS, ADAM = ("SciPy L-BFGS-B", "SciPy L-BFGS-B ftol=0", "libLBFGS",
                                      "Adam, tuned lr")


def _median_run(function, repeats: int):
    """The run of `function` (deterministic) with its median wall time over repeats."""
    runs = [function() for _ in range(repeats)]
    run = runs[0]
    run.seconds = statistics.median(r.seconds for r in runs)
    return run


def _adam(problem: mgh.Problem, grid, iterations: int):
    best = None
    for lr in grid:
        run = solvers.library(problem, "adam", {"lr": lr}, max_iterations=iterations, solver=ADAM)
        run.message = f"lr {lr:.3g}; " + run.message
        if best is None or (math.isfinite(run.f) and not run.f >= best.f):
            best = run
    return best


def lbfgs_available() -> bool:
    run = solvers.library(mgh.problems()[0], LBFGS, max_iterations=1)
    return "unknown" not in run.message.lower() and "no optimizer" not in run.message.lower() \
        and run.evaluations > 0


def _cell(problem: mgh.Problem, run) -> str:
    if run is None:
        return "n/a"
    kind = problem.classify(run.f)
    if kind == "solved":
        return f"{run.evaluations}"
    if kind == "local":
        return f"{run.evaluations} · local {run.f:.6g}"
    return f"**{run.evaluations} · f {run.f:.4g}**"


def unconstrained(quick: bool):
    """(lines, targets, runs): the table, the goal's rows, and every run by solver."""
    table = mgh.problems()
    chosen = [table[k] for k in QUICK_PROBLEMS] if quick else table
    repeats = 1 if quick else 3
    have_lbfgs = lbfgs_available()
    have_liblbfgs = solvers.liblbfgs_available()
    grid = ADAM_GRID[2::3] if quick else ADAM_GRID
    iterations = 2000 if quick else ADAM_ITERATIONS
    names = ([LBFGS, LBFGS_GTOL] if have_lbfgs else []) + [ADAM, SCIPY, SCIPY_FTOL0] + ([LIBLBFGS] if have_liblbfgs else [])
    runs: dict[str, list] = {name: [] for name in names}
    solvers.scipy_lbfgsb(table[0])          # warm-up: SciPy's first call loads its modules
    for problem in chosen:
        if have_lbfgs:
            runs[LBFGS].append(_median_run(lambda: solvers.library(problem, LBFGS), repeats))
            runs[LBFGS_GTOL].append(_median_run(lambda: solvers.library(
                problem, LBFGS, gradient_tolerance=1e-5, solver=LBFGS_GTOL), repeats))
        runs[ADAM].append(_adam(problem, grid, iterations))
        runs[SCIPY].append(_median_run(lambda: solvers.scipy_lbfgsb(problem, solver=SCIPY), repeats))
        runs[SCIPY_FTOL0].append(_median_run(
            lambda: solvers.scipy_lbfgsb(problem, ftol=0, solver=SCIPY_FTOL0), repeats))
        if have_liblbfgs:
            runs[LIBLBFGS].append(_median_run(lambda: solvers.liblbfgs(problem), repeats))

    lines = [
        "Evaluations per problem (calls of f and its gradient). A bare number: reached f* within "
        "1e-6·max(1, |f*|); *local*: stopped at another minimum the table documents; **bold**: "
        "neither (the final f shown). *lbfgs*: the rule's defaults and gd_options' (no "
        "gradient tolerance: it runs until a line search can make no progress, or 10000 "
        "iterations); *lbfgs, ‖g‖ ≤ 1e-5*: the same with gradient_tolerance 1e-5, a stop like "
        "SciPy's default (whose gtol is 1e-5 on the largest gradient entry). "
        f"Adam: the best lr of {len(grid)} ({grid[0]:.0e} to {grid[-1]:.0e}) after {iterations} "
        "iterations, per problem.",
        "",
        "| # | problem | n | m | f* | " + " | ".join(names) + " |",
        "|---:|---|---:|---:|---:|" + "---:|" * len(names),
    ]
    for i, problem in enumerate(chosen):
        cells = [_cell(problem, runs[name][i]) for name in names]
        lines.append(f"| {problem.number} | {problem.name} | {problem.n} | {problem.m} | "
                     f"{problem.f_star_paper:.6g} | " + " | ".join(cells) + " |")
    counts = {name: {kind: sum(1 for p, r in zip(chosen, runs[name]) if p.classify(r.f) == kind)
                     for kind in ("solved", "local", "failed")} for name in names}
    solved_by_all = [i for i, p in enumerate(chosen)
                     if all(p.classify(runs[name][i].f) == "solved" for name in names if name != ADAM)]
    lines.append("| | **solved / local / neither** | | | | " + " | ".join(
        f"{counts[n]['solved']} / {counts[n]['local']} / {counts[n]['failed']}" for n in names) + " |")
    lines.append(f"| | **evaluations, the {len(solved_by_all)} problems every L-BFGS solved** | | | | "
                 + " | ".join(str(sum(runs[n][i].evaluations for i in solved_by_all)) for n in names) + " |")
    lines.append("| | **seconds, whole table (median of runs)** | | | | " + " | ".join(
        f"{sum(r.seconds for r in runs[n]):.3g}" for n in names) + " |")
    lines.append("")
    if have_lbfgs:
        misses = [(p, r) for p, r in zip(chosen, runs[LBFGS]) if p.classify(r.f) != "solved"]
        if misses:
            lines.append("lbfgs where it did not reach f*:")
            lines.append("")
            for p, r in misses:
                lines.append(f"- {p.label}: f = {r.f:.10g} (f* = {p.f_star:.10g}; "
                             f"{p.classify(r.f)}); stopped: {r.message}")
            lines.append("")
        limit = [(p, r) for p, r in zip(chosen, runs[LBFGS]) if r.iterations >= 10000]
        if limit:
            lines.append("lbfgs runs that reached the 10000-iteration limit:")
            lines.append("")
            for p, r in limit:
                lines.append(f"- {p.label}: {r.evaluations} evaluations, f = {r.f:.6g}; "
                             f"the ‖g‖ ≤ 1e-5 column stops it after "
                             f"{runs[LBFGS_GTOL][chosen.index(p)].evaluations}")
            lines.append("")
    else:
        lines += ["lbfgs: not in this build of the library (no row).", ""]

    targets = []
    if have_lbfgs:
        c = counts[LBFGS]
        total = len(chosen)
        goal_solved = 33 if not quick else total
        met = c["solved"] >= goal_solved and c["solved"] + c["local"] == total
        targets.append((f"MGH table, lbfgs defaults: f* within 1e-6·max(1,|f*|)",
                        f"{c['solved']} of {total} solved, {c['local']} at a documented local minimum, "
                        f"{c['failed']} neither",
                        f">= {goal_solved} of {total}, the rest at documented minima", met,
                        "" if met else "see the list under the MGH table"))
    return lines, targets, runs


def _describe_box(lower, upper) -> str:
    parts = []
    for j, (lo, hi) in enumerate(zip(lower, upper)):
        if math.isfinite(lo):
            parts.append(f"x{j + 1} ≥ {lo:.4g}")
        if math.isfinite(hi):
            parts.append(f"x{j + 1} ≤ {hi:.4g}")
    return ", ".join(parts)


def box_table() -> list[str]:
    """Every problem's box as Markdown rows (README.md lists them)."""
    rows = ["| # | problem | box |", "|---:|---|---|"]
    for p in mgh.problems():
        name = p.name + (f" n={p.n}" if p.number >= 20 else "")
        rows.append(f"| {p.number} | {name} | {_describe_box(*p.box())} |")
    return rows


def relative_match(f_library: float, f_reference: float) -> bool:
    """The library's f equals the reference's within 1e-8 relative, or is lower."""
    return f_library <= f_reference + 1e-8 * abs(f_reference)


def bounded(quick: bool):
    table = mgh.problems()
    chosen = [table[k] for k in QUICK_PROBLEMS] if quick else table
    have = lbfgs_available() and solvers.has_bounds()
    names = ([LBFGS] if have else []) + [SCIPY, SCIPY_FTOL0]
    lines = [
        "Final f on the boxed problems (evaluations in parentheses). *check*: lbfgs's f is at most "
        "the lower of SciPy's two plus 1e-8 of it. The box of each problem is in the last column.",
        "",
        "| # | problem | " + " | ".join(names) + " | check | box |",
        "|---:|---|" + "---:|" * len(names) + "---|---|",
    ]
    passed = 0
    for problem in chosen:
        box = problem.box()
        runs = []
        if have:
            runs.append(solvers.library(problem, LBFGS, bounds=box))
        runs.append(solvers.scipy_lbfgsb(problem, bounds=box, solver=SCIPY))
        runs.append(solvers.scipy_lbfgsb(problem, ftol=0, bounds=box, solver=SCIPY_FTOL0))
        check = ""
        if have:
            reference = min(r.f for r in runs[1:])
            ok = relative_match(runs[0].f, reference)
            passed += ok
            check = "yes" if ok else f"**no**: {runs[0].message}"
        cells = " | ".join(f"{r.f:.10g} ({r.evaluations})" for r in runs)
        lines.append(f"| {problem.number} | {problem.name}"
                     f"{f' n={problem.n}' if problem.number >= 20 else ''} | {cells} | {check} | "
                     f"{_describe_box(*box)} |")
    lines.append("")
    targets = []
    if have:
        targets.append(("MGH boxes: lbfgs's final f vs SciPy L-BFGS-B's (1e-8 relative, or lower)",
                        f"{passed} of {len(chosen)}", f"{len(chosen)} of {len(chosen)}",
                        passed == len(chosen), "" if passed == len(chosen) else "see the bounded table"))
    else:
        lines += ["lbfgs with bounds: not in this build of the library (no row).", ""]
    return lines, targets
