"""minimize() reaches known solutions in every callback form, reports how it stopped,
and gives bit-identical runs for a seed."""

from __future__ import annotations

import time

import numpy as np
import pytest

import gradient_descent as gd
from problems import FORMS, LeastSquares, Rosenbrock, form


@pytest.fixture(scope="module")
def noisy():
    return LeastSquares(m=120, d=4, noise=0.3, seed=1)


@pytest.fixture(scope="module")
def exact():
    # b = A x* exactly: every sample's gradient vanishes at x*, so SGD converges to it.
    return LeastSquares(m=60, d=4, noise=0.0, seed=2)


@pytest.mark.parametrize("name", FORMS)
def test_full_batch_reaches_the_least_squares_solution(noisy, name):
    fun, jac = form(noisy, name, sampled=False)
    result = gd.minimize(fun, np.zeros(noisy.d), jac=jac, optimizer=gd.Adam(lr=0.05),
                         gradient_tolerance=1e-10, max_iterations=20_000)
    assert result.success and result.status == 0
    assert result.stop_reason == gd.StopReason.GRADIENT_TOLERANCE
    np.testing.assert_allclose(result.x, noisy.solution, rtol=0, atol=1e-8)
    loss, grad = noisy.loss_grad(result.x)
    assert result.fun == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(result.jac, grad, rtol=0, atol=1e-15)
    assert np.linalg.norm(result.jac) <= 1e-10
    assert result.nfev == result.nit + 2  # one per update, the converged check, and jac
    assert result.epochs == 0


@pytest.mark.parametrize("name", FORMS)
def test_mini_batch_reaches_the_least_squares_solution(exact, name):
    fun, jac = form(exact, name, sampled=True)
    result = gd.minimize(fun, np.zeros(exact.d), jac=jac, optimizer=gd.SGD(lr=0.05),
                         samples=exact.m, batch_size=8, max_epochs=500, max_iterations=None,
                         gradient_tolerance=1e-10, seed=3)
    assert result.stop_reason == gd.StopReason.GRADIENT_TOLERANCE
    np.testing.assert_allclose(result.x, exact.solution, rtol=0, atol=1e-9)
    assert 0 < result.epochs < 500
    # 60 samples in batches of 8: 7 full batches and a short one per epoch.
    assert result.nit == 8 * result.epochs


@pytest.mark.parametrize("name", FORMS)
def test_full_batch_reaches_the_rosenbrock_minimum(name):
    problem = Rosenbrock(2)
    fun, jac = form(problem, name, sampled=False)
    result = gd.minimize(fun, problem.start, jac=jac, optimizer=gd.Adam(lr=0.02),
                         gradient_tolerance=1e-8, max_iterations=20_000)
    assert result.stop_reason == gd.StopReason.GRADIENT_TOLERANCE
    np.testing.assert_allclose(result.x, np.ones(2), atol=1e-6)
    assert result.fun < 1e-14


@pytest.mark.parametrize("name", FORMS)
def test_mini_batch_reaches_the_rosenbrock_minimum(name):
    problem = Rosenbrock(3)  # two terms, one per batch
    fun, jac = form(problem, name, sampled=True)
    result = gd.minimize(fun, problem.start, jac=jac, optimizer=gd.SGD(lr=5e-4, momentum=0.9),
                         samples=2, batch_size=1, max_epochs=20_000, max_iterations=None,
                         gradient_tolerance=1e-8, seed=1)
    assert result.stop_reason == gd.StopReason.GRADIENT_TOLERANCE
    np.testing.assert_allclose(result.x, np.ones(3), atol=1e-6)


def test_the_default_optimizer_is_adam_with_pytorch_defaults(noisy):
    with_default = gd.minimize(noisy.inplace, np.zeros(noisy.d), max_iterations=50)
    with_adam = gd.minimize(noisy.inplace, np.zeros(noisy.d), optimizer=gd.Adam(),
                            max_iterations=50)
    np.testing.assert_array_equal(with_default.x, with_adam.x)
    by_name = gd.minimize(noisy.inplace, np.zeros(noisy.d), optimizer="adam", max_iterations=50)
    np.testing.assert_array_equal(by_name.x, with_adam.x)


def test_an_optimizer_keeps_its_state_across_calls_until_reset(noisy):
    opt = gd.Adam(lr=0.05)
    first = gd.minimize(noisy.inplace, np.zeros(noisy.d), optimizer=opt, max_iterations=20)
    second = gd.minimize(noisy.inplace, np.zeros(noisy.d), optimizer=opt, max_iterations=20)
    assert not np.array_equal(first.x, second.x)
    opt.reset()
    third = gd.minimize(noisy.inplace, np.zeros(noisy.d), optimizer=opt, max_iterations=20)
    np.testing.assert_array_equal(first.x, third.x)
    assert opt.n == noisy.d
    opt.close()


def test_x0_is_not_modified_and_a_non_contiguous_x0_is_copied(noisy):
    storage = np.zeros(2 * noisy.d)
    x0 = storage[::2]
    result = gd.minimize(noisy.inplace, x0, max_iterations=10)
    assert np.all(storage == 0)
    assert result.x.flags.c_contiguous and result.x.dtype == np.float64


