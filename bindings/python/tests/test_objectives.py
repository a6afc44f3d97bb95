"""Built-in objectives from Python: closed forms, gradients against central differences,
runs that reach what independent solvers find (numpy's lstsq, SciPy's L-BFGS), borrowed
data, the registry listing, and errors."""

from __future__ import annotations

import gc

import numpy as np
import pytest

import gradient_descent as gd
from gradient_descent.objectives import (LeastSquares, Logistic, Quadratic, Rosenbrock, Softmax,
                                         create, registry)


def regression_data(m=300, d=5, seed=0):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(m), rng.uniform(-2, 2, (m, d - 1))])
    theta = rng.normal(size=d)
    return X, theta, rng


def finite_difference_error(obj, x):
    _, grad = obj(x)
    worst = 0.0
    for i in range(x.size):
        h = 1e-5 * (1 + abs(x[i]))
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        fd = (obj.loss(up) - obj.loss(down)) / (2 * h)
        worst = max(worst, abs(grad[i] - fd) / max(abs(fd), 1e-3))
    return worst


def test_least_squares_is_the_seed_articles_loss_and_reaches_lstsq():
    X, theta, rng = regression_data()
    y = X @ theta + 0.1 * rng.normal(size=X.shape[0])
    obj = LeastSquares(X, y)
    assert (obj.n, obj.sample_count) == (5, 300)
    t = rng.normal(size=5)
    loss, grad = obj(t)
    r = X @ t - y
    assert loss == pytest.approx(r @ r / (2 * len(y)), rel=1e-13)
    np.testing.assert_allclose(grad, X.T @ r / len(y), rtol=1e-12, atol=1e-14)

    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    res = gd.minimize(obj, np.zeros(5), optimizer=gd.SGD(lr=0.2, momentum=0.9),
                      gradient_tolerance=1e-12, max_iterations=20000)
    assert res.success and res.stop_reason == gd.StopReason.GRADIENT_TOLERANCE
    np.testing.assert_allclose(res.x, expected, rtol=0, atol=1e-8)
    assert res.fun == pytest.approx(obj.loss(expected), rel=1e-12)


def test_l2_logistic_regression_reaches_scipys_lbfgs_optimum():
    from scipy import optimize as scipy_optimize   # pinned in requirements-test.txt
    X, theta, rng = regression_data(m=400, d=4, seed=3)
    y = (rng.uniform(size=400) < 1 / (1 + np.exp(-X @ theta))).astype(float)
    l2 = 0.1

    def loss_and_grad(t):   # the same loss, written independently in numpy
        z = X @ t
        loss = np.mean(np.logaddexp(0, z) - y * z) + 0.5 * l2 * t @ t
        grad = X.T @ (1 / (1 + np.exp(-z)) - y) / len(y) + l2 * t
        return loss, grad

    reference = scipy_optimize.minimize(loss_and_grad, np.zeros(4), jac=True, method="L-BFGS-B",
                                        options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 10000})
    obj = Logistic(X, y, l2=l2)
    loss, grad = obj(reference.x)
    ref_loss, ref_grad = loss_and_grad(reference.x)
    assert loss == pytest.approx(ref_loss, rel=1e-13)
    np.testing.assert_allclose(grad, ref_grad, atol=1e-13)

    res = gd.minimize(obj, np.zeros(4), optimizer=gd.SGD(lr=1.0, momentum=0.9),
                      gradient_tolerance=1e-11, max_iterations=50000)
    assert res.success
    np.testing.assert_allclose(res.x, reference.x, rtol=0, atol=1e-6)


def test_logistic_is_finite_at_z_of_plus_minus_1000():
    X = np.array([[1000.0], [-1000.0]])
    obj = Logistic(X, [0.0, 0.0])
    loss, grad = obj(np.array([1.0]))
    assert loss == pytest.approx(500.0, rel=1e-15)
    assert grad[0] == pytest.approx(500.0, rel=1e-15)


@pytest.mark.parametrize("l2", [0.0, 0.25])
def test_gradients_match_central_differences(l2):
    X, theta, rng = regression_data(m=60, d=4, seed=5)
    z = X @ theta
    objectives = [
        LeastSquares(X, z + rng.normal(size=60), l2=l2),
        Logistic(X, (z > 0).astype(float), l2=l2),
        Softmax(X, np.digitize(z, [-0.5, 0.5]), classes=3, l2=l2),
        Rosenbrock(5),
        Quadratic(rng.normal(size=(4, 4)), rng.normal(size=4)),
    ]
    for obj in objectives:
        for _ in range(3):
            x = rng.uniform(-1.5, 1.5, obj.n)
            assert finite_difference_error(obj, x) < 1e-6, obj


