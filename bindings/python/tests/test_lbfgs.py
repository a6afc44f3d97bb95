"""gd.LBFGS, line searches and bounds against SciPy's L-BFGS-B (scipy is pinned in
requirements-test.txt): the same minimizers to 1e-8 on Rosenbrock, quadratics of condition
1e6 and bounded problems; bad input refused with the library's exception and a message."""

from __future__ import annotations

import importlib.util
import json
import pathlib

import numpy as np
import pytest
from scipy.optimize import Bounds
from scipy.optimize import minimize as scipy_minimize

import gradient_descent as gd
from gradient_descent.objectives import Logistic


def _generator():
    """The golden files' generator, whose problems the tests share."""
    path = pathlib.Path(__file__).resolve().parents[1] / "tools" / "generate_lbfgs_golden.py"
    spec = importlib.util.spec_from_file_location("generate_lbfgs_golden", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_problems = _generator()
rosenbrock = _problems.rosenbrock


def quadratic(n, condition, seed):
    """1/2 (x - c)'A(x - c), A of the given condition (eigenvalues log-spaced); minimum 0."""
    a, c = _problems.quadratic_data(n, condition, seed)
    return _problems.quadratic(a, c), a, c


def scipy_lbfgsb(fun, x0, bounds=None):
    """SciPy's L-BFGS-B, run live on the small fast problems."""
    result = scipy_minimize(fun, x0, jac=True, method="L-BFGS-B", bounds=bounds,
                            options=dict(gtol=1e-12, ftol=0, maxiter=100_000, maxfun=100_000))
    return result.x


def ours(fun, x0, bounds=None, tolerance=1e-10, **kwargs):
    return gd.minimize(fun, x0, jac=True, optimizer=gd.LBFGS(**kwargs), bounds=bounds,
                       gradient_tolerance=tolerance, max_iterations=100_000)


# SciPy L-BFGS-B's minimizers, written by bindings/python/tools/generate_lbfgs_golden.py
# (SciPy's tightest settings); the quadratics' data travel with them.
GOLDEN = json.loads((pathlib.Path(__file__).parent / "golden" / "lbfgs_scipy.json").read_text())
CASES = {case["name"]: case for case in GOLDEN["cases"]}


def golden_problem(case):
    """(fun, x0, bounds or None, exact minimizer or None) of a golden case."""
    x0 = np.array(case["x0"])
    if case["kind"] == "rosenbrock":
        fun, exact = rosenbrock, None
    else:
        a, c = np.array(case["a"]), np.array(case["c"])
        fun, exact = _problems.quadratic(a, c), c
    bounds = None
    if "lower" in case:
        lower = np.array([-np.inf if v is None else v for v in case["lower"]])
        upper = np.array([np.inf if v is None else v for v in case["upper"]])
        bounds = Bounds(lower, upper)
        if case["kind"] == "quadratic":
            exact = None  # from the active set below
    return fun, x0, bounds, exact


def box_solution(a, c, lower, upper, active_lower, active_upper):
    """The minimizer of 1/2 (x - c)'A(x - c) over the box for a given active set, and whether
    it satisfies the KKT conditions (free entries inside, multipliers of the right sign)."""
    x = np.where(active_lower, lower, np.where(active_upper, upper, 0.0))
    free = ~(active_lower | active_upper)
    rhs = a[np.ix_(free, free)] @ c[free] - a[np.ix_(free, ~free)] @ (x[~free] - c[~free])
    x[free] = np.linalg.solve(a[np.ix_(free, free)], rhs)
    g = a @ (x - c)
    kkt = (np.all(x[free] >= lower[free]) and np.all(x[free] <= upper[free])
           and np.all(g[active_lower] >= 0) and np.all(g[active_upper] <= 0))
    return x, kkt


@pytest.mark.parametrize("name", [name for name in CASES if "box" not in name])
def test_unbounded_minimizer_equals_scipys(name):
    """Rosenbrock (n = 2, 7, 10) and quadratics of condition 1e6: the minimizer SciPy's
    L-BFGS-B reaches, to 1e-8 (and the exact one of the quadratics)."""
    fun, x0, _, exact = golden_problem(CASES[name])
    result = ours(fun, x0, tolerance=1e-9)
    assert result.success, result.message
    assert np.max(np.abs(result.x - np.array(CASES[name]["scipy_x"]))) <= 1e-8
    if exact is not None:
        assert np.max(np.abs(result.x - exact)) <= 1e-8


@pytest.mark.parametrize("name", [name for name in CASES if "box" in name])
def test_bounded_minimizer_equals_scipys(name):
    """Boxes that cut off the unconstrained minimizer (x0 inside and outside): SciPy's
    minimizer to 1e-8, inside the box; the quadratics' also the exact box minimizer."""
    case = CASES[name]
    fun, x0, box, _ = golden_problem(case)
    result = ours(fun, x0, bounds=box, tolerance=1e-10)
    # At a bounded minimizer of a quadratic the loss is not 0, and a search can stop on its
    # rounding before the gradient tolerance (SciPy then says ABNORMAL_TERMINATION_IN_LNSRCH).
    assert result.success or result.stop_reason == gd.StopReason.LINE_SEARCH_FAILED, result.message
    assert np.max(np.abs(result.x - np.array(case["scipy_x"]))) <= 1e-8
    assert np.all(result.x >= box.lb) and np.all(result.x <= box.ub)
    assert result.x0_projected == bool(np.any((x0 < box.lb) | (x0 > box.ub)))
    assert np.sum((result.x == box.lb) | (result.x == box.ub)) >= 1  # the box matters
    if case["kind"] == "quadratic":
        a, c = np.array(case["a"]), np.array(case["c"])
        exact, kkt = box_solution(a, c, box.lb, box.ub, result.x == box.lb, result.x == box.ub)
        assert kkt  # the active set found is the solution's
        assert np.max(np.abs(result.x - exact)) <= 1e-8


def test_live_scipy_agrees_on_a_small_bounded_rosenbrock():
    x0 = np.array([-1.2, 1.0])
    bounds = [(None, 0.5), (1.5, None)]
    result = ours(rosenbrock, x0, bounds=bounds, tolerance=1e-10)
    assert result.success, result.message
    assert np.max(np.abs(result.x - scipy_lbfgsb(rosenbrock, x0, bounds))) <= 1e-8


def test_scipy_bounds_object_and_pairs_give_the_same_run():
    fun, x0 = rosenbrock, np.array([-1.2, 1.0, 0.5, -0.3, 2.0])
    pairs = [(-np.inf, 0.5), (1.5, None), (None, None), (0.2, 0.8), (None, 3)]
    lower = [-np.inf if lo is None else lo for lo, _ in pairs]
    upper = [np.inf if hi is None else hi for _, hi in pairs]
    first = ours(fun, x0, bounds=pairs)
    second = ours(fun, x0, bounds=Bounds(lower, upper))
    assert np.array_equal(first.x, second.x) and first.nfev == second.nfev


def test_first_order_rules_project_onto_the_box():
    x0 = np.array([-1.2, 1.0])
    bounds = [(None, 0.5), (1.5, None)]
    result = gd.minimize(rosenbrock, x0, jac=True, optimizer=gd.Adam(lr=0.01), bounds=bounds,
                         max_iterations=20_000)
    reference = scipy_lbfgsb(rosenbrock, x0, bounds)
    assert result.x[1] == 1.5 and result.x0_projected
    assert abs(result.x[0] - reference[0]) < 1e-3


def test_sgd_with_line_search_needs_no_tuned_lr():
    fun, a, exact = quadratic(10, 1e2, 3)
    # without the search lr = 1 diverges on curvature up to 100
    plain = gd.minimize(fun, np.zeros(10), jac=True, optimizer=gd.SGD(lr=1.0), max_iterations=50)
    assert not plain.success or not np.allclose(plain.x, exact, atol=1e-3)
    result = gd.minimize(fun, np.zeros(10), jac=True, optimizer=gd.SGD(lr=1.0, line_search=True),
                         gradient_tolerance=1e-8, max_iterations=100_000)
    assert result.success, result.message
    assert np.max(np.abs(result.x - exact)) < 1e-6
    assert result.nfev > result.nit  # several evaluations per accepted step


def test_lbfgs_on_the_builtin_logistic_objective_matches_scipy():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(500, 8))
    y = (X @ rng.normal(size=8) + 0.5 * rng.normal(size=500) > 0).astype(float)
    objective = Logistic(X, y, l2=0.01)
    result = gd.minimize(objective, np.zeros(8), optimizer=gd.LBFGS(), gradient_tolerance=1e-10)
    assert result.success, result.message
    reference = scipy_lbfgsb(lambda w: objective(w), np.zeros(8))
    assert np.max(np.abs(result.x - reference)) <= 1e-8


