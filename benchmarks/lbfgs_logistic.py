"""Full-batch logistic regression to ||grad|| <= 1e-6 with L-BFGS: the library's lbfgs on its
built-in `logistic` objective, libLBFGS from C on the same arrays (c/logistic_liblbfgs.c,
one and two threads), and SciPy L-BFGS-B with a numpy loss. Wall time per solve and
evaluations. See benchmarks/README.md.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import time
from pathlib import Path

import numpy as np

import gradient_descent as gd
from gradient_descent.objectives import Logistic

from harness import Measurement, Results, interleaved

HERE = Path(__file__).resolve().parent
BUILD = HERE.parent / "build" / "bench"
GTOL = 1e-6
CASE = "logistic regression, full batch, L-BFGS to ||g|| <= 1e-6"
LIBRARY = "library lbfgs (built-in logistic)"
LIBLBFGS = "libLBFGS from C, C loss"
SCIPY = "SciPy L-BFGS-B, numpy loss"


class _Result(ctypes.Structure):
    _fields_ = [("seconds", ctypes.c_double), ("loss", ctypes.c_double),
                ("gradient_norm", ctypes.c_double), ("evaluations", ctypes.c_uint64),
                ("iterations", ctypes.c_uint64), ("code", ctypes.c_int32)]


def data(rows: int, cols: int):
    """Features of scales from 0.3 to 3 (as raw features come, unstandardized: the Hessian's
    condition number is about 100), labels drawn from the model's own probabilities (not
    separable, so the minimizer exists), z = X theta with a spread of about 2."""
    rng = np.random.default_rng(12)
    scales = rng.permutation(np.logspace(-0.5, 0.5, cols))
    X = rng.standard_normal((rows, cols)) * scales
    theta = rng.standard_normal(cols) * (2 / np.sqrt(cols)) / scales
    p = 1 / (1 + np.exp(-(X @ theta)))
    y = (rng.uniform(size=rows) < p).astype(np.float64)
    return X, y


def _liblbfgs():
    if not Path("/usr/include/lbfgs.h").exists():
        return None
    BUILD.mkdir(parents=True, exist_ok=True)
    source = HERE / "c" / "logistic_liblbfgs.c"
    output = BUILD / "logistic_liblbfgs.so"
    if not output.exists() or source.stat().st_mtime > output.stat().st_mtime:
        subprocess.run([os.environ.get("CC", "cc"), "-std=c99", "-O3", "-march=native", "-fopenmp",
                        "-fPIC", "-shared", str(source), "-llbfgs", "-lm", "-o", str(output)], check=True)
    lib = ctypes.CDLL(str(output))
    d = ctypes.POINTER(ctypes.c_double)
    lib.logistic_liblbfgs.argtypes = [d, d, ctypes.c_size_t, ctypes.c_size_t, d, ctypes.c_double,
                                      ctypes.c_int, ctypes.POINTER(_Result)]
    return lib


def numpy_loss(X, y):
    """The loss and gradient as a SciPy user writes them in numpy."""
    m = len(y)

    def fun(theta):
        z = X @ theta
        loss = np.mean(np.logaddexp(0, z) - y * z)
        grad = X.T @ (1 / (1 + np.exp(-z)) - y) / m
        return loss, grad
    return fun


def scipy_solve(X, y):
    from scipy.optimize import minimize

    fun = numpy_loss(X, y)
    last = {}
    evaluations = [0]

    def counted(theta):
        evaluations[0] += 1
        loss, grad = fun(theta)
        last["x"], last["g"] = theta.copy(), grad
        return loss, grad

    def stop(intermediate_result):
        # the same test as the others: ||grad||_2 at the accepted iterate
        if np.array_equal(intermediate_result.x, last["x"]) and np.linalg.norm(last["g"]) <= GTOL:
            raise StopIteration

    start = time.perf_counter()
    result = minimize(counted, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B", callback=stop,
                      options={"ftol": 0, "gtol": 0, "maxiter": 10000, "maxfun": 100000})
    seconds = time.perf_counter() - start
    return seconds, evaluations[0], float(np.linalg.norm(fun(result.x)[1]))


def run(results: Results, rows: int, cols: int, samples: int, warmup: int = 1) -> dict:
    """Adds one Measurement per solver (seconds per solve); returns {impl: (evaluations,
    final ||g||)}."""
    X, y = data(rows, cols)
    objective = Logistic(X, y)
    facts: dict[str, tuple[int, float]] = {}
    runs = {}

    if hasattr(gd, "LBFGS"):
        def library():
            start = time.perf_counter()
            res = gd.minimize(objective, np.zeros(cols), optimizer=gd.LBFGS(),
                              gradient_tolerance=GTOL, max_iterations=10000)
            seconds = time.perf_counter() - start
            # nfev also counts the binding's final evaluation for res.jac (in the time too);
            # the run's own evaluations are the ones compared
            facts[LIBRARY] = (res.nfev - (1 if res.jac is not None else 0),
                              float(np.linalg.norm(objective(res.x)[1])))
            return seconds
        runs[LIBRARY] = library
    else:
        results.skipped.append("library lbfgs on logistic regression: no gd.LBFGS in this build")

    lib = _liblbfgs()
    if lib is not None:
        d = ctypes.POINTER(ctypes.c_double)
        Xc, yc = np.ascontiguousarray(X), np.ascontiguousarray(y)
        for threads in (1, 2):
            name = f"{LIBLBFGS}, {threads} thread{'s' if threads > 1 else ''}"

            def liblbfgs(threads=threads, name=name):
                theta = np.zeros(cols)
                result = _Result()
                lib.logistic_liblbfgs(Xc.ctypes.data_as(d), yc.ctypes.data_as(d), rows, cols,
                                      theta.ctypes.data_as(d), GTOL, threads, ctypes.byref(result))
                facts[name] = (result.evaluations, float(np.linalg.norm(objective(theta)[1])))
                return result.seconds
            runs[name] = liblbfgs
    else:
        results.skipped.append("libLBFGS logistic regression: liblbfgs-dev not installed")

    def scipy():
        seconds, evaluations, gnorm = scipy_solve(X, y)
        facts[SCIPY] = (evaluations, gnorm)
        return seconds
    runs[SCIPY] = scipy

    case = f"{CASE}, {rows}x{cols}"
    for name, values in interleaved(runs, samples, warmup=warmup, pause=0.12).items():
        evaluations, gnorm = facts[name]
        results.add(Measurement(case, name, "s", values,
                                note=f"{evaluations} evaluations, final ||g|| {gnorm:.1e}"))
    return {"case": case, **facts}


def targets(results: Results, facts: dict):
    case = facts["case"]
    lib = results.median(case, LIBRARY)
    rows = []
    if lib is None:
        return [("logistic regression, lbfgs to ||g|| <= 1e-6", "not run", "", None, "")]
    lib_evals = facts[LIBRARY][0]
    scipy = results.median(case, SCIPY)
    speedup = scipy / lib if scipy else None
    rows.append(("logistic regression L-BFGS, library vs SciPy L-BFGS-B (numpy loss)",
                 "not run" if speedup is None else f"{speedup:.2f}x faster ({lib:.3g} s vs {scipy:.3g} s; "
                 f"{lib_evals} vs {facts[SCIPY][0]} evaluations)", ">= 3x faster",
                 None if speedup is None else speedup >= 3, ""))
    for threads in ("1 thread", "2 threads"):
        name = f"{LIBLBFGS}, {threads}"
        other = results.median(case, name)
        if other is None:
            continue
        other_evals = facts[name][0]
        met = lib <= other and lib_evals <= other_evals
        why = "; ".join(part for part, missed in (
            (f"time {lib / other:.2f}x libLBFGS's", lib > other),
            (f"{lib_evals - other_evals} evaluation(s) more", lib_evals > other_evals)) if missed)
        rows.append((f"logistic regression L-BFGS, library vs libLBFGS ({threads} in its loss)",
                     f"{lib:.3g} s vs {other:.3g} s; {lib_evals} vs {other_evals} evaluations",
                     "no worse in time and evaluations", met, why))
    return rows
