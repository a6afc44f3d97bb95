"""Objectives that run inside the library: built-ins over your arrays, plugins, foreign code.

    import gradient_descent as gd
    from gradient_descent.objectives import LeastSquares

    obj = LeastSquares(X, y, l2=0.0)          # J = 1/(2m) ||X θ - y||^2 + (l2/2) ||θ||^2
    res = gd.minimize(obj, np.zeros(X.shape[1]), optimizer=gd.SGD(lr=0.1, momentum=0.9))
    loss, grad = obj(res.x)                     # a plain callable too, for checking

An Objective passed to minimize() is evaluated by the library itself: no Python runs per
iteration. A sampled one (LeastSquares, Logistic, Softmax, and plugins with samples)
works with every batch_size; minimize() takes the number of samples from it.

Data is borrowed, not copied: a C-contiguous float64 X (and y, and int64 labels) is used
in place, and the Objective keeps a reference so the arrays outlive it. Do not modify them
while the objective is in use. Other arrays (Fortran order, float32, lists) are converted
once, into copies the Objective owns. Handles are freed by close(), a `with` block, or
when the object is collected.
"""

from __future__ import annotations

import os
from ctypes import byref, c_double, c_size_t, sizeof
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import _capi
from ._handle import OwnedHandle
from ._minimize import _count

__all__ = ["Objective", "LeastSquares", "Logistic", "Softmax", "Rosenbrock", "Quadratic",
           "EmptyShard", "create", "foreign", "registry", "RegistryEntry"]


class Objective(OwnedHandle):
    """A library objective (gd_objective): built-in, plugin or foreign.

    obj(x) -> (loss, grad) evaluates it once (over all samples); obj.n is the number of
    parameters, obj.sample_count the number of samples (0 for full-batch-only objectives).
    The borrowed arrays are kept until the handle is freed, which never happens while a run
    uses it (gradient_descent._handle).
    """

    def __init__(self, handle: Any,
                 borrowed: tuple[np.ndarray, ...] | list[np.ndarray] = ()) -> None:
        self._own(handle, _capi.gd_objective_free, *borrowed)
        n = c_size_t()
        _capi.check(_capi.gd_objective_dimension(handle, byref(n)))
        count = c_size_t()
        _capi.check(_capi.gd_objective_sample_count(handle, byref(count)))
        self.n = n.value
        self.sample_count = count.value

    @property
    def _gd_objective(self) -> Any:
        """The gd_objective handle, for minimize(); ValueError once closed."""
        return self._live(self._handle)

    def __call__(self, x: ArrayLike) -> tuple[float, np.ndarray]:
        """(loss, gradient) at x over all samples."""
        handle = self._gd_objective
        x = np.ascontiguousarray(x, dtype=np.float64)
        if x.shape != (self.n,):
            raise ValueError(f"x must have shape ({self.n},), got {x.shape}")
        grad = np.empty(self.n)
        loss = c_double()
        _capi.check(_capi.gd_objective_evaluate(handle, x.ctypes.data, self.n, grad.ctypes.data,
                                                byref(loss)))
        return loss.value, grad

    def loss(self, x: ArrayLike) -> float:
        """The loss at x (over all samples)."""
        return self(x)[0]

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"n={self.n}, samples={self.sample_count}"
        return f"<{type(self).__name__} {state}>"


# ---- built-ins --------------------------------------------------------------------------

class LeastSquares(Objective):
    """J(θ) = 1/(2m)·‖Xθ − y‖² + (l2/2)·‖θ‖², the seed article's loss; sampled over X's rows.
    No intercept is added: give X a column of ones for one."""

    def __init__(self, X: ArrayLike, y: ArrayLike, l2: float = 0.0) -> None:
        X = _matrix(X, "X")
        y = _vector(y, X.shape[0], "y")
        handle, borrowed = _create("least_squares", X.shape[1], X=X, y=y, params={"l2": l2})
        super().__init__(handle, borrowed)


class Logistic(Objective):
    """Binary logistic regression: the mean log-loss over labels y in [0, 1] of z = Xθ,
    plus (l2/2)·‖θ‖²; stable for any |z|. Sampled over X's rows; no intercept is added."""

    def __init__(self, X: ArrayLike, y: ArrayLike, l2: float = 0.0) -> None:
        X = _matrix(X, "X")
        y = _vector(y, X.shape[0], "y")
        handle, borrowed = _create("logistic", X.shape[1], X=X, y=y, params={"l2": l2})
        super().__init__(handle, borrowed)


