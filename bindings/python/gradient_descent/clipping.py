"""torch.nn.utils.clip_grad_norm_ and clip_grad_value_ on numpy gradients, by the library.

    total = gd.clip_grad_norm_(grad, max_norm=1.0)            # grad scaled in place
    gd.clip_grad_value_(grad, clip_value=0.5)

grad is one writable, C-contiguous float64 numpy array (torch takes a list of tensors; here
concatenate them, or clip one array). The returned total norm is what torch returns, as a
float: torch's norm of one tensor, to rounding (the order of its sum differs).
"""

from __future__ import annotations

import math
from ctypes import byref, c_double

import numpy as np

from . import _capi

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _gradient(grad: object) -> np.ndarray:
    if not isinstance(grad, np.ndarray):
        raise TypeError(f"grad must be a numpy float64 array (clipped in place), got {type(grad).__name__}")
    if grad.dtype != np.float64 or not grad.flags.c_contiguous or not grad.flags.writeable:
        raise TypeError("grad must be a writable, C-contiguous float64 array (clipped in place)")
    if grad.size == 0:
        raise ValueError("grad is empty")
    return grad


def clip_grad_norm_(grad: np.ndarray, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False) -> float:
    """Scales grad in place by min(max_norm / (‖grad‖_p + 1e-6), 1) and returns ‖grad‖_p
    (before clipping). norm_type is p > 0 or math.inf. A non-finite total norm scales grad
    by NaN or 0 as torch does, or raises NonFiniteError with error_if_nonfinite=True."""
    g = _gradient(grad)
    total = c_double(math.nan)
    _capi.check(_capi.gd_clip_grad_norm_ex(g.ctypes.data, g.size, float(max_norm), float(norm_type),
                                           1 if error_if_nonfinite else 0, byref(total)))
    return total.value


def clip_grad_value_(grad: np.ndarray, clip_value: float) -> None:
    """Clamps grad in place to [−clip_value, clip_value] (clip_value > 0)."""
    g = _gradient(grad)
    _capi.check(_capi.gd_clip_grad_value(g.ctypes.data, g.size, float(clip_value)))
