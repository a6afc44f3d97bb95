"""Update rules written in Python, run by the library like its built-in rules.

    def momentum_sgd(x, grad, lr, step, state):     # state: shape (1, n), zero at first
        buf = state[0]
        buf[:] = grad if step == 1 else 0.9 * buf + grad
        x -= lr * buf

    opt = gd.CustomOptimizer(momentum_sgd, state_size=1, lr=0.05)
    gd.minimize(fun, x0, optimizer=opt, schedule=gd.StepLR(10))

update(x, grad, lr, step, state) updates x in place: x is writable, grad read-only, lr the
optimizer's "lr" (which schedules drive), step the update's number (1 first) and state a
writable (state_size, n) float64 array the library keeps, saves and loads with the
optimizer (state_size 0: an empty (0, n) array). The arrays are Python's own, copied from
the library's buffers for the call and x and state copied back after it, so one kept after
the call is harmless (it holds that call's values). An exception stops the run (or step)
and is re-raised.

register_rule(name, update, state_size) puts the rule in the library's registry, so that C
code, Optimizer.from_state and CustomOptimizer(name=...) find it by name.
"""

from __future__ import annotations

import weakref
from ctypes import byref
from typing import Any, Callable

import numpy as np
from numpy.typing import ArrayLike

from . import _callables, _capi
from ._evaluators import wrap
from ._interrupt import GLUE_CODE
from .errors import CallbackError, error_for_status
from .optimizers import Optimizer, _real

__all__ = ["CustomOptimizer", "register_rule", "unregister_rule"]

# update(x, grad, lr, step, state): x updated in place.
UpdateRule = Callable[[np.ndarray, np.ndarray, float, int, np.ndarray], object]

# Registered name -> the registry id of its function (a registered rule stays callable for
# the life of the process: optimizers made from it keep working after unregister_rule).
_registered: dict[str, int] = {}


def _update_call(user, x, grad, n, lr, step, state, state_size):  # type: ignore[no-untyped-def]
    # x, grad and state are copied into arrays Python owns for the call (a kept array is
    # then harmless), and x and state copied back after it.
    try:
        x_library = wrap(x, n, np.float64, readonly=False)
        xv = x_library.copy()
        gv = wrap(grad, n, np.float64, readonly=True).copy()
        gv.flags.writeable = False
        if state_size:
            state_library = wrap(state, state_size * n, np.float64, readonly=False)
            sv = state_library.copy().reshape(state_size, n)
        else:
            state_library = None
            sv = np.empty((0, n))
        _callables.entries[user](xv, gv, lr, step, sv)
        x_library[...] = xv
        if state_library is not None:
            state_library[...] = sv.reshape(-1)
        return 0
    except BaseException as error:  # noqa: BLE001 - nothing may unwind into C
        _callables.errors.setdefault(user, error)
        return 1  # the library reports GD_E_CALLBACK


_update_trampoline = _capi.gd_update_fn(_update_call)
GLUE_CODE.add(_update_call.__code__)


def _new_id(update: object) -> int:
    if not callable(update):
        raise TypeError(f"update must be callable, got {type(update).__name__}")
    return _callables.register(update)


def _state_size(value: object) -> int:
    size: int = int(value)  # type: ignore[call-overload]
    if size < 0:
        raise ValueError(f"state_size must be >= 0, got {size}")
    return size


def register_rule(name: str, update: UpdateRule, state_size: int = 0) -> None:
    """Register update under name in the library (process-wide)."""
    user = _new_id(update)
    status = _capi.gd_rule_register(name.encode(), _update_trampoline, user, _state_size(state_size))
    if status < 0:
        _callables.release(user)
        _capi.check(status)
    _registered[name] = user


def unregister_rule(name: str) -> None:
    """Remove a registered rule; optimizers made from it keep working."""
    _capi.check(_capi.gd_rule_unregister(name.encode()))
    _registered.pop(name, None)  # the function stays registered for those optimizers


def take_error(user: int | None) -> BaseException | None:
    return _callables.take_error(user)


class CustomOptimizer(Optimizer):
    """An Optimizer whose update rule is a Python function (see the module's docstring), or
    a rule registered by name (CustomOptimizer(name="my_rule")). Its only key is "lr"."""

    def __init__(self, update: UpdateRule | None = None, state_size: int = 0, *,
                 lr: float = 1e-3, name: str | None = None, n: int | None = None) -> None:
        if (update is None) == (name is None):
            raise TypeError("pass either update (a function) or name (a registered rule)")
        self.name = name if name is not None else "custom"
        self._name = self.name.encode()
        self._user = _registered.get(name) if name is not None else _new_id(update)
        if name is not None and self._user is None:
            raise ValueError(f"no rule named {name!r} was registered from Python")
        self._state_size = _state_size(state_size)
        self._hyperparameters = {"lr": _real("lr", lr)}
        if not self._hyperparameters["lr"] >= 0:
            raise ValueError(f"lr must be finite and >= 0, got {lr}")
        self._arguments = dict(lr=lr) if name is not None else dict(update=update, lr=lr)
        self._n = None
        self._last = (None, None, 0, 0)
        if name is None:
            # The function's id is released with the object (the handle, if any, is freed
            # by then: nothing can call it any more).
            weakref.finalize(self, _callables.release, self._user).atexit = False
        if n is not None:
            self._bind(n)

    _calls_python = True

    def _bind(self, n: int) -> Any:
        if self._handle is not None or self.closed:
            return super()._bind(n)
        n = int(n)
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n}")
        handle = _capi.gd_optimizer_p()
        if self.name == "custom":
            status = _capi.gd_optimizer_new_custom(_update_trampoline, self._user,
                                                   self._state_size, n, byref(handle))
        else:
            status = _capi.gd_optimizer_new(self._name, n, byref(handle))
        _capi.check(status)
        try:
            _capi.check(_capi.gd_optimizer_set(handle, b"lr", self._hyperparameters["lr"]))
        except BaseException:
            _capi.gd_optimizer_free(handle)
            raise
        self._own(handle, _capi.gd_optimizer_free)
        self._n = n
        return handle

    def set(self, key: str, value: float) -> None:
        if self._handle is None and not self.closed:
            if key != "lr":
                raise error_for_status(_capi.GD_E_UNKNOWN_KEY,
                                             f"unknown key {key!r}; a custom rule has only 'lr'")
            self._hyperparameters["lr"] = _real(key, value)
            self._arguments["lr"] = value
            return
        super().set(key, value)

    def step(self, x: np.ndarray, grad: ArrayLike) -> None:
        try:
            super().step(x, grad)
        except CallbackError:
            error = take_error(self._user)
            if error is not None:
                raise error from None
            raise

    def _take_error(self) -> BaseException | None:
        return take_error(self._user)

    def __repr__(self) -> str:
        state = ", closed" if self.closed else (f", n={self._n}" if self._n is not None else "")
        return f"CustomOptimizer({self.name!r}, lr={self._hyperparameters['lr']!r}{state})"
