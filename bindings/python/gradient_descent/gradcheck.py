"""check_gradient: compare a loss's gradient with central finite differences."""

from __future__ import annotations

from ctypes import byref, sizeof
from typing import Any, Callable

import numpy as np
from numpy.typing import ArrayLike

from . import _capi, _evaluators
from ._minimize import _check_callable, _initial_point, _objective
from ._trampolines import Registration
from .errors import error_for_status

__all__ = ["check_gradient", "GradientCheck"]


class GradientCheck:
    """What check_gradient found, at the worst component.

    index       the component whose error (below) is largest
    analytic    the gradient fun gave there; numeric: the central difference
    abs_error   |analytic − numeric|
    rel_error   |analytic − numeric| / max(|analytic|, |numeric|)  (0 when both are 0)
    error       |analytic − numeric| / max(1, |analytic|, |numeric|): relative for large
                components, absolute for small ones; below about 1e-6 for a correct
                gradient of a smooth loss in float64
    evaluations calls of fun: 1 + 2n
    """

    __slots__ = ("index", "analytic", "numeric", "abs_error", "rel_error", "error", "evaluations")

    def __init__(self, result: Any) -> None:
        self.index = result.worst_index
        self.analytic = result.analytic
        self.numeric = result.numeric
        self.abs_error = result.abs_error
        self.rel_error = result.rel_error
        self.error = result.error
        self.evaluations = result.evaluations

    def ok(self, tolerance: float = 1e-6) -> bool:
        """True when error <= tolerance."""
        return bool(self.error <= tolerance)

    def __repr__(self) -> str:
        return (f"GradientCheck(index={self.index}, analytic={self.analytic!r}, "
                f"numeric={self.numeric!r}, abs_error={self.abs_error:.3g}, "
                f"rel_error={self.rel_error:.3g}, error={self.error:.3g})")


def check_gradient(fun: Callable[..., Any], x: ArrayLike, *,
                   jac: bool | Callable[..., Any] | None = None,
                   step: float = 0.0) -> GradientCheck:
    """Compare fun's gradient at x with central differences (f(x + h·e_i) − f(x − h·e_i))/2h,
    h = step·max(1, |x_i|), step 0 meaning the cube root of machine epsilon.

    fun has minimize's forms: fun(x, grad) -> loss (jac=None), fun(x) -> (loss, grad)
    (jac=True) or fun(x) -> loss with jac(x) -> grad; or a gradient_descent.objectives
    objective (over all its samples). An exception raised by fun is re-raised.
    """
    point = _initial_point(x)
    n = point.size
    result = _capi.gd_gradient_check()
    result.struct_size = sizeof(_capi.gd_gradient_check)
    native = getattr(fun, "_gd_objective", None)
    if native is not None:
        _capi.check(_capi.gd_check_gradient(native, point.ctypes.data, n, float(step),
                                            byref(result)))
        return GradientCheck(result)
    _check_callable(fun, "fun")
    if jac is not None and jac is not True:
        _check_callable(jac, "jac")
    buffers = _evaluators.Buffers(point)
    registration = Registration(objective=_evaluators.full_batch(fun, jac, buffers))
    with registration:
        objective = _objective(registration, n, None)
        try:
            status = _capi.gd_check_gradient(objective, point.ctypes.data, n, float(step),
                                             byref(result))
            detail = _capi.last_error() if status < 0 else ""
            error = registration.error
        finally:
            _capi.gd_objective_free(objective)
    if error is not None:
        raise error
    if status < 0:
        raise error_for_status(status, detail)
    return GradientCheck(result)