class EmptyShard(Objective):
    """The objective of a process that holds none of the rows of a data-parallel run
    (minimize(..., comm=...)): n parameters, no rows, nothing added to the run's
    evaluations. Evaluating it outside such a run raises InvalidArgumentError."""

    empty_shard = True

    def __init__(self, n: int) -> None:
        n = _integer(n, "n")
        handle = _capi.gd_objective_p()
        _capi.check(_capi.gd_objective_new_empty_shard(n, byref(handle)))
        super().__init__(handle)


class Softmax(Objective):
    """Softmax regression over integer labels in [0, classes). θ is the d×K matrix
    flattened in C order (θ.reshape(d, K)); mean cross-entropy plus (l2/2)·‖θ‖²."""

    def __init__(self, X: ArrayLike, labels: ArrayLike, classes: int, l2: float = 0.0) -> None:
        X = _matrix(X, "X")
        classes = _integer(classes, "classes")
        labels = _labels(labels, X.shape[0])
        handle, borrowed = _create("softmax", X.shape[1] * classes, X=X, labels=labels,
                                   classes=classes, params={"l2": l2})
        super().__init__(handle, borrowed)
        self.classes = classes


class Rosenbrock(Objective):
    """The n-dimensional Rosenbrock function Σ b·(x[i+1] − x[i]²)² + (a − x[i])²."""

    def __init__(self, n: int, a: float = 1.0, b: float = 100.0) -> None:
        handle, borrowed = _create("rosenbrock", _integer(n, "n"), params={"a": a, "b": b})
        super().__init__(handle, borrowed)


class Quadratic(Objective):
    """½·xᵀAx − bᵀx for an n×n matrix A (gradient ½(A + Aᵀ)x − b); b = 0 when None."""

    def __init__(self, A: ArrayLike, b: ArrayLike | None = None) -> None:
        A = _matrix(A, "A")
        if A.shape[0] != A.shape[1]:
            raise ValueError(f"A must be square, got shape {A.shape}")
        b = None if b is None else _vector(b, A.shape[0], "b")
        handle, borrowed = _create("quadratic", A.shape[0], X=A, y=b)
        super().__init__(handle, borrowed)


def create(name: str, n: int | None = None, *, X: ArrayLike | None = None,
           y: ArrayLike | None = None, labels: ArrayLike | None = None, classes: int = 0,
           **params: float) -> Objective:
    """The registered objective `name` (a built-in or a loaded plugin's) with parameters
    by keyword, e.g. create("huber", X=X, y=y, delta=0.5). n defaults to X's columns
    (times classes when labels are given)."""
    X = None if X is None else _matrix(X, "X")
    rows = None if X is None else X.shape[0]
    if y is not None:
        y = _vector(y, rows if rows is not None else np.asarray(y).shape[0], "y")
    if labels is not None:
        labels = _labels(labels, rows if rows is not None else np.asarray(labels).shape[0])
    if n is None:
        if X is None:
            raise TypeError(f"create({name!r}) needs n when there is no X")
        n = X.shape[1] * (classes if labels is not None and classes else 1)
    handle, borrowed = _create(name, _integer(n, "n"), X=X, y=y, labels=labels,
                               classes=_integer(classes, "classes", minimum=0), params=params)
    return Objective(handle, borrowed)


def foreign(function: str, gradient: str | None = None, *, n: int,
            library: str | os.PathLike[str] | None = None) -> Objective:
    """Bind compiled functions by symbol and signature through libffi (no glue code):

        foreign("double rosen(int n, const double *x)",
                "void rosen_grad(int n, const double *x, double *g)", n=10, library="librosen.so")
        foreign("void fg_(const int *n, const double *x, double *f, double *g)", n=10,
                library="libfg.so")           # a gfortran subroutine fg(n, x, f, g)

    Parameter names give each argument's role: n, x, g (or grad), f (or loss); the header
    (gd_objective_new_foreign) has the grammar. library None means the symbols already
    loaded in this process."""
    path = None if library is None else os.fsencode(library)
    handle = _capi.gd_objective_p()
    _capi.check(_capi.gd_objective_new_foreign(
        path, function.encode(), None if gradient is None else gradient.encode(),
        _integer(n, "n"), byref(handle)))
    return Objective(handle)