@pytest.mark.parametrize("seed", range(24))
def test_random_boxes_on_badly_scaled_quadratics_end_where_scipy_does(seed):
    """Convex quadratics in variables whose scales span up to six decades (the regime of
    Meyer's problem; the Hessians' condition reaches 1e13), with a box that cuts off the
    minimizer in about half the variables: lbfgs holds exactly the solution's active set
    (checked by the KKT conditions of the exact box minimizer), and its final f is SciPy
    L-BFGS-B's (ftol=0, gtol=1e-12) within 1e-8 relative, or lower: the bounded table's test.
    Near the minimizer f changes by its rounding over 1e-8 of x, so f, not x, is compared."""
    rng = np.random.default_rng(1000 + seed)
    n = int(rng.integers(4, 13))
    a0, c0 = _problems.quadratic_data(n, 10.0 ** rng.uniform(1, 4), 2000 + seed)
    spread = 3.0 if seed % 3 else 0.0
    scale = 10.0 ** rng.uniform(-spread, spread, size=n)
    a = a0 / np.outer(scale, scale)                     # in the variables x = u / scale
    c = c0 * scale
    fun = _problems.quadratic(a, c)
    x0 = c + rng.normal(size=n) * 2 * np.abs(c) + rng.normal(size=n) * scale
    lower = np.full(n, -np.inf)
    upper = np.full(n, np.inf)
    cut = rng.random(n) < 0.5
    cut[rng.integers(n)] = True
    for i in np.flatnonzero(cut):
        if rng.random() < 0.5:
            lower[i] = c[i] + abs(rng.normal()) * scale[i]      # the minimizer is below
        else:
            upper[i] = c[i] - abs(rng.normal()) * scale[i]
    box = Bounds(lower, upper)
    result = ours(fun, x0, bounds=box, tolerance=1e-12)
    assert result.success or result.stop_reason == gd.StopReason.LINE_SEARCH_FAILED, result.message
    assert np.all(result.x >= lower) and np.all(result.x <= upper)
    _, kkt = box_solution(a, c, lower, upper, result.x == lower, result.x == upper)
    assert kkt, "the active set lbfgs found is not the solution's"
    reference = fun(scipy_lbfgsb(fun, x0, bounds=box))[0]
    assert result.fun <= reference + 1e-8 * max(1.0, abs(reference))


