"""Wrong input gets a clear Python error before anything reaches the library."""

from __future__ import annotations

import numpy as np
import pytest

import gradient_descent as gd


def quadratic(x, grad):
    grad[:] = 2 * x
    return float(x @ x)


# ---- minimize: x0 -------------------------------------------------------------------------

@pytest.mark.parametrize("x0", [
    np.zeros(3, dtype=complex),
    np.array([1.0, "a"], dtype=object),
    np.array(["1.0", "2.0"]),
    "abc",
    [1 + 2j, 3],
])
def test_x0_that_is_not_real_is_a_type_error(x0):
    with pytest.raises(TypeError, match="x0"):
        gd.minimize(quadratic, x0)


@pytest.mark.parametrize("x0", [np.zeros((2, 2)), 1.0, np.zeros((1, 3))])
def test_x0_that_is_not_1d_is_a_value_error(x0):
    with pytest.raises(ValueError, match=r"x0 must be 1-D, got shape"):
        gd.minimize(quadratic, x0)


def test_empty_x0_is_a_value_error():
    with pytest.raises(ValueError, match="empty"):
        gd.minimize(quadratic, [])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_x0_is_a_value_error_naming_the_index(bad):
    with pytest.raises(ValueError, match=r"x0\[1\]"):
        gd.minimize(quadratic, [0.0, bad, 1.0])


# ---- minimize: what the user's functions return --------------------------------------------

def test_jac_true_returning_a_gradient_of_the_wrong_shape_names_both_shapes():
    def fun(x):
        return float(x @ x), np.zeros(2)

    with pytest.raises(ValueError, match=r"shape \(2,\).*\(3,\)"):
        gd.minimize(fun, np.ones(3), jac=True)


def test_jac_true_returning_a_scalar_gradient_is_not_broadcast():
    with pytest.raises(ValueError, match=r"shape \(\)"):
        gd.minimize(lambda x: (1.0, 0.0), np.ones(3), jac=True)


def test_jac_returning_the_wrong_shape_names_both_shapes():
    with pytest.raises(ValueError, match=r"jac returned a gradient of shape \(3, 1\)"):
        gd.minimize(lambda x: float(x @ x), np.ones(3), jac=lambda x: np.zeros((3, 1)))


def test_a_gradient_list_of_the_right_length_is_accepted():
    result = gd.minimize(lambda x: (float(x @ x), list(2 * x)), np.ones(3), jac=True,
                         optimizer=gd.SGD(lr=0.1), max_iterations=50)
    assert np.all(np.abs(result.x) < 1e-3)


def test_fun_returning_no_loss_is_a_type_error():
    def fun(x, grad):
        grad[:] = 2 * x

    with pytest.raises(TypeError, match="fun must return the loss as a real number, got NoneType"):
        gd.minimize(fun, np.ones(3))


def test_jac_true_returning_a_bare_loss_is_a_type_error():
    with pytest.raises(TypeError, match=r"\(loss, grad\)"):
        gd.minimize(lambda x: 1.0, np.ones(3), jac=True)


# ---- minimize: options ---------------------------------------------------------------------

def test_an_unknown_keyword_is_a_type_error():
    with pytest.raises(TypeError, match="tol"):
        gd.minimize(quadratic, np.ones(3), tol=1e-6)


def test_positional_options_are_refused():
    with pytest.raises(TypeError):
        gd.minimize(quadratic, np.ones(3), None)


@pytest.mark.parametrize("keyword, value, error", [
    ("max_iterations", -1, ValueError),
    ("max_iterations", 1.5, TypeError),
    ("max_epochs", -2, ValueError),
    ("seed", -1, ValueError),
    ("seed", 2**64, ValueError),
    ("patience", "3", TypeError),
    ("batch_size", 2, ValueError),
    ("gradient_tolerance", "small", TypeError),
    ("optimizer", "newton", gd.UnknownNameError),
    ("optimizer", 3, TypeError),
    ("callback", 3, TypeError),
    ("jac", 3, TypeError),
    ("jac", "cs", ValueError),
    ("jac", False, ValueError),
])
def test_bad_options(keyword, value, error):
    with pytest.raises(error, match=keyword if keyword != "optimizer" else "optimizer"):
        gd.minimize(quadratic, np.ones(3), **{keyword: value})


