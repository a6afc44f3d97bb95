"""minimize(bounds=...): SciPy's two forms of a box, as the two arrays gd_options takes."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _capi
from .errors import error_for_status


def arrays(bounds: Any, n: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(lower, upper) as float64 arrays of n entries (-inf/+inf for no bound), or None.

    Accepts a scipy.optimize.Bounds (anything with lb and ub: arrays of n or scalars) or a
    sequence of n (lo, hi) pairs with None for no bound. A length other than n raises the
    library's DimensionMismatchError before anything runs; NaN and lo > hi are left to the
    library (InvalidArgumentError, with the entry named).
    """
    if bounds is None:
        return None
    if hasattr(bounds, "lb") and hasattr(bounds, "ub"):
        lower = _side(bounds.lb, n, -np.inf, "lb")
        upper = _side(bounds.ub, n, np.inf, "ub")
        return lower, upper
    if isinstance(bounds, (str, bytes)) or not hasattr(bounds, "__len__"):
        raise TypeError(f"bounds must be a sequence of (lo, hi) pairs or a scipy.optimize.Bounds, "
                        f"got {type(bounds).__name__}")
    if len(bounds) != n:
        raise error_for_status(_capi.GD_E_DIMENSION_MISMATCH,
                               f"bounds has {len(bounds)} pairs; x0 has {n} entries")
    lower = np.empty(n)
    upper = np.empty(n)
    for i, pair in enumerate(bounds):
        try:
            lo, hi = pair
        except (TypeError, ValueError):
            raise ValueError(f"bounds[{i}] must be a pair (lo, hi), got {pair!r}") from None
        lower[i] = -np.inf if lo is None else _real(lo, f"bounds[{i}][0]")
        upper[i] = np.inf if hi is None else _real(hi, f"bounds[{i}][1]")
    return lower, upper


def _side(values: Any, n: int, missing: float, name: str) -> np.ndarray:
    """One side of a Bounds object: a scalar is broadcast (SciPy's rule), None is no bound."""
    if values is None:
        return np.full(n, missing)
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 0:
        return np.full(n, float(array))
    if array.ndim != 1 or array.size != n:
        raise error_for_status(_capi.GD_E_DIMENSION_MISMATCH,
                               f"bounds.{name} has shape {array.shape}; x0 has {n} entries")
    return np.ascontiguousarray(array)


def _real(value: Any, name: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number or None, "
                        f"got {type(value).__name__}") from None
