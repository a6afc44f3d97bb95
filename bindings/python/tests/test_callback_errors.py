"""An exception raised by fun, jac or callback stops the run and is re-raised from
minimize: the same object, its type and its traceback, with the last finite iterate on it."""

from __future__ import annotations

import traceback

import numpy as np
import pytest

import gradient_descent as gd
from gradient_descent import _trampolines
from problems import LeastSquares


class Boom(Exception):
    pass


@pytest.fixture(scope="module")
def problem():
    return LeastSquares(m=40, d=3, seed=4)


def _frames(error):
    return [frame.name for frame in traceback.extract_tb(error.__traceback__)]


def _assert_registries_empty():
    assert not _trampolines.registered()


FAIL_AT = 4


def _failing(function, calls):
    """function, raising Boom at its FAIL_AT-th call; calls records the x of each call."""
    def wrapper(x, *rest):
        calls.append(x.copy())
        if len(calls) == FAIL_AT:
            raise Boom(f"call {len(calls)}")
        return function(x, *rest)
    return wrapper


CASES = {
    "fun(x, grad)": lambda p, calls: dict(fun=_failing(p.inplace, calls)),
    "jac=True": lambda p, calls: dict(fun=_failing(p.pair, calls), jac=True),
    "fun of jac=callable": lambda p, calls: dict(fun=_failing(p.value, calls), jac=p.gradient),
    "jac of jac=callable": lambda p, calls: dict(fun=p.value, jac=_failing(p.gradient, calls)),
    "fun(x, grad, idx)": lambda p, calls: dict(fun=_failing(p.inplace_sampled, calls),
                                               samples=p.m, batch_size=10),
    "sampled jac=True": lambda p, calls: dict(fun=_failing(p.pair_sampled, calls), jac=True,
                                              samples=p.m, batch_size=10),
    "sampled jac": lambda p, calls: dict(fun=p.value_sampled,
                                         jac=_failing(p.gradient_sampled, calls),
                                         samples=p.m, batch_size=10),
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_exception_in_each_callback_kind_propagates(problem, case):
    calls = []
    keywords = CASES[case](problem, calls)
    with pytest.raises(Boom, match=f"call {FAIL_AT}") as caught:
        gd.minimize(x0=np.zeros(problem.d), optimizer=gd.SGD(lr=0.1), **keywords)
    error = caught.value
    assert "wrapper" in _frames(error), "the traceback reaches the raising function"
    assert len(calls) == FAIL_AT, "no user code runs after the error"
    # The library restores x to the last iterate whose loss and gradient were finite:
    # the one evaluated by the call before the failing one.
    np.testing.assert_array_equal(error.x, calls[FAIL_AT - 2])
    assert error.result.stop_reason == gd.StopReason.CALLBACK_ERROR
    assert not error.result.success
    assert any("last iterate" in note for note in getattr(error, "__notes__", []))
    _assert_registries_empty()


def test_an_exception_in_the_callback_propagates(problem):
    xs = []

    def callback(info):
        xs.append(info.x.copy())
        if info.iteration == 3:
            raise Boom("from callback")

    with pytest.raises(Boom, match="from callback") as caught:
        gd.minimize(problem.inplace, np.zeros(problem.d), optimizer=gd.SGD(lr=0.1),
                    callback=callback)
    assert "callback" in _frames(caught.value)
    assert len(xs) == 3
    # The callback stops the run where it is: x after the update the callback saw.
    np.testing.assert_array_equal(caught.value.x, xs[2])
    _assert_registries_empty()


def test_keyboard_interrupt_in_fun_propagates(problem):
    count = 0

    def fun(x, grad):
        nonlocal count
        count += 1
        if count == 5:
            raise KeyboardInterrupt
        return problem.inplace(x, grad)

    with pytest.raises(KeyboardInterrupt) as caught:
        gd.minimize(fun, np.zeros(problem.d))
    assert caught.value.x.shape == (problem.d,)
    assert count == 5
    _assert_registries_empty()


def test_keyboard_interrupt_in_the_callback_propagates(problem):
    def callback(info):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        gd.minimize(problem.inplace, np.zeros(problem.d), callback=callback)
    _assert_registries_empty()


def test_an_exception_with_its_own_x_attribute_keeps_it(problem):
    class Tagged(Exception):
        x = "mine"

    def fun(x, grad):
        raise Tagged

    with pytest.raises(Tagged) as caught:
        gd.minimize(fun, np.zeros(problem.d))
    assert caught.value.x == "mine"
    assert caught.value.result.nit == 0


def test_a_minimize_after_a_failure_runs_normally(problem):
    with pytest.raises(Boom):
        gd.minimize(_failing(problem.inplace, []), np.zeros(problem.d))
    result = gd.minimize(problem.inplace, np.zeros(problem.d), max_iterations=5)
    assert result.nit == 5 and result.success


def test_nested_minimize_from_inside_fun(problem):
    """Runs are dispatched by id, so a run started inside another's callback is separate."""
    inner_results = []

    def outer(x, grad):
        if not inner_results:
            inner_results.append(gd.minimize(problem.inplace, np.zeros(problem.d),
                                             max_iterations=3))
        return problem.inplace(x, grad)

    result = gd.minimize(outer, np.zeros(problem.d), max_iterations=4)
    assert result.nit == 4 and inner_results[0].nit == 3
    _assert_registries_empty()
