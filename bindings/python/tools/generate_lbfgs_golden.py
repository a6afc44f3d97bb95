"""Writes bindings/python/tests/golden/lbfgs_scipy.json: SciPy's L-BFGS-B minimizers of the
problems test_lbfgs.py compares gd.LBFGS with (Rosenbrock, quadratics of condition 1e6,
bounded problems), with each problem's data, so that the tests need no long SciPy runs.

Run from the repository root with the test venv: .venv/bin/python bindings/python/tools/generate_lbfgs_golden.py
SciPy runs with its tightest settings (ftol=0, a gradient tolerance at the rounding level).
"""

from __future__ import annotations

import json
import pathlib

import numpy as np
import scipy
from scipy.optimize import minimize

OUT = pathlib.Path(__file__).resolve().parents[1] / "tests" / "golden" / "lbfgs_scipy.json"


def rosenbrock(x):
    f = np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)
    g = np.zeros_like(x)
    g[:-1] = -400 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2 * (1 - x[:-1])
    g[1:] += 200 * (x[1:] - x[:-1] ** 2)
    return f, g


def quadratic_data(n, condition, seed):
    """A = Q diag(logspace(0, log10(condition), n)) Q', c = A^-1 b: 1/2 (x - c)'A(x - c)."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    a = q @ np.diag(np.logspace(0, np.log10(condition), n)) @ q.T
    a = (a + a.T) / 2
    c = np.linalg.solve(a, rng.normal(size=n))
    return a, c


def quadratic(a, c):
    def fun(x):
        ar = a @ (x - c)
        return 0.5 * (x - c) @ ar, ar
    return fun


def solve(fun, x0, lower=None, upper=None):
    bounds = None if lower is None else list(zip(lower, upper))
    result = minimize(fun, x0, jac=True, method="L-BFGS-B", bounds=bounds,
                      options=dict(gtol=1e-12, ftol=0, maxiter=200_000, maxfun=200_000))
    return result


def finite(values):
    return [None if not np.isfinite(v) else float(v) for v in values]


def main():
    cases = []

    def add(name, kind, x0, scipy_result, lower=None, upper=None, a=None, c=None):
        case = dict(name=name, kind=kind, x0=list(map(float, x0)), scipy_x=list(map(float, scipy_result.x)),
                    scipy_fun=float(scipy_result.fun), scipy_nit=int(scipy_result.nit),
                    scipy_nfev=int(scipy_result.nfev), scipy_message=str(scipy_result.message))
        if lower is not None:
            case["lower"] = finite(lower)  # None: -inf
            case["upper"] = finite(upper)  # None: +inf
        if a is not None:
            case["a"] = a.tolist()
            case["c"] = c.tolist()
        cases.append(case)

    for name, x0 in [("rosenbrock n=2", np.array([-1.2, 1.0])),
                     ("rosenbrock n=10", np.array([-1.2, 1.0] * 5)),
                     ("rosenbrock n=7", np.linspace(-1, 2, 7))]:
        add(name, "rosenbrock", x0, solve(rosenbrock, x0))
    for seed in (0, 1):
        a, c = quadratic_data(12, 1e6, seed)
        x0 = np.zeros(12)
        add(f"quadratic condition 1e6 seed {seed}", "quadratic", x0, solve(quadratic(a, c), x0), a=a, c=c)
    boxes = [
        ("rosenbrock box, both sides", np.array([-1.2, 1.0, 0.5, -0.3, 2.0]),
         [-np.inf, 1.5, -np.inf, 0.2, -np.inf], [0.5, np.inf, np.inf, 0.8, 3.0]),
        ("rosenbrock box, lower bounds", np.full(6, 3.0), [1.2] * 6, [np.inf] * 6),
        ("rosenbrock box, x0 outside", np.array([3.0, -3.0, 0.0]), [-2.0, -1.0, 0.95], [0.9, 2.0, 2.0]),
    ]
    for name, x0, lower, upper in boxes:
        add(name, "rosenbrock", x0, solve(rosenbrock, x0, lower, upper), lower, upper)
    for seed in (0, 1, 2):
        # condition 1e3: at a bounded minimizer the loss is not 0, and its rounding hides x's
        # digits below about sqrt(1e-16 f / lambda_min) from every line search
        n = 16
        a, c = quadratic_data(n, 1e3, seed)
        rng = np.random.default_rng(seed + 10)
        width = np.abs(c).max()
        lower = c - np.where(rng.random(n) < 0.5, -0.05, 1.0) * width  # about half cut off
        upper = lower + 2 * width
        x0 = np.clip(np.zeros(n), lower, upper)
        add(f"quadratic box condition 1e3 seed {seed}", "quadratic", x0,
            solve(quadratic(a, c), x0, lower, upper), lower, upper, a=a, c=c)

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(dict(scipy=scipy.__version__, numpy=np.__version__, cases=cases), indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
