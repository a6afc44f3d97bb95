"""The MGH table is the paper's: every gradient is right at the starting point, f at the
reference minimizers is the printed f*, and each box cuts off the minimizer it is for."""

import math

import numpy as np
import pytest

import gradient_descent as gd
import mgh

PROBLEMS = mgh.problems()
IDS = [p.label for p in PROBLEMS]


def test_the_table_has_the_papers_35_functions_and_watson_twice():
    assert len(PROBLEMS) == 36
    assert sorted({p.number for p in PROBLEMS}) == list(range(1, 36))
    assert [p.n for p in PROBLEMS if p.number == 20] == [6, 9]


@pytest.mark.parametrize("problem", PROBLEMS, ids=IDS)
def test_gradient_at_the_starting_point_matches_central_differences(problem):
    check = gd.check_gradient(problem.evaluate, problem.x0, jac=True)
    # Brown badly scaled has f(x0) = 1e12: the differences' rounding is 1e12 eps / h
    assert check.error <= (1e-4 if problem.number == 4 else 1e-6), check


@pytest.mark.parametrize("problem", PROBLEMS, ids=IDS)
def test_jacobian_matches_central_differences_of_the_residuals(problem):
    rng = np.random.default_rng(problem.index)
    moved = problem.x0 * (1 + 0.05 * rng.standard_normal(problem.n)) \
        + 0.05 * rng.standard_normal(problem.n) * (problem.x0 == 0)
    for x in (problem.x0, moved):
        r, jacobian = problem.residuals(x)
        for j in range(problem.n):
            h = 1e-6 * max(1e-2, abs(x[j]))
            e = np.zeros(problem.n)
            e[j] = h
            numeric = (problem.residuals(x + e)[0] - problem.residuals(x - e)[0]) / (2 * h)
            scale = np.maximum(1, np.maximum(abs(numeric), abs(jacobian[:, j])))
            rounding = 1e-15 * np.maximum(1, abs(r)) / h      # the differences' own error
            assert np.all(abs(numeric - jacobian[:, j]) <= 1e-6 * scale + rounding), (j, x)


@pytest.mark.parametrize("problem", PROBLEMS, ids=IDS)
def test_f_at_the_reference_minimizer_is_the_printed_minimum(problem):
    f, _ = problem.evaluate(problem.x_ref)
    assert f == pytest.approx(problem.f_star, rel=1e-12, abs=1e-30)
    if problem.f_star_paper == 0:
        assert f <= 1e-12
    else:
        # the paper prints 6 significant digits
        assert abs(f - problem.f_star_paper) <= 0.5e-5 * abs(problem.f_star_paper) * (1 + 1e-9)


def test_starting_values_are_the_papers():
    # f(x0) as the paper's functions give it (checked by hand from the formulas)
    expected = {1: 24.2, 2: 400.5, 5: 14.203125, 7: 2500.0, 13: 215.0, 14: 19192.0,
                20: 30.0, 32: 50.0}
    for problem in PROBLEMS:
        if problem.number in expected:
            assert problem.evaluate(problem.x0)[0] == pytest.approx(expected[problem.number], rel=1e-12)


def test_rank1_linear_functions_reach_their_closed_form_minima():
    for problem in PROBLEMS:
        m = problem.m
        if problem.number == 32:
            assert problem.f_star == pytest.approx(m - problem.n, rel=1e-14)
        if problem.number == 33:
            assert problem.f_star == pytest.approx(m * (m - 1) / (2 * (2 * m + 1)), rel=1e-12)
        if problem.number == 34:
            assert problem.f_star == pytest.approx((m * m + 3 * m - 6) / (2 * (2 * m - 3)), rel=1e-12)


@pytest.mark.parametrize("problem", PROBLEMS, ids=IDS)
def test_box_holds_x0_and_cuts_off_the_minimizer(problem):
    lower, upper = problem.box()
    assert np.all(lower <= problem.x0) and np.all(problem.x0 <= upper)
    assert np.any(np.isfinite(lower) | np.isfinite(upper))
    # the reference minimizer (for Biggs EXP6 and the trigonometric function: also the local
    # minimum x0 leads to) lies outside
    assert np.any(problem.x_ref < lower) or np.any(problem.x_ref > upper)


def test_classify_tells_minima_from_other_points():
    rosenbrock, freudenstein = PROBLEMS[0], PROBLEMS[1]
    assert rosenbrock.classify(5e-7) == "solved"
    assert rosenbrock.classify(2e-6) == "failed"
    assert freudenstein.classify(48.98425368) == "local"
    assert freudenstein.classify(math.nan) == "failed"


def test_readme_lists_every_box():
    import mgh_cases
    readme = (mgh.HERE.parent / "README.md").read_text()
    for row in mgh_cases.box_table():
        assert row in readme, row
