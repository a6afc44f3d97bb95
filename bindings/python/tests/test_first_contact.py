"""What a newcomer meets first: SciPy's habits (a one-argument fun, jac="2-point" and
"3-point"), constructor messages, reprs of loaded optimizers, and one version everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize._numdiff import approx_derivative

import gradient_descent as gd
from gradient_descent import _capi

REPOSITORY = Path(__file__).resolve().parents[3]


def _loss(x):
    return float(np.sum(x ** 3) / 3 + x[0] * x[1] + np.sin(x).sum())


@pytest.mark.parametrize("method", ["2-point", "3-point"])
@pytest.mark.parametrize("x0", [[0.5, -2.0, 0.0, 3.25], [1e-3, -1e5, 7.0, -0.3]])
def test_finite_differences_are_scipys_to_the_bit(method, x0):
    """The library's differences (gd_objective_new_finite_difference) against SciPy's
    approx_derivative, the code behind scipy.optimize.minimize(jac=method)."""
    calls = []
    result = gd.minimize(lambda x: calls.append(1) or _loss(x), np.array(x0), jac=method,
                         max_iterations=3, optimizer=gd.SGD(lr=1e-9))
    expected = approx_derivative(_loss, result.x, method=method)
    np.testing.assert_array_equal(result.jac, expected)
    per_gradient = 5 if method == "2-point" else 9           # n + 1 or 2n + 1 calls
    assert len(calls) == result.nfev * per_gradient          # 3 iterations and the final jac


@pytest.mark.parametrize("method", ["2-point", "3-point"])
def test_a_gradient_free_function_is_minimized_as_with_scipy(method):
    rosen = lambda x: float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2))
    result = gd.minimize(rosen, np.array([-1.2, 1.0]), jac=method,
                         optimizer=gd.Adam(lr=0.02), gradient_tolerance=1e-6,
                         max_iterations=20_000)
    assert result.success
    np.testing.assert_allclose(result.x, [1.0, 1.0], atol=1e-4)


def test_finite_differences_take_no_samples_and_unknown_methods_are_named():
    with pytest.raises(ValueError, match="full-batch"):
        gd.minimize(lambda x, idx: 0.0, np.zeros(2), jac="2-point", samples=4, batch_size=2)
    with pytest.raises(ValueError, match="'cs' is not supported.*2-point"):
        gd.minimize(_loss, np.zeros(4), jac="cs")


def test_a_one_argument_fun_says_what_to_do():
    with pytest.raises(TypeError) as caught:
        gd.minimize(lambda x: 0.5 * float(x @ x), np.zeros(2))
    message = str(caught.value)
    assert "fun(x, grad)" in message and "jac=True" in message and "2-point" in message
    with pytest.raises(TypeError, match=r"cannot be called as fun\(x, grad, idx\)"):
        gd.minimize(lambda x, grad: 0.0, np.zeros(2), samples=4, batch_size=2)


def test_sgd_nesterov_without_momentum_names_the_constructor():
    with pytest.raises(ValueError) as caught:
        gd.SGD(nesterov=True)
    assert str(caught.value).startswith("SGD(): ") and "gd_optimizer" not in str(caught.value)
    assert "nesterov" in str(caught.value)


def test_a_loaded_optimizer_shows_its_loaded_hyperparameters():
    saved = gd.Adam(lr=0.05, betas=(0.8, 0.99), amsgrad=True, n=3)
    saved.step(np.zeros(3), np.ones(3))
    blob = saved.state_dict()
    restored = gd.Optimizer.from_state(blob)
    assert repr(restored) == "Adam(lr=0.05, betas=(0.8, 0.99), eps=1e-08, weight_decay=0.0, " \
                             "amsgrad=True, maximize=False, decoupled_weight_decay=False, n=3)"
    other = gd.Adam()
    other.load_state_dict(blob)
    assert repr(other) == repr(restored)


def test_one_version_in_the_header_the_library_and_the_package():
    header = (REPOSITORY / "include" / "gradient_descent.h").read_text()
    numbers = [re.search(rf"#define GD_VERSION_{part} (\d+)", header).group(1)
               for part in ("MAJOR", "MINOR", "PATCH")]
    version = ".".join(numbers)
    assert gd.__version__ == version
    assert gd.library_version() == version
    major, minor, patch = map(int, numbers)
    assert _capi.gd_version_number() == major * 10000 + minor * 100 + patch
    setup = (REPOSITORY / "bindings" / "python" / "setup.py").read_text()
    assert "version=VERSION" in setup          # the wheel's version: the same module, read


def test_the_kernel_set_is_one_of_the_two():
    assert _capi.gd_kernel_set().decode() in ("haswell", "baseline")
