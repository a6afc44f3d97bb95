"""Gradient clipping against real PyTorch (Tests/Golden/torch/clipping.json.gz, from
tools/torch_golden/generate_torch_golden.py): torch.nn.utils.clip_grad_norm_ with norm_type
1, 2, inf, 3, 0.5, 1.5, error_if_nonfinite on and off, foreach on and off, on vectors with small,
large, overflowing, NaN and infinite entries; clip_grad_value_.

Tolerances: the total norm within NORM_RELATIVE + ROOT_RELATIVE·|ln(total)| relative error of
torch's (its sum runs in another order, and for p other than 1, 2 and infinity the root
total^(1/p), whose exponent 1/p is rounded, is sensitive to ln(total): 2.6e-14 at 3e200);
infinity and NaN must match exactly. The clipped gradient within the same bound per entry (NaN
where torch has NaN); clip_grad_value_ bit for bit."""

from __future__ import annotations

import math

import numpy as np
import pytest

import gradient_descent as gd
from torch_golden import cases, decode, problem

NORM_RELATIVE = 4e-15
ROOT_RELATIVE = 2e-16

NORM_CASES = cases("clipping", "clip_norm")
VALUE_CASES = cases("clipping", "clip_value")


def vector(case) -> np.ndarray:
    return decode(problem("clipping", f"clip_{case['vector']}")["values"])


def close(actual: float, expected: float, total: float) -> bool:
    if math.isnan(expected) or math.isinf(expected):
        return (math.isnan(actual) and math.isnan(expected)) or actual == expected
    bound = NORM_RELATIVE
    if math.isfinite(total) and total > 0:
        bound += ROOT_RELATIVE * abs(math.log(total))
    return abs(actual - expected) <= bound * abs(expected)


@pytest.mark.parametrize("case", NORM_CASES, ids=[c["id"] for c in NORM_CASES])
def test_clip_grad_norm_matches_torch(case):
    grad = vector(case)
    norm_type = decode(case["norm_type"])
    if "error" in case:
        before = grad.copy()
        with pytest.raises(gd.NonFiniteError):
            gd.clip_grad_norm_(grad, case["max_norm"], norm_type=norm_type,
                               error_if_nonfinite=case["error_if_nonfinite"])
        np.testing.assert_array_equal(grad, before)
        return
    total = gd.clip_grad_norm_(grad, case["max_norm"], norm_type=norm_type,
                               error_if_nonfinite=case["error_if_nonfinite"])
    torch_total = decode(case["total_norm"])
    assert close(total, torch_total, torch_total), (total, torch_total)
    expected = decode(case["grad"])
    assert np.array_equal(np.isnan(grad), np.isnan(expected))
    for got, want in zip(grad, expected):
        assert close(got, want, torch_total), (got, want)


@pytest.mark.parametrize("case", VALUE_CASES, ids=[c["id"] for c in VALUE_CASES])
def test_clip_grad_value_matches_torch(case):
    grad = vector(case)
    gd.clip_grad_value_(grad, case["clip_value"])
    np.testing.assert_array_equal(grad, decode(case["grad"]))


@pytest.mark.parametrize("norm_type", [1.0, 3.0, math.inf])
def test_minimize_clips_with_norm_type(norm_type):
    """A run clips each gradient with clip_grad_norm_'s norm_type: SGD on a quadratic with
    the gradient clipped in norm p moves by exactly what the same loop with clip_grad_norm_
    does."""
    target = np.array([3.0, -4.0, 12.0])

    def fun(x, grad):
        grad[:] = x - target
        return 0.5 * float((x - target) @ (x - target))

    result = gd.minimize(fun, np.zeros(3), optimizer=gd.SGD(lr=0.1), max_iterations=20,
                         clip_norm=1.0, clip_norm_type=norm_type)
    x = np.zeros(3)
    for _ in range(20):
        g = x - target
        gd.clip_grad_norm_(g, 1.0, norm_type=norm_type)
        x = x - 0.1 * g
    np.testing.assert_allclose(result.x, x, rtol=0, atol=1e-15)
    assert result.clipped_steps == 20


