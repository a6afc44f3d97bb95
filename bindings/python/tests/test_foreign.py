"""Foreign functions from Python: compiled C and Fortran bound by symbol and signature
through libffi, in the three supported forms, and malformed descriptions."""

from __future__ import annotations

import numpy as np
import pytest

import gradient_descent as gd
from gradient_descent.objectives import foreign
from native_fixtures import REPO, compile_shared


@pytest.fixture(scope="module")
def libraries(tmp_path_factory):
    folder = tmp_path_factory.mktemp("foreign")
    sources = REPO / "Tests" / "CTests" / "foreign"
    return {"rosen": compile_shared(sources / "rosen.c", folder / "rosen.so"),
            "fg": compile_shared(sources / "fg.f90", folder / "fg.so")}


def rosenbrock(x):
    t = x[1:] - x[:-1] ** 2
    u = 1 - x[:-1]
    g = np.zeros_like(x)
    g[:-1] += -400 * x[:-1] * t - 2 * u
    g[1:] += 200 * t
    return np.sum(100 * t * t + u * u), g


@pytest.mark.parametrize("form", ["value and gradient", "fortran", "combined"])
def test_three_forms_evaluate_and_minimize(libraries, form):
    if form == "value and gradient":
        obj = foreign("double rosen(int n, const double *x)",
                      "void rosen_grad(int n, const double *x, double *g)",
                      n=3, library=libraries["rosen"])
    elif form == "fortran":
        obj = foreign("void fg_(const int *n, const double *x, double *f, double *g)",
                      n=3, library=libraries["fg"])
    else:
        obj = foreign("double fdf(const double *x, double *g, size_t n)",
                      n=3, library=libraries["rosen"])
    x = np.array([-1.2, 1.0, 0.5])   # n = 3: Rosenbrock's only minimum is (1, 1, 1)
    loss, grad = obj(x)
    expected_loss, expected_grad = rosenbrock(x)
    assert loss == pytest.approx(expected_loss, rel=1e-14)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-13)
    res = gd.minimize(obj, x, optimizer=gd.Adam(lr=0.01), gradient_tolerance=1e-8,
                      max_iterations=100000)
    np.testing.assert_allclose(res.x, np.ones(3), atol=1e-5)


@pytest.mark.parametrize("function, gradient, message", [
    ("double rosen(int n, const double *x", None, "missing '\\)'"),
    ("double rosen(float n, const double *x)", "void rosen_grad(int n, const double *x, double *g)",
     "unknown type 'float'"),
    ("double rosen(int n, const double *p)", "void rosen_grad(int n, const double *x, double *g)",
     "unknown argument name 'p'"),
    ("double rosen(int n, const double *x)", None, "no gradient function"),
    ("double nope(int n, const double *x)", "void rosen_grad(int n, const double *x, double *g)",
     "symbol 'nope' not found"),
])
def test_malformed_descriptions_are_foreign_errors(libraries, function, gradient, message):
    with pytest.raises(gd.ForeignError, match=message):
        foreign(function, gradient, n=3, library=libraries["rosen"])


def test_a_library_that_does_not_load(tmp_path):
    with pytest.raises(gd.ForeignError, match="no file"):
        foreign("double fdf(const double *x, double *g, size_t n)", n=3,
                library=tmp_path / "missing.so")
