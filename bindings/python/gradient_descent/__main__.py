"""python -m gradient_descent: what is installed, and a one-second self-check.

Prints the package and library versions, where the library was loaded from, the set of
update loops the CPU runs (haswell: AVX2 and FMA; baseline: the x86-64 baseline), then fits
a small least-squares problem three ways (a built-in objective in mini-batches, a Python
objective, finite differences) and checks each answer. Exit status 0 when every check holds.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from . import __version__, _capi, library_path, library_version, minimize, objectives
from .optimizers import SGD, Adam

_KERNEL_SETS = {"haswell": "haswell (x86-64-v3: AVX2, FMA)",
                "baseline": "baseline (x86-64: SSE2)"}


def self_check() -> list[str]:
    """Run the checks; the failures, as sentences (empty when all hold)."""
    rng = np.random.default_rng(0)
    X = np.hstack([np.ones((400, 1)), rng.standard_normal((400, 3))])
    theta = np.array([0.5, -1.0, 2.0, 3.0])
    y = X @ theta
    failures = []

    built_in = minimize(objectives.LeastSquares(X, y), np.zeros(4),
                        optimizer=SGD(lr=0.1, momentum=0.9), batch_size=40, max_epochs=300,
                        max_iterations=0, gradient_tolerance=1e-10, time_limit=1.0)
    if not (built_in.success and np.allclose(built_in.x, theta, atol=1e-6)):
        failures.append(f"built-in LeastSquares, mini-batch SGD: x = {built_in.x}")

    def loss(x: np.ndarray, grad: np.ndarray) -> float:
        r = X @ x - y
        grad[:] = X.T @ r / len(y)
        return 0.5 * float(r @ r) / len(y)

    python = minimize(loss, np.zeros(4), optimizer=Adam(lr=0.05), gradient_tolerance=1e-9,
                      time_limit=1.0)
    if not (python.success and np.allclose(python.x, theta, atol=1e-6)):
        failures.append(f"Python objective, Adam: x = {python.x}")

    difference = minimize(lambda x: loss(x, np.empty(4)), np.zeros(4), jac="3-point",
                          optimizer=Adam(lr=0.05), gradient_tolerance=1e-7, time_limit=1.0)
    if not (difference.success and np.allclose(difference.x, theta, atol=1e-5)):
        failures.append(f"finite differences (3-point), Adam: x = {difference.x}")
    return failures


def main() -> int:
    print(f"gradient_descent {__version__}")
    print(f"library          {library_path} (version {library_version()})")
    kernels = _capi.gd_kernel_set().decode()
    print(f"update loops     {_KERNEL_SETS.get(kernels, kernels)}")
    start = time.perf_counter()
    failures = self_check()
    seconds = time.perf_counter() - start
    if failures:
        print(f"self-check       FAILED in {seconds:.2f} s:")
        for failure in failures:
            print(f"  {failure}")
        return 1
    print(f"self-check       ok: 3 least-squares fits recovered their parameters "
          f"({seconds:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
