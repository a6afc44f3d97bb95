"""Callbacks that return or raise odd things get the error a Python user expects: the user's
own exception (even one refusing new attributes), and TypeError for a gradient that is not
real numbers (complex, objects) instead of a silent conversion or a non-finite run."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import gradient_descent as gd


class Stubborn(Exception):
    """An exception that refuses new attributes (with any exception, not only
    AttributeError); Python's own dunder attributes still work."""

    def __setattr__(self, name, value):
        if name.startswith("__"):
            super().__setattr__(name, value)
        else:
            raise RuntimeError(f"{name} is read-only here")


def test_an_exception_refusing_attributes_is_raised_as_itself():
    error = Stubborn("mine")

    def fun(x, grad):
        raise error

    with pytest.raises(Stubborn) as caught:
        gd.minimize(fun, np.zeros(2), max_iterations=3)
    assert caught.value is error


@pytest.mark.parametrize("gradient", [
    np.array([1.0 + 2.0j, 0.0]),
    np.array([None, 1], dtype=object),
    [None, 1],
    ["1", "2"],
], ids=["complex", "object array", "list with None", "strings"])
@pytest.mark.parametrize("form", ["jac=True", "jac=callable", "sampled jac=True"])
def test_a_gradient_that_is_not_real_numbers_is_a_type_error(gradient, form):
    def loss(x, *idx):
        return 0.5 * float(x @ x)

    with warnings.catch_warnings():
        warnings.simplefilter("error")     # no ComplexWarning on the way either
        with pytest.raises(TypeError, match="gradient"):
            if form == "jac=True":
                gd.minimize(lambda x: (loss(x), gradient), np.zeros(2), jac=True,
                            max_iterations=3)
            elif form == "jac=callable":
                gd.minimize(loss, np.zeros(2), jac=lambda x: gradient, max_iterations=3)
            else:
                gd.minimize(lambda x, idx: (loss(x), gradient), np.zeros(2), jac=True,
                            samples=4, batch_size=2, max_iterations=3)


def test_a_complex_gradient_of_the_right_shape_is_refused_in_the_fast_check():
    """An ndarray of the right shape skips the slow path: its dtype is checked all the same."""
    with pytest.raises(TypeError, match="complex128"):
        gd.minimize(lambda x: (0.0, np.zeros(2, dtype=complex)), np.zeros(2), jac=True,
                    max_iterations=3)