def test_integer_and_float32_x0_are_converted(noisy):
    a = gd.minimize(noisy.inplace, [0, 0, 0, 0], max_iterations=10)
    b = gd.minimize(noisy.inplace, np.zeros(noisy.d, dtype=np.float32), max_iterations=10)
    c = gd.minimize(noisy.inplace, np.zeros(noisy.d), max_iterations=10)
    np.testing.assert_array_equal(a.x, c.x)
    np.testing.assert_array_equal(b.x, c.x)


# ---- sampling ---------------------------------------------------------------------------

def _sampled_run(problem, seed, shuffle=True, history=True):
    return gd.minimize(problem.inplace_sampled, np.zeros(problem.d), optimizer=gd.SGD(lr=0.02),
                       samples=problem.m, batch_size=7, max_epochs=3, max_iterations=None,
                       seed=seed, shuffle=shuffle, history=history)


def test_the_same_seed_gives_bit_identical_runs(noisy):
    a = _sampled_run(noisy, seed=11)
    b = _sampled_run(noisy, seed=11)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.history, b.history)
    c = _sampled_run(noisy, seed=12)
    assert not np.array_equal(a.x, c.x)


def test_every_sample_is_seen_once_per_epoch_in_batches_of_the_requested_size(noisy):
    seen = []
    kinds = set()

    def fun(x, grad, idx):
        seen.append(idx.copy())
        kinds.add((idx.dtype, idx.flags.writeable))
        return noisy.inplace_sampled(x, grad, idx)

    result = gd.minimize(fun, np.zeros(noisy.d), optimizer=gd.SGD(lr=0.01), samples=noisy.m,
                         batch_size=50, max_epochs=2, max_iterations=None, seed=5)
    assert result.epochs == 2 and result.nit == 6  # 120 = 50 + 50 + 20, twice
    batches = seen[:result.nit]
    assert [len(b) for b in batches] == [50, 50, 20, 50, 50, 20]
    for epoch in range(2):
        indices = np.concatenate(batches[3 * epoch:3 * epoch + 3])
        assert sorted(indices.tolist()) == list(range(noisy.m))
    assert not np.array_equal(np.concatenate(batches[:3]), np.arange(noisy.m))  # shuffled
    assert kinds == {(np.dtype(np.intp), False)}


def test_shuffle_false_visits_samples_in_order(noisy):
    seen = []

    def fun(x, grad, idx):
        seen.append(idx.copy())
        return noisy.inplace_sampled(x, grad, idx)

    gd.minimize(fun, np.zeros(noisy.d), optimizer=gd.SGD(lr=0.01), samples=noisy.m,
                batch_size=40, max_epochs=1, max_iterations=None, shuffle=False)
    np.testing.assert_array_equal(np.concatenate(seen[:3]), np.arange(noisy.m))


# ---- stop reasons -------------------------------------------------------------------------

def test_max_iterations(noisy):
    result = gd.minimize(noisy.inplace, np.zeros(noisy.d), max_iterations=7)
    assert result.stop_reason == gd.StopReason.MAX_ITERATIONS and result.nit == 7
    assert result.success and result.message == "reached max_iterations"


def test_max_epochs(noisy):
    result = _sampled_run(noisy, seed=0)
    assert result.stop_reason == gd.StopReason.MAX_EPOCHS
    assert result.epochs == 3 and result.nit == 3 * 18  # ceil(120 / 7) batches per epoch


def test_gradient_tolerance(noisy):
    result = gd.minimize(noisy.inplace, np.zeros(noisy.d), optimizer=gd.Adam(lr=0.05),
                         gradient_tolerance=1e-6)
    assert result.stop_reason == gd.StopReason.GRADIENT_TOLERANCE
    assert np.linalg.norm(result.jac) <= 1e-6


def test_loss_tolerance_with_patience(noisy):
    losses = []

    def fun(x, grad):
        loss = noisy.inplace(x, grad)
        losses.append(loss)
        return loss

    result = gd.minimize(fun, np.zeros(noisy.d), optimizer=gd.Adam(lr=0.05),
                         loss_tolerance=1e-9, patience=3, max_iterations=50_000)
    assert result.stop_reason == gd.StopReason.LOSS_TOLERANCE
    # The last 3 checks each changed the loss by at most the tolerance (the final call
    # of fun is minimize's evaluation of jac at the returned x).
    checked = np.array(losses[-5:-1])
    assert np.all(np.abs(np.diff(checked)) <= 1e-9 * np.maximum(1, np.abs(checked[1:])))


def test_target_loss(noisy):
    target = noisy.loss_grad(noisy.solution)[0] * 1.5
    result = gd.minimize(noisy.inplace, np.zeros(noisy.d), optimizer=gd.Adam(lr=0.05),
                         target_loss=target)
    assert result.stop_reason == gd.StopReason.TARGET_LOSS
    assert result.fun <= target