def test_batch_size_larger_than_the_sample_count():
    with pytest.raises(ValueError, match=r"batch_size \(11\) is larger than samples \(10\)"):
        gd.minimize(lambda x, g, i: 0.0, np.ones(3), samples=10, batch_size=11)


def test_fun_must_be_callable():
    with pytest.raises(TypeError, match="fun must be callable"):
        gd.minimize(None, np.ones(3))


# ---- Optimizer.step ------------------------------------------------------------------------

def test_step_refuses_an_x_it_cannot_update_in_place():
    opt = gd.SGD(lr=0.1)
    with pytest.raises(TypeError, match="float64"):
        opt.step(np.zeros(3, dtype=np.float32), np.zeros(3))
    with pytest.raises(TypeError, match="numpy"):
        opt.step([0.0, 0.0], np.zeros(2))
    with pytest.raises(ValueError, match="1-D"):
        opt.step(np.zeros((2, 2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="C-contiguous"):
        opt.step(np.zeros(6)[::2], np.zeros(3))
    readonly = np.zeros(3)
    readonly.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        opt.step(readonly, np.zeros(3))
    assert opt.n is None, "nothing was bound by the refused calls"


def test_step_checks_grad():
    opt = gd.SGD(lr=0.1)
    x = np.zeros(3)
    with pytest.raises(ValueError, match=r"grad has shape \(2,\), x has shape \(3,\)"):
        opt.step(x, np.zeros(2))
    with pytest.raises(TypeError, match="grad"):
        opt.step(x, np.zeros(3, dtype=complex))
    with pytest.raises(ValueError, match="overlap"):
        opt.step(x, x)


def test_step_converts_a_grad_that_is_not_float64():
    opt = gd.SGD(lr=0.5)
    x = np.zeros(3)
    opt.step(x, [1, 2, 3])
    opt.step(x, np.array([1, 2, 3], dtype=np.float32))
    np.testing.assert_array_equal(x, [-1.0, -2.0, -3.0])


def test_step_follows_a_new_x_array():
    opt = gd.SGD(lr=1.0)
    a, b, g = np.zeros(2), np.zeros(2), np.ones(2)
    opt.step(a, g)
    opt.step(b, g)
    opt.step(b, g)
    np.testing.assert_array_equal(a, [-1, -1])
    np.testing.assert_array_equal(b, [-2, -2])


# ---- optimizer construction ----------------------------------------------------------------

def test_betas_must_be_a_pair():
    with pytest.raises(ValueError, match="betas"):
        gd.Adam(betas=(0.9,))


@pytest.mark.parametrize("cls, keywords, message", [
    (gd.Adam, {"betas": (1.0, 0.999)}, "beta1"),
    (gd.RMSprop, {"alpha": 1.5}, "alpha"),
    (gd.Adagrad, {"eps": float("nan")}, "eps"),
    (gd.SGD, {"momentum": -0.5}, "momentum"),
    (gd.AdamW, {"weight_decay": -1}, "weight_decay"),
])
def test_out_of_range_hyperparameters_fail_at_construction(cls, keywords, message):
    with pytest.raises(gd.InvalidArgumentError, match=message):
        cls(**keywords)


def test_unknown_argument_is_a_type_error():
    with pytest.raises(TypeError):
        gd.Adam(momentum=0.9)


def test_a_hyperparameter_that_is_not_a_number_is_a_type_error():
    with pytest.raises(TypeError, match="lr"):
        gd.SGD(lr="0.1")
    with pytest.raises(TypeError, match="eps"):
        gd.Adam().set("eps", None)