def test_a_wrong_gradient_ends_with_a_failed_line_search_that_points_at_check_gradient():
    def wrong(x):
        f, g = rosenbrock(x)
        g[0] *= -3
        return f, g

    result = gd.minimize(wrong, np.array([-1.2, 1.0]), jac=True, optimizer=gd.LBFGS(),
                         gradient_tolerance=1e-9)
    assert not result.success
    assert result.stop_reason == gd.StopReason.LINE_SEARCH_FAILED
    assert result.status == -12
    assert "check_gradient" in result.message
    assert np.isfinite(result.fun) and result.fun <= rosenbrock(np.array([-1.2, 1.0]))[0]


def helical_valley(x):
    """MGH problem 7: f reaches exactly 0 near its minimizer while the gradient is still
    about 1e-160, so no gradient test stops a run there and no step can lower f."""
    theta = np.arctan2(x[1], x[0]) / (2 * np.pi)
    r = np.hypot(x[0], x[1])
    f1, f2, f3 = 10 * (x[2] - 10 * theta), 10 * (r - 1), x[2]
    dtheta = np.array([-x[1], x[0]]) / (2 * np.pi * r * r)
    j = np.array([[-100 * dtheta[0], -100 * dtheta[1], 10.0],
                  [10 * x[0] / r, 10 * x[1] / r, 0.0],
                  [0.0, 0.0, 1.0]])
    f = np.array([f1, f2, f3])
    return float(f @ f), 2 * j.T @ f


def test_a_search_that_cannot_lower_the_loss_ends_the_run_instead_of_cycling():
    """Wolfe points of equal loss are not progress: the run stops at the first search that
    cannot lower f (after a restart along -g), well before max_iterations."""
    result = gd.minimize(helical_valley, np.array([-1.0, 0.0, 0.0]), jac=True,
                         optimizer=gd.LBFGS(), max_iterations=10_000)
    assert result.fun < 1e-30
    assert result.stop_reason == gd.StopReason.LINE_SEARCH_FAILED
    assert "minimizer to working precision" in result.message
    assert result.nit < 200 and result.nfev < 400