def test_softmax_theta_is_d_by_k_and_mini_batches_train_it():
    X, theta, rng = regression_data(m=500, d=3, seed=7)
    labels = np.digitize(X @ theta, [-0.7, 0.7])
    obj = Softmax(X, labels, classes=3, l2=0.001)
    assert obj.n == 9 and obj.sample_count == 500
    assert obj.loss(np.zeros(9)) == pytest.approx(np.log(3), rel=1e-14)
    t = rng.normal(size=9)
    scores = X @ t.reshape(3, 3)
    expected = np.mean(np.log(np.exp(scores).sum(axis=1)) - scores[np.arange(500), labels])
    assert obj.loss(t) == pytest.approx(expected + 0.0005 * t @ t, rel=1e-12)
    res = gd.minimize(obj, np.zeros(9), optimizer=gd.Adam(lr=0.05), batch_size=32,
                      max_epochs=30, max_iterations=0)
    assert res.stop_reason == gd.StopReason.MAX_EPOCHS and res.epochs == 30
    accuracy = np.mean(np.argmax(X @ res.x.reshape(3, 3), axis=1) == labels)
    assert res.fun < 0.5 * np.log(3) and accuracy > 0.9


def test_test_functions_reach_their_minima():
    # (From n = 4 on, Rosenbrock also has a local minimum near x_0 = -1; n = 3 has one minimum.)
    res = gd.minimize(Rosenbrock(3), np.array([-1.2, 1.0, 0.5]),
                      optimizer=gd.Adam(lr=0.01), gradient_tolerance=1e-8, max_iterations=100000)
    np.testing.assert_allclose(res.x, np.ones(3), atol=1e-5)
    A = np.array([[4.0, 1, 0], [1, 3, 0.5], [0, 0.5, 2]])
    b = np.array([1.0, -2, 0.5])
    res = gd.minimize(Quadratic(A, b), np.zeros(3), optimizer=gd.Adam(lr=0.05),
                      gradient_tolerance=1e-11, max_iterations=20000)
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b), atol=1e-9)


def test_data_is_borrowed_and_kept_alive():
    X, theta, _ = regression_data(m=50, d=3)
    y = X @ theta
    obj = LeastSquares(X, y)
    assert obj.loss(theta) == pytest.approx(0.0, abs=1e-28)
    y[0] += 2.0                      # C-contiguous float64: the objective reads it in place
    assert obj.loss(theta) == pytest.approx(4.0 / 100)
    del X, y
    gc.collect()
    assert obj.loss(theta) == pytest.approx(4.0 / 100)   # still alive through the objective

    F = np.asfortranarray(regression_data(m=50, d=3)[0])  # converted once into an owned copy
    copy = LeastSquares(F, F @ theta)
    F[:] = 0
    assert copy.loss(theta) == pytest.approx(0.0, abs=1e-28)


def test_objective_handles_close():
    obj = Rosenbrock(3)
    with obj:
        assert obj(np.ones(3))[0] == 0.0
    assert obj.closed
    obj.close()
    with pytest.raises(ValueError, match="closed"):
        obj(np.ones(3))
    with pytest.raises(ValueError, match="closed"):
        gd.minimize(obj, np.ones(3))


def test_errors_are_the_statuses_exceptions():
    X, theta, _ = regression_data(m=20, d=3)
    with pytest.raises(ValueError, match="shape"):
        LeastSquares(X, np.zeros(19))
    with pytest.raises(gd.UnknownNameError, match="no objective named 'lasso'"):
        create("lasso", X=X, y=X @ theta)
    with pytest.raises(gd.UnknownKeyError, match="'l1'"):
        create("least_squares", X=X, y=X @ theta, l1=0.5)
    with pytest.raises(gd.InvalidArgumentError, match="l2 must be finite and >= 0"):
        LeastSquares(X, X @ theta, l2=-1)
    with pytest.raises(gd.InvalidArgumentError, match="labels\\[2\\]"):
        Softmax(X, [0, 1, 5] + [0] * 17, classes=3)
    with pytest.raises(gd.InvalidArgumentError, match="not a label in"):
        Logistic(X, np.full(20, 2.0))
    with pytest.raises(gd.DimensionMismatchError):
        create("least_squares", 4, X=X, y=X @ theta)
    with pytest.raises(TypeError, match="labels must be integers"):
        Softmax(X, np.full(20, 0.5), classes=3)
    obj = LeastSquares(X, X @ theta)
    with pytest.raises(ValueError, match="shape"):
        obj(np.zeros(4))
    with pytest.raises(gd.DimensionMismatchError):
        gd.minimize(obj, np.zeros(4))


def test_create_by_name_equals_the_class():
    X, theta, _ = regression_data(m=40, d=3)
    y = X @ theta + 1
    by_name = create("least_squares", X=X, y=y, l2=0.5)
    by_class = LeastSquares(X, y, l2=0.5)
    assert by_name(theta)[0] == by_class(theta)[0]
    assert create("rosenbrock", 3, b=10.0).loss(np.array([0.0, 1.0, 1.0])) == pytest.approx(10.0 + 1.0)


def test_registry_lists_the_built_ins():
    entries = {entry.name: entry for entry in registry()}
    assert list(entries)[:5] == ["least_squares", "logistic", "softmax", "rosenbrock", "quadratic"]
    assert entries["least_squares"].params == {"l2": 0.0}
    assert entries["least_squares"].data == ("X", "y") and entries["least_squares"].sampled
    assert entries["softmax"].data == ("X", "labels")
    assert entries["rosenbrock"].params == {"a": 1.0, "b": 100.0} and not entries["rosenbrock"].sampled
    assert all(entries[name].source == "built-in" for name in list(entries)[:5])
