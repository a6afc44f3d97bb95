"""The per-call path of a Python objective: what the lean trampolines must keep.

The loss is stored through a ctypes double (float() without a float object), so it must
still take every real number float() takes, refuse everything else with the same TypeError
in every form, and leave NaN to the library. Run ids are recycled (small integers cost ctypes
no allocation), and a run keeps the GIL between the calls of its Python objective, which
must not stop other threads."""

from __future__ import annotations

import threading
from fractions import Fraction

import numpy as np
import pytest

import gradient_descent as gd
from gradient_descent import _callables, _trampolines
from problems import LeastSquares

P = LeastSquares(m=30, d=2, seed=8)
IDX = {"samples": P.m, "batch_size": 10}

# form -> (keywords of minimize, fun returning `loss` from a correct evaluation)
FORMS = {
    "fun(x, grad)": ({}, lambda loss: lambda x, g: (P.inplace(x, g), loss)[1]),
    "jac=True": ({"jac": True}, lambda loss: lambda x: (loss, P.gradient(x))),
    "jac=callable": ({"jac": P.gradient}, lambda loss: lambda x: loss),
    "fun(x, grad, idx)": (IDX, lambda loss: lambda x, g, i: (P.inplace_sampled(x, g, i), loss)[1]),
    "sampled jac=True": ({"jac": True, **IDX},
                         lambda loss: lambda x, i: (loss, P.gradient_sampled(x, i))),
    "sampled jac": ({"jac": P.gradient_sampled, **IDX}, lambda loss: lambda x, i: loss),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("loss", [None, "1.5", b"1", 1 + 0j, [1.0], np.array([1.0, 2.0])],
                         ids=["None", "str", "bytes", "complex", "list", "array"])
def test_a_loss_that_is_not_a_real_number_is_a_type_error_in_every_form(form, loss):
    keywords, make = FORMS[form]
    with pytest.raises(TypeError, match="fun must return the loss as a real number, got "
                                        + type(loss).__name__):
        gd.minimize(make(loss), np.zeros(P.d), max_iterations=5, **keywords)
    assert not _trampolines.registered()


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("loss", [2, True, np.float32(2.5), np.int64(3), np.array(1.5),
                                  Fraction(1, 4), np.float64(0.5)],
                         ids=["int", "bool", "float32", "int64", "0-d array", "Fraction",
                              "float64"])
def test_a_loss_that_float_accepts_is_stored_as_float_would(form, loss):
    keywords, make = FORMS[form]
    result = gd.minimize(make(loss), np.zeros(P.d), max_iterations=3, history=True,
                         **keywords)
    np.testing.assert_array_equal(result.history, [float(loss)] * 3)


@pytest.mark.parametrize("form", FORMS)
def test_an_integer_too_large_for_a_double_raises_as_float_would(form):
    keywords, make = FORMS[form]
    with pytest.raises(OverflowError):
        gd.minimize(make(10**400), np.zeros(P.d), max_iterations=3, **keywords)


@pytest.mark.parametrize("form", FORMS)
def test_a_nan_loss_is_left_to_the_library(form):
    keywords, make = FORMS[form]
    result = gd.minimize(make(float("nan")), np.zeros(P.d), max_iterations=3, **keywords)
    assert not result.success and result.stop_reason == gd.StopReason.NON_FINITE


def test_after_the_run_fun_sees_the_returned_x_and_a_fresh_gradient_buffer():
    """The final evaluation (for result.jac) passes other buffers than the run's: the fast
    path must see the change of address and copy into the new gradient buffer."""
    seen = []

    def fun(x, grad):
        seen.append((x.copy(), grad))
        return P.inplace(x, grad)

    result = gd.minimize(fun, np.zeros(P.d), max_iterations=5)
    assert len(seen) == result.nfev
    np.testing.assert_array_equal(seen[-1][0], result.x)
    assert seen[-1][1] is seen[-2][1]        # the run's own array, reused: Python owns it
    np.testing.assert_array_equal(result.jac, P.gradient(result.x))


def test_run_ids_are_recycled_so_the_user_pointer_stays_a_small_integer():
    for _ in range(300):
        gd.minimize(P.inplace, np.zeros(P.d), max_iterations=1)
    assert not _trampolines.registered()
    assert max(_callables._free_ids) < 256   # CPython shares the ints up to 256


def test_nested_runs_get_their_own_ids():
    inner = []

    def outer(x, grad):
        inner.append(gd.minimize(P.inplace, np.zeros(P.d), max_iterations=2).nit)
        return P.inplace(x, grad)

    result = gd.minimize(outer, np.zeros(P.d), max_iterations=3)
    assert result.nit == 3 and inner == [2] * result.nfev


def test_other_threads_run_while_a_python_objective_keeps_the_gil():
    """minimize keeps the GIL between the calls of a Python objective (small n); the
    interpreter still hands it to other threads from inside those calls."""
    ticks = 0
    done = threading.Event()

    def count():
        nonlocal ticks
        while not done.is_set():
            ticks += 1

    def fun(x, grad):
        grad[:] = 0.0
        return 1.0

    thread = threading.Thread(target=count)
    thread.start()
    try:
        before = ticks
        gd.minimize(fun, np.zeros(2), optimizer=gd.SGD(), max_iterations=None, time_limit=0.3)
        during = ticks - before
    finally:
        done.set()
        thread.join()
    assert during > 1000


def test_concurrent_runs_in_threads_give_the_results_of_runs_one_after_another():
    expected = gd.minimize(P.inplace, np.zeros(P.d), optimizer=gd.SGD(lr=0.05),
                           max_iterations=3000).x
    results = [None] * 4

    def work(slot):
        results[slot] = gd.minimize(P.inplace, np.zeros(P.d), optimizer=gd.SGD(lr=0.05),
                                    max_iterations=3000).x

    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for x in results:
        np.testing.assert_array_equal(x, expected)
    assert not _trampolines.registered()