def test_resume_from_state_dict_is_bit_identical():
    x0 = np.array([-1.2, 1.0] * 3)
    whole = gd.minimize(rosenbrock, x0, jac=True, optimizer=gd.LBFGS(history_size=5), max_iterations=30)
    first = gd.LBFGS(history_size=5)
    run = gd.RunState()
    part = gd.minimize(rosenbrock, x0, jac=True, optimizer=first, max_iterations=12, run_state=run)
    second = gd.LBFGS.from_state(first.state_dict())
    assert second.get("history_size") == 5
    rest = gd.minimize(rosenbrock, part.x, jac=True, optimizer=second, max_iterations=30, run_state=run)
    assert rest.nit == whole.nit == 30
    assert np.array_equal(rest.x, whole.x)


# ---- bad input: the library's exception and a message; nothing runs --------------------

def test_bound_lists_of_the_wrong_length_are_refused():
    x0 = np.array([-1.2, 1.0])
    calls = []

    def counted(x):
        calls.append(1)
        return rosenbrock(x)

    with pytest.raises(gd.DimensionMismatchError, match="3 pairs"):
        gd.minimize(counted, x0, jac=True, optimizer=gd.LBFGS(), bounds=[(0, 1)] * 3)
    with pytest.raises(gd.DimensionMismatchError, match="bounds.lb"):
        gd.minimize(counted, x0, jac=True, optimizer=gd.LBFGS(), bounds=Bounds([0, 0, 0], [1, 1, 1]))
    assert calls == [] and np.array_equal(x0, [-1.2, 1.0])


def test_nan_and_crossed_bounds_are_refused():
    x0 = np.array([-1.2, 1.0])
    with pytest.raises(gd.InvalidArgumentError, match="bound 1 is NaN"):
        gd.minimize(rosenbrock, x0, jac=True, optimizer=gd.LBFGS(), bounds=[(0, 1), (np.nan, 2)])
    with pytest.raises(gd.InvalidArgumentError, match="lower bound 0 is 2"):
        gd.minimize(rosenbrock, x0, jac=True, optimizer=gd.Adam(), bounds=[(2, 1), (None, None)])
    with pytest.raises(ValueError, match=r"bounds\[0\] must be a pair"):
        gd.minimize(rosenbrock, x0, jac=True, optimizer=gd.LBFGS(), bounds=[1, 2])


def test_lbfgs_refuses_batches_and_a_zero_history():
    problem_calls = []

    def sampled(x, grad, idx):
        problem_calls.append(1)
        f, grad[:] = rosenbrock(x)
        return f

    with pytest.raises(gd.InvalidArgumentError, match="lbfgs needs the loss over all samples"):
        gd.minimize(sampled, np.array([-1.2, 1.0]), optimizer=gd.LBFGS(), samples=10, batch_size=2)
    assert problem_calls == []
    with pytest.raises(gd.InvalidArgumentError, match="history_size must be a whole number >= 1"):
        gd.LBFGS(history_size=0)
    with pytest.raises(gd.InvalidArgumentError, match="c1 < c2"):
        gd.LBFGS(c1=0.9, c2=0.5)
    with pytest.raises(gd.InvalidArgumentError, match="gd_minimize"):
        gd.LBFGS(n=2).step(np.zeros(2), np.ones(2))


def test_progress_sees_accepted_steps_and_nfev_counts_every_trial():
    seen = []
    result = gd.minimize(rosenbrock, np.array([-1.2, 1.0]), jac=True, optimizer=gd.LBFGS(),
                         gradient_tolerance=1e-9, callback=lambda info: seen.append(
                             (info.iteration, info.loss, info.lr)))
    assert [i for i, _, _ in seen] == list(range(1, result.nit + 1))
    losses = [loss for _, loss, _ in seen]
    assert all(b <= a for a, b in zip(losses, losses[1:]))  # every accepted step decreases f
    assert seen[-1][1] == result.fun
    assert all(step > 0 for _, _, step in seen)
    assert result.nfev > result.nit


def test_first_order_line_search_resumes_bit_identically():
    fun, _, _ = quadratic(6, 1e2, 4)
    x0 = np.ones(6)

    def sgd():
        return gd.SGD(lr=1.0, momentum=0.3, line_search=True)

    whole = gd.minimize(fun, x0, jac=True, optimizer=sgd(), max_iterations=40)
    assert whole.success and whole.nit == 40
    first = sgd()
    run = gd.RunState()
    part = gd.minimize(fun, x0, jac=True, optimizer=first, max_iterations=17, run_state=run)
    second = gd.SGD.from_state(first.state_dict())
    assert second.get("line_search") == 1
    rest = gd.minimize(fun, part.x, jac=True, optimizer=second, max_iterations=40, run_state=run)
    assert np.array_equal(rest.x, whole.x) and rest.nit == 40