def test_time_limit(noisy):
    def slow(x, grad):
        time.sleep(0.002)
        return noisy.inplace(x, grad)

    start = time.perf_counter()
    result = gd.minimize(slow, np.zeros(noisy.d), time_limit=0.05, max_iterations=None)
    assert result.stop_reason == gd.StopReason.TIME_LIMIT
    assert 0.05 <= result.seconds < 2.0
    assert time.perf_counter() - start < 2.0


def test_a_callback_returning_true_stops_the_run(noisy):
    seen = []

    def callback(info):
        seen.append((info.iteration, info.epoch, info.loss, info.gradient_norm, info.lr))
        return info.iteration == 5

    result = gd.minimize(noisy.inplace, np.zeros(noisy.d), optimizer=gd.SGD(lr=0.01),
                         callback=callback, history=True)
    assert result.stop_reason == gd.StopReason.PROGRESS and result.nit == 5
    assert [s[0] for s in seen] == [1, 2, 3, 4, 5]
    assert all(s[1] == 0 and s[4] == 0.01 for s in seen)
    np.testing.assert_array_equal([s[2] for s in seen], result.history)


def test_a_callback_raising_stop_iteration_stops_the_run_like_scipy(noisy):
    def callback(info):
        if info.iteration == 3:
            raise StopIteration

    result = gd.minimize(noisy.inplace, np.zeros(noisy.d), callback=callback)
    assert result.stop_reason == gd.StopReason.PROGRESS and result.nit == 3


def test_a_non_finite_loss_ends_the_run_with_the_last_finite_iterate(noisy):
    xs = []

    def fun(x, grad):
        xs.append(x.copy())
        loss = noisy.inplace(x, grad)
        return np.nan if len(xs) == 6 else loss

    result = gd.minimize(fun, np.zeros(noisy.d), optimizer=gd.SGD(lr=0.1))
    assert not result.success
    assert result.status == gd.NonFiniteError.status
    assert result.stop_reason == gd.StopReason.NON_FINITE
    assert "nan" in result.message.lower()
    np.testing.assert_array_equal(result.x, xs[4])
    assert result.nit == 5


def test_a_diverging_run_reports_non_finite():
    def fun(x, grad):
        grad[:] = 2 * x
        with np.errstate(over="ignore"):
            return float(x @ x)

    result = gd.minimize(fun, np.ones(3), optimizer=gd.SGD(lr=10.0), max_iterations=10_000)
    assert result.stop_reason == gd.StopReason.NON_FINITE and not result.success
    assert np.all(np.isfinite(result.x))


# ---- what the callback and the result show -------------------------------------------------

def test_callback_sees_a_read_only_x_equal_to_the_iterate(noisy):
    xs = []

    def callback(info):
        assert not info.x.flags.writeable
        with pytest.raises(ValueError):
            info.x[0] = 1.0
        xs.append(info.x.copy())

    result = gd.minimize(noisy.inplace, np.zeros(noisy.d), callback=callback, max_iterations=4)
    np.testing.assert_array_equal(xs[-1], result.x)
    assert len(xs) == 4 and not np.array_equal(xs[0], xs[1])


def test_fun_sees_a_read_only_x_and_a_writable_grad(noisy):
    flags = []

    def fun(x, grad):
        flags.append((x.flags.writeable, grad.flags.writeable, x.shape, grad.shape))
        return noisy.inplace(x, grad)

    gd.minimize(fun, np.zeros(noisy.d), max_iterations=3)
    assert set(flags) == {(False, True, (noisy.d,), (noisy.d,))}


def test_history_holds_the_loss_of_every_iteration_beyond_the_first_allocation(noisy):
    losses = []

    def fun(x, grad):
        loss = noisy.inplace(x, grad)
        losses.append(loss)
        return loss

    result = gd.minimize(fun, np.zeros(noisy.d), optimizer=gd.SGD(lr=1e-4), history=True,
                         max_iterations=None, max_epochs=None, time_limit=None,
                         callback=lambda info: info.iteration >= 3000)
    assert result.history.shape == (3000,)
    np.testing.assert_array_equal(result.history, losses[:3000])


def test_the_result_has_scipys_fields_and_attribute_access(noisy):
    result = gd.minimize(noisy.inplace, np.zeros(noisy.d), max_iterations=3)
    for key in ("x", "fun", "jac", "nit", "nfev", "success", "status", "message",
                "stop_reason", "epochs", "seconds", "best_fun"):
        assert key in result and getattr(result, key) is result[key]
    assert "history" not in result
    assert result.best_fun <= result.history[0] if "history" in result else True
    assert "message" in repr(result)
    with pytest.raises(AttributeError):
        result.nonexistent


def test_samples_without_batch_size_runs_full_batch_over_all_samples(noisy):
    counts = set()

    def fun(x, grad, idx):
        counts.add(len(idx))
        return noisy.inplace_sampled(x, grad, idx)

    result = gd.minimize(fun, np.zeros(noisy.d), samples=noisy.m, optimizer=gd.Adam(lr=0.05),
                         gradient_tolerance=1e-9, max_iterations=20_000)
    assert counts == {noisy.m} and result.epochs == 0
    np.testing.assert_allclose(result.x, noisy.solution, atol=1e-8)
