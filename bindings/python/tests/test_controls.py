"""Training controls from Python: schedules against PyTorch's closed forms, reduce-on-plateau
against a scripted loss sequence, clipping, the non-finite policies, the best iterate, saved
states and bit-identical resume for every rule, custom update rules, the gradient check."""

import math

import numpy as np
import pytest

import gradient_descent as gd
from gradient_descent.optimizers import OPTIMIZERS

# ---- problems ---------------------------------------------------------------------------

CENTER = np.array([1.0, 2.0, 3.0])


def bowl(x, grad):
    """1/2 ||x - c||^2"""
    d = x - CENTER
    grad[:] = d
    return 0.5 * float(d @ d)


ROWS = np.array([[1.0, s / 10, s % 3 - 1] for s in range(10)])
TARGETS = np.sin(np.arange(10.0))


def regression(x, grad, idx):
    """Mean of 1/2 (a_s.x - b_s)^2 over the batch (the C tests' data)."""
    a = ROWS[idx]
    r = a @ x - TARGETS[idx]
    grad[:] = a.T @ r / len(idx)
    return 0.5 * float(r @ r) / len(idx)


# ---- schedules ---------------------------------------------------------------------------

CLOSED_FORMS = [
    (lambda: gd.ConstantLR(factor=0.5, total_iters=10),
     lambda e, lr: lr * (0.5 + (e >= 10) * (1 - 0.5))),
    (lambda: gd.StepLR(step_size=7, gamma=0.5), lambda e, lr: lr * 0.5 ** (e // 7)),
    (lambda: gd.ExponentialLR(gamma=0.95), lambda e, lr: lr * 0.95 ** e),
    (lambda: gd.CosineAnnealingLR(T_max=50, eta_min=0.001),
     lambda e, lr: 0.001 + (lr - 0.001) * (1 + math.cos(math.pi * e / 50)) / 2),
    (lambda: gd.LinearLR(start_factor=0.25, end_factor=1.0, total_iters=20),
     lambda e, lr: lr * (0.25 + (1.0 - 0.25) * min(20, e) / 20)),
    (lambda: gd.WarmupCosine(warmup_steps=10, T_max=90, start_factor=0.1),
     lambda e, lr: lr * (0.1 + (1.0 - 0.1) * min(10, e) / 10) if e < 10
     else 0.0 + (lr - 0.0) * (1 + math.cos(math.pi * (e - 10) / 90)) / 2),
]


@pytest.mark.parametrize("make, form", CLOSED_FORMS)
def test_schedules_follow_pytorch_closed_forms_over_100_steps(make, form):
    with make() as schedule:
        lr = schedule.start(0.1)
        for e in range(100):
            assert lr == pytest.approx(form(e, 0.1), rel=1e-15, abs=0)
            lr = schedule.step()


def test_reduce_on_plateau_reduces_where_a_scripted_sequence_says():
    schedule = gd.ReduceLROnPlateau(factor=0.5, patience=2, threshold=0.1, cooldown=1, min_lr=0.01)
    assert schedule.start(1.0) == 1.0
    losses = [10, 9, 8.5, 8.4, 8.3, 8.2] + [5] * 34
    rates = [schedule.step(loss) for loss in losses]
    changes = [i + 1 for i, (a, b) in enumerate(zip(rates, [1.0] + rates)) if a != b]
    assert changes == [6, 10, 14, 18, 22, 26, 30]
    assert rates[-1] == 0.01
    with pytest.raises(ValueError):
        gd.ReduceLROnPlateau(mode="lowest")


def test_schedule_arguments_are_checked_by_the_library():
    with pytest.raises(gd.InvalidArgumentError):
        gd.StepLR(step_size=0)
    with pytest.raises(gd.UnknownNameError):
        gd.Schedule("cosin")
    with pytest.raises(gd.UnknownKeyError):
        gd.Schedule("step", t_max=3)
    schedule = gd.Schedule("cosine")
    with pytest.raises(gd.InvalidArgumentError, match="t_max"):
        schedule.start(0.1)
    assert math.isnan(schedule.lr)


def test_minimize_sets_the_lr_of_every_update_from_the_schedule():
    seen = []
    result = gd.minimize(bowl, np.zeros(3), optimizer=gd.SGD(lr=0.4), max_iterations=9,
                         schedule=gd.StepLR(step_size=3, gamma=0.5),
                         callback=lambda info: seen.append(info.lr))
    assert seen == [0.4 * 0.5 ** (k // 3) for k in range(9)]
    x = np.zeros(3)
    for lr in seen:
        x = x - lr * (x - CENTER)
    assert np.array_equal(result.x, x)


def test_a_function_schedule_per_epoch_sees_the_epochs_mean_batch_loss():
    calls = []
    batch_losses = []

    def fun(x, grad, idx):
        loss = regression(x, grad, idx)
        batch_losses.append(loss)
        return loss

    def schedule(iteration, epoch, lr, loss):
        calls.append((iteration, epoch, lr, loss))
        return lr if math.isnan(loss) else lr / 2

    gd.minimize(fun, np.zeros(3), optimizer=gd.Adam(lr=0.08), samples=10, batch_size=5,
                max_iterations=0, max_epochs=3, schedule=gd.Schedule(schedule),
                schedule_per_epoch=True)
    assert [(i, e) for i, e, _, _ in calls] == [(0, 0), (2, 1), (4, 2), (6, 3)]
    assert [lr for _, _, lr, _ in calls] == [0.08, 0.08, 0.04, 0.02]
    assert math.isnan(calls[0][3])
    epoch_means = [(batch_losses[2 * e] + batch_losses[2 * e + 1]) / 2 for e in range(3)]
    # The full evaluation at the end also lands in batch_losses, after the last epoch.
    assert [loss for _, _, _, loss in calls[1:]] == epoch_means


def test_an_exception_in_a_schedule_function_is_reraised():
    def broken(iteration, epoch, lr, loss):
        if iteration >= 3:
            raise KeyError("schedule broke")
        return lr

    with pytest.raises(KeyError, match="schedule broke") as caught:
        gd.minimize(bowl, np.zeros(3), optimizer=gd.SGD(lr=0.1), schedule=gd.Schedule(broken))
    assert caught.value.result.nit == 3


def test_a_schedule_state_dict_continues_the_sequence():
    a = gd.ReduceLROnPlateau(patience=0, factor=0.5)
    a.start(1.0)
    for loss in (3, 2, 2.5, 2.6):
        a.step(loss)
    b = gd.ReduceLROnPlateau()
    b.load_state_dict(a.state_dict())
    for loss in (2.7, 1.0, 1.5):
        assert a.step(loss) == b.step(loss)
    with pytest.raises(gd.BadStateError):
        gd.StepLR(3).load_state_dict(a.state_dict())


# ---- clipping, non-finite policy, best iterate ------------------------------------------------

def test_clipping_reproduces_clip_grad_norm_and_clip_grad_value():
    center = np.array([3.0, 4.0, 0.0])

    def fun(x, grad):
        grad[:] = x - center
        return 0.5 * float((x - center) @ (x - center))

    coef = 1.0 / (5.0 + 1e-6)
    result = gd.minimize(fun, np.zeros(3), optimizer=gd.SGD(lr=1.0), max_iterations=1, clip_norm=1.0)
    assert result.x.tolist() == [3 * coef, 4 * coef, 0.0]
    assert result.clipped_steps == 1
    result = gd.minimize(fun, np.zeros(3), optimizer=gd.SGD(lr=1.0), max_iterations=1,
                         clip_norm=1.0, clip_value=0.7)
    assert result.x.tolist() == [3 * coef, 0.7, 0.0]
    with pytest.raises(gd.InvalidArgumentError, match="clip_norm"):
        gd.minimize(fun, np.zeros(3), clip_norm=-1)


def test_skip_rejects_a_nan_and_keeps_the_clean_trajectory():
    clean = gd.minimize(bowl, np.zeros(3), optimizer=gd.Adam(lr=0.1), max_iterations=8)
    calls = 0

    def faulty(x, grad):
        nonlocal calls
        calls += 1
        loss = bowl(x, grad)
        return math.nan if calls == 4 else loss

    failed = gd.minimize(faulty, np.zeros(3), optimizer=gd.Adam(lr=0.1), max_iterations=8)
    assert not failed.success and failed.stop_reason == gd.StopReason.NON_FINITE
    calls = 0
    skipped = gd.minimize(faulty, np.zeros(3), optimizer=gd.Adam(lr=0.1), max_iterations=8,
                          nonfinite="skip")
    assert skipped.success and skipped.skipped_steps == 1
    assert np.array_equal(skipped.x, clean.x)
    with pytest.raises(ValueError, match="nonfinite"):
        gd.minimize(bowl, np.zeros(3), nonfinite="ignore")


def test_skip_fails_after_max_consecutive_skips():
    calls = 0

    def faulty(x, grad):
        nonlocal calls
        calls += 1
        loss = bowl(x, grad)
        return math.nan if calls >= 3 else loss

    result = gd.minimize(faulty, np.zeros(3), optimizer=gd.SGD(lr=0.5), nonfinite="skip",
                         max_consecutive_skips=4)
    assert not result.success and result.skipped_steps == 4 and result.nit == 2
    assert result.x.tolist() == [0.5, 1.0, 1.5]


def test_keep_best_returns_the_best_iterate_of_a_diverging_run():
    result = gd.minimize(bowl, np.zeros(3), optimizer=gd.SGD(lr=2.1), max_iterations=5,
                         keep_best=True)
    assert result.returned_best and result.x.tolist() == [0.0, 0.0, 0.0]
    assert result.fun == 7.0 and result.best_fun == 7.0 and result.best_iteration == 0
    last = gd.minimize(bowl, np.zeros(3), optimizer=gd.SGD(lr=2.1), max_iterations=5)
    assert not last.returned_best and last.fun > 7.0


# ---- saved states and resume ----------------------------------------------------------------

def test_optimizer_state_dict_round_trip_and_bad_blobs():
    opt = gd.Adam(lr=0.02, amsgrad=True)
    x = np.array([1.0, -2.0, 3.0])
    for t in range(5):
        opt.step(x, np.sin(np.arange(3.0) + t))
    state = opt.state_dict()
    assert state[:8] == b"GDSTATE\0"
    copy = gd.Optimizer.from_state(state)
    assert isinstance(copy, gd.Adam) and copy.lr == 0.02 and copy.get("amsgrad") == 1.0
    y = x.copy()
    for t in range(5, 10):
        g = np.sin(np.arange(3.0) + t)
        opt.step(x, g)
        copy.step(y, g)
    assert np.array_equal(x, y)
    for bad in (state[:-1], state[:10], state[:-1] + bytes([state[-1] ^ 1])):
        with pytest.raises(gd.BadStateError):
            gd.Adam(n=3).load_state_dict(bad)
    with pytest.raises(gd.BadStateError, match="adam"):
        gd.SGD(n=3).load_state_dict(state)
    with pytest.raises(gd.BadStateError):
        gd.Adam(n=4).load_state_dict(state)
    with pytest.raises(ValueError, match="first use"):
        gd.Adam().state_dict()


SETTINGS = {
    "sgd": dict(lr=0.05, momentum=0.9, nesterov=True),
    "adam": dict(lr=0.05, amsgrad=True),
    "adamw": dict(lr=0.05),
    "rmsprop": dict(lr=0.01, centered=True, momentum=0.5),
    "adagrad": dict(lr=0.1, initial_accumulator_value=0.1),
    "adadelta": dict(lr=1.0),
    "adamax": dict(lr=0.05),
    "nadam": dict(lr=0.05),
    "radam": dict(lr=0.05),
    "rprop": dict(lr=0.05),
    "asgd": dict(lr=0.05, t0=3),
}


@pytest.mark.parametrize("rule", list(SETTINGS))
@pytest.mark.parametrize("batch_size", [None, 3])
def test_resume_from_saved_bytes_is_bit_identical(rule, batch_size):
    cls = OPTIMIZERS[rule]

    def options(schedule, run_state, iterations):
        common = dict(max_iterations=iterations, schedule=schedule, run_state=run_state,
                      clip_norm=0.5, keep_best=True, seed=9)
        if batch_size:
            return dict(common, samples=10, batch_size=batch_size, schedule_per_epoch=True)
        return common

    def make_schedule():
        return (gd.ReduceLROnPlateau(patience=0, factor=0.5, threshold=0.3) if batch_size
                else gd.CosineAnnealingLR(T_max=12))

    fun = regression if batch_size else (lambda x, grad: regression(x, grad, np.arange(10)))
    x0 = np.array([0.5, -0.5, 0.25])
    for split in (5, 8):
        straight_opt = cls(**SETTINGS[rule])
        straight = gd.minimize(fun, x0, optimizer=straight_opt,
                               **options(make_schedule(), None, 2 * split))

        first_opt, first_schedule, first_run = cls(**SETTINGS[rule]), make_schedule(), gd.RunState()
        first = gd.minimize(fun, x0, optimizer=first_opt, **options(first_schedule, first_run, split))
        saved = (first.x.copy(), first_opt.state_dict(), first_schedule.state_dict(),
                 first_run.state_dict())
        del first_opt, first_schedule, first_run

        second_opt = gd.Optimizer.from_state(saved[1])
        second_schedule = make_schedule()
        second_schedule.load_state_dict(saved[2])
        second_run = gd.RunState.from_state(saved[3])
        second = gd.minimize(fun, saved[0], optimizer=second_opt,
                             **options(second_schedule, second_run, 2 * split))
        assert second.nit == 2 * split
        assert np.array_equal(second.x, straight.x), f"split at {split}"
        assert second_opt.state_dict() == straight_opt.state_dict()


# ---- custom update rules -------------------------------------------------------------------

def sgd_rule(x, grad, lr, step, state):
    x += -lr * grad


def momentum_rule(x, grad, lr, step, state):
    buf = state[0]
    if step == 1:
        buf[:] = grad
    else:
        buf *= 0.9
        buf += 1.0 * grad
    x += -lr * buf


def test_a_python_rule_implementing_sgd_equals_the_builtin_bit_for_bit():
    custom = gd.minimize(bowl, np.zeros(3), optimizer=gd.CustomOptimizer(sgd_rule, lr=0.07),
                         max_iterations=25)
    builtin = gd.minimize(bowl, np.zeros(3), optimizer=gd.SGD(lr=0.07), max_iterations=25)
    assert np.array_equal(custom.x, builtin.x)

    kwargs = dict(samples=10, batch_size=4, max_iterations=30, seed=3)
    opt = gd.CustomOptimizer(momentum_rule, state_size=1, lr=0.05)
    a = gd.minimize(regression, np.zeros(3), optimizer=opt, schedule=gd.StepLR(5, 0.5), **kwargs)
    b = gd.minimize(regression, np.zeros(3), optimizer=gd.SGD(lr=0.05, momentum=0.9),
                    schedule=gd.StepLR(5, 0.5), **kwargs)
    assert np.array_equal(a.x, b.x)
    state = opt.state_dict()
    assert b"custom" in state


def test_a_registered_rule_is_found_by_name_and_saves_its_state():
    gd.register_rule("py_momentum", momentum_rule, state_size=1)
    try:
        with pytest.raises(gd.InvalidArgumentError, match="already registered"):
            gd.register_rule("py_momentum", momentum_rule, state_size=1)
        opt = gd.CustomOptimizer(name="py_momentum", lr=0.05)
        x = np.zeros(3)
        for _ in range(3):
            opt.step(x, np.ones(3))
        copy = gd.CustomOptimizer(name="py_momentum")
        copy.load_state_dict(opt.state_dict())
        y = x.copy()
        opt.step(x, np.ones(3))
        copy.step(y, np.ones(3))
        assert np.array_equal(x, y) and copy.lr == 0.05
    finally:
        gd.unregister_rule("py_momentum")
    with pytest.raises(gd.InvalidArgumentError):
        gd.register_rule("adam", sgd_rule)


def test_an_exception_in_a_rule_is_reraised_from_step_and_minimize():
    def broken(x, grad, lr, step, state):
        if step == 3:
            raise ZeroDivisionError("rule broke")
        x -= lr * grad

    opt = gd.CustomOptimizer(broken, lr=0.1)
    with pytest.raises(ZeroDivisionError, match="rule broke") as caught:
        gd.minimize(bowl, np.zeros(3), optimizer=opt, max_iterations=10)
    assert caught.value.result.nit == 2
    opt.reset()
    x = np.zeros(3)
    opt.step(x, np.ones(3))
    opt.step(x, np.ones(3))
    with pytest.raises(ZeroDivisionError):
        opt.step(x, np.ones(3))


# ---- gradient check --------------------------------------------------------------------------

def test_check_gradient_passes_a_right_gradient_and_names_a_wrong_component():
    def fun(x, grad):
        grad[:] = [2 * x[0] + x[1], 4 * x[1] + x[0], 6 * x[2] + math.exp(x[2])]
        return x[0] ** 2 + 2 * x[1] ** 2 + 3 * x[2] ** 2 + x[0] * x[1] + math.exp(x[2])

    x = np.array([0.3, -1.2, 0.5])
    good = gd.check_gradient(fun, x)
    assert good.ok() and good.error < 1e-8 and good.evaluations == 7

    def wrong(x, grad):
        loss = fun(x, grad)
        grad[1] *= 1.01
        return loss

    bad = gd.check_gradient(wrong, x)
    assert bad.index == 1 and not bad.ok()
    assert bad.analytic == pytest.approx(-4.5 * 1.01, rel=1e-12)
    assert bad.numeric == pytest.approx(-4.5, rel=1e-8)
    assert bad.rel_error == pytest.approx(0.045 / 4.545, rel=1e-6)

    pair = gd.check_gradient(lambda x: (float(x @ x), 2 * x), x, jac=True)
    assert pair.ok()
    objective = gd.objectives.Rosenbrock(4)
    assert gd.check_gradient(objective, np.array([0.5, -0.3, 1.2, 0.8])).ok(1e-6)
    with pytest.raises(RuntimeError, match="fun broke"):
        gd.check_gradient(lambda x, g: (_ for _ in ()).throw(RuntimeError("fun broke")), x)