def test_line_search_keys_are_set_before_and_after_first_use():
    opt = gd.SGD(lr=1.0, line_search=True)
    assert opt.get("c1") == 1e-4 and opt.get("shrink") == 0.5
    opt.set("shrink", 0.25)
    opt.set("max_line_search_evaluations", 40)
    with pytest.raises(gd.InvalidArgumentError, match="shrink must be in"):
        opt.set("shrink", 1.5)
    with pytest.raises(gd.UnknownKeyError, match="line_search"):
        opt.get("betas")
    fun, _, exact = quadratic(5, 10.0, 6)
    result = gd.minimize(fun, np.zeros(5), jac=True, optimizer=opt, gradient_tolerance=1e-9)
    assert result.success and np.max(np.abs(result.x - exact)) < 1e-8
    assert opt.get("shrink") == 0.25 and opt.get("max_line_search_evaluations") == 40


def test_bounded_lbfgs_resumes_bit_identically():
    x0 = np.full(6, 3.0)
    bounds = [(1.2, None)] * 6
    whole = gd.minimize(rosenbrock, x0, jac=True, optimizer=gd.LBFGS(history_size=4), bounds=bounds,
                        max_iterations=25)
    assert whole.nit == 25
    first = gd.LBFGS(history_size=4)
    run = gd.RunState()
    part = gd.minimize(rosenbrock, x0, jac=True, optimizer=first, bounds=bounds, max_iterations=9,
                       run_state=run)
    second = gd.LBFGS.from_state(first.state_dict())
    rest = gd.minimize(rosenbrock, part.x, jac=True, optimizer=second, bounds=bounds,
                       max_iterations=25, run_state=run)
    assert np.array_equal(rest.x, whole.x)


def test_mini_batch_runs_stay_in_the_box():
    rng = np.random.default_rng(7)
    A = rng.normal(size=(200, 4))
    b = A @ np.array([1.0, -2.0, 0.5, 3.0])

    def fun(x, grad, idx):
        r = A[idx] @ x - b[idx]
        grad[:] = A[idx].T @ r / len(idx)
        return 0.5 * float(r @ r) / len(idx)

    bounds = [(None, 0.5), (-1.0, None), (0.0, 1.0), (None, None)]
    seen = []
    result = gd.minimize(fun, np.zeros(4), optimizer=gd.SGD(lr=0.05), samples=200, batch_size=16,
                         max_epochs=30, bounds=bounds, callback=lambda info: seen.append(info.x.copy()))
    lower = np.array([-np.inf, -1.0, 0.0, -np.inf])
    upper = np.array([0.5, np.inf, 1.0, np.inf])
    assert all(np.all(x >= lower) and np.all(x <= upper) for x in seen)
    reference = scipy_lbfgsb(lambda x: (0.5 * np.mean((A @ x - b) ** 2), A.T @ (A @ x - b) / 200),
                             np.zeros(4), bounds)
    assert np.max(np.abs(result.x - reference)) < 0.05  # SGD's noise, not the box, limits it
    assert result.x[0] == 0.5 and result.x[1] == -1.0


@pytest.mark.parametrize("name", ["rosenbrock n=2", "rosenbrock n=7", "rosenbrock box, both sides",
                                  "rosenbrock box, x0 outside", "quadratic box condition 1e3 seed 0"])
def test_iterates_follow_scipys_lbfgsb(name):
    """With L-BFGS-B's sufficient-decrease constant (c1 = 1e-3 in its line search), the
    first ten iterates are SciPy's to 1e-10: the same initial steps, line search, Cauchy
    point and subspace step, not only the same minimizer."""
    fun, x0, box, _ = golden_problem(CASES[name])
    ours, theirs = [], []
    gd.minimize(fun, x0, jac=True, optimizer=gd.LBFGS(c1=1e-3), bounds=box, max_iterations=10,
                callback=lambda info: ours.append(info.x.copy()))
    start = x0 if box is None else np.clip(x0, box.lb, box.ub)
    scipy_minimize(fun, start, jac=True, method="L-BFGS-B", bounds=box,
                   options=dict(gtol=1e-14, ftol=0, maxiter=10), callback=lambda xk: theirs.append(xk.copy()))
    count = min(len(ours), len(theirs))
    assert count >= 10 or (box is not None and count == len(theirs))
    for k in range(count):
        scale = max(1.0, np.max(np.abs(theirs[k])))
        assert np.max(np.abs(ours[k] - theirs[k])) <= 1e-10 * scale, f"iterate {k + 1}"