# ---- the registry -----------------------------------------------------------------------

@dataclass(frozen=True)
class RegistryEntry:
    """One registered objective: its name, description, source ("built-in" or the plugin's
    path), parameters with their defaults, the data it needs, and whether it is sampled."""

    name: str
    description: str
    source: str
    params: dict[str, float]
    data: tuple[str, ...]
    sampled: bool


def registry() -> list[RegistryEntry]:
    """Every registered objective: the built-ins, then each loaded plugin's, in load order."""
    count = c_size_t()
    _capi.check(_capi.gd_registry_count(byref(count)))
    entries = []
    for index in range(count.value):
        info = _capi.gd_registry_info()
        info.struct_size = sizeof(_capi.gd_registry_info)
        _capi.check(_capi.gd_registry_entry(index, byref(info)))
        params = {info.param_keys[k].decode(): info.param_defaults[k]
                  for k in range(info.param_count)}
        data = tuple(field for bit, field in ((_capi.GD_DATA_X, "X"), (_capi.GD_DATA_Y, "y"),
                                              (_capi.GD_DATA_LABELS, "labels"))
                     if info.data_fields & bit)
        entries.append(RegistryEntry(info.name.decode(), info.description.decode(),
                                     info.source.decode(), params, data, bool(info.sampled)))
    return entries


# ---- helpers ----------------------------------------------------------------------------

def _create(name: str, n: int, *, X: np.ndarray | None = None, y: np.ndarray | None = None,
            labels: np.ndarray | None = None, classes: int = 0,
            params: dict[str, Any] | None = None) -> tuple[Any, list[np.ndarray]]:
    """gd_objective_create over the given arrays; returns (handle, arrays to keep alive)."""
    data = _capi.gd_data()
    _capi.check(_capi.gd_data_init(byref(data)))
    borrowed = []
    if X is not None:
        data.x = X.ctypes.data
        data.rows, data.cols = X.shape
        borrowed.append(X)
    if y is not None:
        data.y = y.ctypes.data
        borrowed.append(y)
        if X is None:
            data.rows = y.shape[0]
    if labels is not None:
        data.labels = labels.ctypes.data
        borrowed.append(labels)
        if X is None:
            data.rows = labels.shape[0]
    data.classes = classes
    items = list((params or {}).items())
    array = (_capi.gd_param * max(len(items), 1))()
    for k, (key, value) in enumerate(items):
        if not isinstance(key, str):
            raise TypeError(f"parameter names are strings, got {key!r}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise TypeError(f"parameter {key!r} must be a real number, "
                            f"got {type(value).__name__}") from None
        array[k].key = key.encode()
        array[k].value = number
    handle = _capi.gd_objective_p()
    _capi.check(_capi.gd_objective_create(name.encode(), n, byref(data), array, len(items),
                                          byref(handle)))
    return handle, borrowed


def _matrix(value: ArrayLike, name: str) -> np.ndarray:
    """A 2-D C-contiguous float64 array: the caller's own when it already is one."""
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {array.dtype}")
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"{name} must be a non-empty 2-D array, got shape {array.shape}")
    return np.ascontiguousarray(array, dtype=np.float64)


def _vector(value: ArrayLike, length: int, name: str) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {array.dtype}")
    if array.shape != (length,):
        raise ValueError(f"{name} must have shape ({length},), got {array.shape}")
    return np.ascontiguousarray(array, dtype=np.float64)


def _labels(value: ArrayLike, length: int) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype.kind not in "biu":
        if array.dtype.kind == "f" and np.all(np.equal(np.mod(array, 1), 0)):
            array = array.astype(np.int64)
        else:
            raise TypeError(f"labels must be integers, got dtype {array.dtype}")
    if array.shape != (length,):
        raise ValueError(f"labels must have shape ({length},), got {array.shape}")
    return np.ascontiguousarray(array, dtype=np.int64)


def _integer(value: object, name: str, minimum: int = 1) -> int:
    number = _count(value, name)   # TypeError for a non-integer, ValueError below 0
    if number < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {number}")
    return number
