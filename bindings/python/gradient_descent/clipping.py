"""torch.nn.utils.clip_grad_norm_ and clip_grad_value_ on numpy gradients, by the library.

    total = gd.clip_grad_norm_(grad, max_norm=1.0)            # grad scaled in place
    gd.clip_grad_value_(grad, clip_value=0.5)

grad is one writable, C-contiguous float64 numpy array, or a list of them as torch takes a
list of tensors: then the total is the norm of the arrays' norms and every array is scaled by
the same coefficient. The returned total norm is what torch returns, as a float, to rounding
(the order of its sums differs).
"""

from __future__ import annotations

import math
from ctypes import byref, c_double
from typing import Any, Sequence, Union

import numpy as np

from . import _capi
from .errors import NonFiniteError

__all__ = ["clip_grad_norm_", "clip_grad_value_", "get_total_norm", "clip_grads_with_norm_"]


# One float64 array, or a list of them (torch's list of tensors).
Gradients = Union["np.ndarray[Any, np.dtype[np.float64]]", Sequence["np.ndarray[Any, np.dtype[np.float64]]"]]


def _gradient(grad: object) -> np.ndarray[Any, np.dtype[np.float64]]:
    if not isinstance(grad, np.ndarray):
        raise TypeError(f"grad must be a numpy float64 array (clipped in place), got {type(grad).__name__}")
    if grad.dtype != np.float64 or not grad.flags.c_contiguous or not grad.flags.writeable:
        raise TypeError("grad must be a writable, C-contiguous float64 array (clipped in place)")
    if grad.size == 0:
        raise ValueError("grad is empty")
    return grad


def clip_grad_norm_(grad: Gradients, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False) -> float:
    """Scales grad in place by min(max_norm / (‖grad‖_p + 1e-6), 1) and returns ‖grad‖_p
    (before clipping). norm_type is p > 0 or math.inf. A non-finite total norm scales grad
    by NaN or 0 as torch does, or raises NonFiniteError with error_if_nonfinite=True. grad
    may be a list of arrays (torch's list of tensors)."""
    if isinstance(grad, (list, tuple)):
        return _clip_list(grad, max_norm, norm_type, error_if_nonfinite)
    g = _gradient(grad)
    total = c_double(math.nan)
    _capi.check(_capi.gd_clip_grad_norm_ex(g.ctypes.data, g.size, float(max_norm), float(norm_type),
                                           1 if error_if_nonfinite else 0, byref(total)))
    return float(total.value)


def _norm_of_norms(norms: list[float], p: float) -> float:
    """torch's vector_norm of the stacked per-tensor norms (NaN propagates as in torch)."""
    if any(math.isnan(n) for n in norms):
        return math.nan
    if p == math.inf:
        return max(norms)
    if p == 1:
        return sum(norms)
    if p == 2:
        return math.sqrt(sum(n * n for n in norms))
    return float(sum(n ** p for n in norms) ** (1.0 / p))


def _arrays(grads: Gradients) -> list[np.ndarray[Any, np.dtype[np.float64]]]:
    return [_gradient(g) for g in (grads if isinstance(grads, (list, tuple)) else [grads])]


def get_total_norm(grads: Gradients, norm_type: float = 2.0, error_if_nonfinite: bool = False) -> float:
    """torch.nn.utils.get_total_norm: the norm of order norm_type of one array, or the norm of
    the norms of a list of arrays; NonFiniteError for a non-finite total with
    error_if_nonfinite=True."""
    arrays = _arrays(grads)
    if not arrays:
        return 0.0
    p = float(norm_type)
    norms = []
    for g in arrays:
        norm = c_double()
        _capi.check(_capi.gd_grad_norm(g.ctypes.data, g.size, p, byref(norm)))
        norms.append(norm.value)
    total = norms[0] if len(norms) == 1 else _norm_of_norms(norms, p)
    if error_if_nonfinite and not math.isfinite(total):
        raise NonFiniteError(
            f"the total norm of order {p} is {total}, so the gradients cannot be clipped (error_if_nonfinite)")
    return total


def clip_grads_with_norm_(grads: Gradients, max_norm: float, total_norm: float) -> None:
    """torch.nn.utils.clip_grads_with_norm_: scales every array in place by
    min(max_norm / (total_norm + 1e-6), 1) (NaN when total_norm is NaN, as torch's clamp)."""
    coefficient = float(max_norm) / (float(total_norm) + 1e-6)
    if coefficient < 1.0 or math.isnan(coefficient):
        with np.errstate(invalid="ignore"):  # inf · 0 is NaN, silently, as in torch
            for g in _arrays(grads):
                g *= coefficient


def _clip_list(grads: Gradients, max_norm: float, norm_type: float, error_if_nonfinite: bool) -> float:
    total = get_total_norm(grads, norm_type, error_if_nonfinite)
    clip_grads_with_norm_(grads, max_norm, total)
    return total


def clip_grad_value_(grad: Gradients, clip_value: float) -> None:
    """Clamps grad (one array or a list of them) in place to [−clip_value, clip_value]
    (clip_value > 0)."""
    for g in _arrays(grad):
        _capi.check(_capi.gd_clip_grad_value(g.ctypes.data, g.size, float(clip_value)))
