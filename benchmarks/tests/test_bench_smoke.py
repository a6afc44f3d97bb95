"""A smoke run of the L-BFGS benchmarks: the drivers build and run, lbfgs and the peers solve
three MGH problems, a box holds, and the C logistic loss given to libLBFGS is the library's."""

import ctypes

import numpy as np
import pytest

import gradient_descent as gd
from gradient_descent.objectives import Logistic
import lbfgs_logistic
import mgh
import solvers

PROBLEMS = mgh.problems()
SMOKE = [PROBLEMS[k] for k in (0, 6, 13)]      # Rosenbrock, helical valley, Wood
needs_lbfgs = pytest.mark.skipif(not hasattr(gd, "LBFGS"), reason="this build has no lbfgs")
needs_liblbfgs = pytest.mark.skipif(not solvers.liblbfgs_available(), reason="liblbfgs-dev missing")


@needs_lbfgs
@pytest.mark.parametrize("problem", SMOKE, ids=[p.label for p in SMOKE])
def test_lbfgs_defaults_solve(problem):
    run = solvers.library(problem, "lbfgs")
    assert problem.classify(run.f) == "solved", run
    # within a few hundred evaluations, on the helical valley too, where f reaches 0 while
    # the gradient is still 1e-162 (the run stops when no search lowers f or the gradient)
    assert 0 < run.evaluations < 1000


@pytest.mark.parametrize("problem", SMOKE, ids=[p.label for p in SMOKE])
def test_scipy_solves_with_ftol_zero(problem):
    run = solvers.scipy_lbfgsb(problem, ftol=0)
    assert problem.classify(run.f) == "solved", run


@needs_liblbfgs
@pytest.mark.parametrize("problem", SMOKE, ids=[p.label for p in SMOKE])
def test_liblbfgs_solves(problem):
    run = solvers.liblbfgs(problem)
    assert problem.classify(run.f) == "solved", run


def test_adam_runs_through_the_driver():
    run = solvers.library(PROBLEMS[0], "adam", {"lr": 0.01}, max_iterations=500)
    assert run.evaluations == 501 and run.f < PROBLEMS[0].evaluate(PROBLEMS[0].x0)[0]


BOXED = [PROBLEMS[k] for k in (3, 9, 13)]       # Brown badly scaled, Meyer, Wood


@needs_lbfgs
@pytest.mark.parametrize("problem", BOXED, ids=[p.label for p in BOXED])
def test_bounded_lbfgs_matches_scipy(problem):
    """On Brown's and Meyer's badly scaled problems too, where the step's rounding decides
    whether the run gets to the boxed minimum in hundreds of evaluations or crawls."""
    box = problem.box()
    lib = solvers.library(problem, "lbfgs", bounds=box)
    scipy = solvers.scipy_lbfgsb(problem, ftol=0, bounds=box)
    assert np.all(box[0] <= lib.x) and np.all(lib.x <= box[1])
    assert lib.f <= scipy.f + 1e-8 * abs(scipy.f)
    assert lib.evaluations < 1000


@needs_liblbfgs
def test_c_logistic_loss_is_the_builtin_one():
    """libLBFGS with the C loss, on small data, ends where the built-in objective's gradient
    vanishes and reports the built-in objective's loss there: the C loss and gradient are
    the library's (and the numpy loss given to SciPy is too)."""
    X, y = lbfgs_logistic.data(400, 5)
    lib = lbfgs_logistic._liblbfgs()
    theta = np.zeros(5)
    result = lbfgs_logistic._Result()
    d = ctypes.POINTER(ctypes.c_double)
    lib.logistic_liblbfgs(X.ctypes.data_as(d), y.ctypes.data_as(d), 400, 5, theta.ctypes.data_as(d),
                          1e-10, 2, ctypes.byref(result))
    loss, grad = Logistic(X, y)(theta)
    assert result.loss == pytest.approx(loss, rel=1e-12)
    assert np.linalg.norm(grad) <= 1e-7
    numpy_loss, numpy_grad = lbfgs_logistic.numpy_loss(X, y)(theta)
    assert numpy_loss == pytest.approx(loss, rel=1e-12)
    assert np.allclose(numpy_grad, grad, atol=1e-12)


@needs_lbfgs
def test_python_minimize_with_bounds_follows_the_c_driver():
    """gd.minimize(..., bounds=...) in SciPy's form on a boxed MGH problem takes the C
    driver's iterates: the same f, bit for bit, the same steps and evaluations (nfev also
    counts the final evaluation that gives jac)."""
    problem = PROBLEMS[7]                                  # Bard, two bounded coordinates
    lower, upper = problem.box()
    bounds = [(None if np.isinf(lo) else lo, None if np.isinf(hi) else hi)
              for lo, hi in zip(lower, upper)]
    res = gd.minimize(problem.evaluate, problem.x0.copy(), jac=True, optimizer=gd.LBFGS(),
                      bounds=bounds)
    c = solvers.library(problem, "lbfgs", bounds=(lower, upper))
    assert res.fun == c.f
    assert res.nit == c.iterations
    assert res.nfev == c.evaluations + 1
