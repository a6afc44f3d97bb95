"""Every status reachable through the C API raises its exception class, with the library's
detail message. (GD_E_PLUGIN, GD_E_BAD_STATE and GD_E_FOREIGN have no entry point yet:
test_header_tables.py checks their mapping.)"""

from __future__ import annotations

from ctypes import byref, c_double, sizeof

import numpy as np
import pytest

import gradient_descent as gd
from gradient_descent import _capi


def _raw_minimize(body, n=2, max_iterations=100):
    """gd_minimize over a bare ctypes callback, checked by _capi.check."""
    callback = _capi.gd_objective_fn(body)
    objective = _capi.gd_objective_p()
    _capi.check(_capi.gd_objective_new(callback, None, n, byref(objective)))
    optimizer = _capi.gd_optimizer_p()
    _capi.check(_capi.gd_optimizer_new(b"sgd", n, byref(optimizer)))
    options = _capi.gd_options()
    _capi.check(_capi.gd_options_init(byref(options)))
    options.max_iterations = max_iterations
    report = _capi.gd_report()
    report.struct_size = sizeof(report)
    x = np.ones(n)
    try:
        _capi.check(_capi.gd_minimize(objective, optimizer, x.ctypes.data, n, byref(options),
                                      byref(report)))
    finally:
        _capi.gd_objective_free(objective)
        _capi.gd_optimizer_free(optimizer)
    return report


def test_null_argument():
    handle = _capi.gd_optimizer_p()
    with pytest.raises(gd.NullArgumentError, match="name"):
        _capi.check(_capi.gd_optimizer_new(None, 3, byref(handle)))


def test_invalid_argument_names_the_key_and_the_value():
    with pytest.raises(gd.InvalidArgumentError, match=r"lr.*-0\.1") as caught:
        gd.SGD(lr=-0.1)
    assert isinstance(caught.value, ValueError)
    assert caught.value.status == -2 and caught.value.status_name == "GD_E_INVALID_ARGUMENT"


def test_invalid_combination_is_reported_at_construction():
    with pytest.raises(gd.InvalidArgumentError, match="nesterov"):
        gd.SGD(lr=0.1, nesterov=True)


def test_dimension_mismatch():
    handle = _capi.gd_optimizer_p()
    _capi.check(_capi.gd_optimizer_new(b"adam", 3, byref(handle)))
    x, g = np.zeros(4), np.zeros(4)
    try:
        with pytest.raises(gd.DimensionMismatchError, match="3"):
            _capi.check(_capi.gd_optimizer_step(handle, x.ctypes.data, g.ctypes.data, 4))
    finally:
        _capi.gd_optimizer_free(handle)


def test_dimension_mismatch_between_an_optimizer_and_x():
    opt = gd.Adam(n=3)
    with pytest.raises(gd.DimensionMismatchError, match="3"):
        opt.step(np.zeros(4), np.zeros(4))
    with pytest.raises(gd.DimensionMismatchError):
        gd.minimize(lambda x, g: 0.0, np.zeros(5), optimizer=opt)
    opt.close()


def test_unknown_name():
    handle = _capi.gd_optimizer_p()
    with pytest.raises(gd.UnknownNameError, match="newton"):
        _capi.check(_capi.gd_optimizer_new(b"newton", 3, byref(handle)))


def test_unknown_key_from_the_library_and_before_binding():
    with gd.Adam(n=2) as opt:
        with pytest.raises(gd.UnknownKeyError, match="momentum") as caught:
            opt.set("momentum", 0.9)
        assert isinstance(caught.value, KeyError)
        assert "momentum" in str(caught.value) and not str(caught.value).startswith('"')
    with pytest.raises(gd.UnknownKeyError):
        gd.Adam().get("momentum")


def test_out_of_memory():
    handle = _capi.gd_optimizer_p()
    with pytest.raises(gd.OutOfMemoryError) as caught:
        _capi.check(_capi.gd_optimizer_new(b"adam", 2**62, byref(handle)))
    assert isinstance(caught.value, MemoryError)


def test_callback_status_from_a_bare_callback():
    def body(user, x, grad, n, loss):
        return 1

    with pytest.raises(gd.CallbackError, match="returned 1"):
        _raw_minimize(body)


def test_non_finite_status_from_a_bare_callback():
    def body(user, x, grad, n, loss):
        c_double.from_address(loss).value = float("nan")
        return 0

    with pytest.raises(gd.NonFiniteError) as caught:
        _raw_minimize(body)
    assert isinstance(caught.value, FloatingPointError)


def test_invalid_option_from_minimize():
    with pytest.raises(gd.InvalidArgumentError, match="gradient_tolerance"):
        gd.minimize(lambda x, g: 0.0, np.zeros(2), gradient_tolerance=-1.0)
    with pytest.raises(gd.InvalidArgumentError, match="patience"):
        gd.minimize(lambda x, g: 0.0, np.zeros(2), patience=0)