def test_minimize_error_if_nonfinite():
    """A finite gradient whose 3-norm overflows: torch scales it by 0 (the run goes on and x
    stays), or with error_if_nonfinite raises (the run stops as on a non-finite gradient)."""
    def fun(x, grad):
        grad[:] = 1e120
        return 0.0

    result = gd.minimize(fun, np.zeros(2), optimizer=gd.SGD(lr=0.1), max_iterations=3,
                         clip_norm=1.0, clip_norm_type=3.0)
    np.testing.assert_array_equal(result.x, np.zeros(2))
    assert result.success and result.nit == 3 and result.clipped_steps == 3
    stopped = gd.minimize(fun, np.zeros(2), optimizer=gd.SGD(lr=0.1), max_iterations=3, clip_norm=1.0,
                          clip_norm_type=3.0, clip_error_if_nonfinite=True)
    assert not stopped.success and stopped.nit == 0
    assert stopped.stop_reason == gd.StopReason.NON_FINITE
    assert "cannot be clipped" in stopped.message


def test_bad_norm_type_is_rejected():
    with pytest.raises(gd.InvalidArgumentError):
        gd.clip_grad_norm_(np.ones(3), 1.0, norm_type=0.0)
    with pytest.raises(gd.InvalidArgumentError):
        gd.minimize(lambda x, g: 0.0, np.ones(2), optimizer=gd.SGD(), max_iterations=2, clip_norm=1.0,
                    clip_norm_type=-1.0)


def test_minimize_scales_by_zero_when_the_two_norm_overflows_as_torch():
    """torch's total 2-norm of one tensor is sqrt(s·s): a gradient of norm 1e155 (finite) has
    an infinite total, so clip_grad_norm_ zeroes it; the run does the same."""
    def fun(x, grad):
        grad[:] = 1e155
        return 0.0

    result = gd.minimize(fun, np.ones(2), optimizer=gd.SGD(lr=0.1), max_iterations=2, clip_norm=1.0)
    np.testing.assert_array_equal(result.x, np.ones(2))
    grad = np.full(2, 1e155)
    assert gd.clip_grad_norm_(grad, 1.0) == math.inf
    np.testing.assert_array_equal(grad, np.zeros(2))


LIST_CASES = cases("clipping", "clip_norm_list")


@pytest.mark.parametrize("case", LIST_CASES, ids=[c["id"] for c in LIST_CASES])
def test_clip_grad_norm_over_a_list_matches_torch(case):
    """A list of arrays, as torch's list of tensors: the same tolerance as one array."""
    grads = [decode(problem("clipping", f"clip_{name}")["values"]) for name in case["vectors"]]
    norm_type = decode(case["norm_type"])
    if "error" in case:
        before = [g.copy() for g in grads]
        with pytest.raises(gd.NonFiniteError):
            gd.clip_grad_norm_(grads, case["max_norm"], norm_type=norm_type,
                               error_if_nonfinite=case["error_if_nonfinite"])
        for g, b in zip(grads, before):
            np.testing.assert_array_equal(g, b)
        return
    total = gd.clip_grad_norm_(grads, case["max_norm"], norm_type=norm_type,
                               error_if_nonfinite=case["error_if_nonfinite"])
    torch_total = decode(case["total_norm"])
    assert close(total, torch_total, torch_total), (total, torch_total)
    for g, expected in zip(grads, case["grads"]):
        expected = decode(expected)
        assert np.array_equal(np.isnan(g), np.isnan(expected))
        for got, want in zip(g, expected):
            assert close(got, want, torch_total), (got, want)


@pytest.mark.parametrize("case", [c for c in NORM_CASES if "error" not in c and not c["foreach"]],
                         ids=lambda c: c["id"])
def test_get_total_norm_and_clip_grads_with_norm_are_the_two_halves(case):
    """torch's clip_grad_norm_ is get_total_norm then clip_grads_with_norm_: the same total and
    the same clipped gradient, split in two."""
    grad = vector(case)
    norm_type = decode(case["norm_type"])
    total = gd.get_total_norm(grad, norm_type=norm_type)
    torch_total = decode(case["total_norm"])
    assert close(total, torch_total, torch_total)
    gd.clip_grads_with_norm_([grad], case["max_norm"], total)
    expected = decode(case["grad"])
    assert np.array_equal(np.isnan(grad), np.isnan(expected))
    for got, want in zip(grad, expected):
        assert close(got, want, torch_total), (got, want)
