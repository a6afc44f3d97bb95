"""Learning-rate schedules with torch.optim.lr_scheduler's names, arguments and closed forms.

    sched = gd.StepLR(step_size=30, gamma=0.1)
    gd.minimize(fun, x0, optimizer=gd.SGD(lr=0.1), schedule=sched, schedule_per_epoch=True, ...)

A schedule lives in the library and is stateful like a PyTorch scheduler: on its first use
by minimize it takes the optimizer's lr as its base lr and starts at step 0, then carries on
across minimize calls until reset(). minimize sets the optimizer's lr from it before every
update and steps it after every update, or after every epoch with schedule_per_epoch=True.
For a loop of your own: lr = sched.start(base_lr), then per step opt.lr = lr, opt.step(...),
lr = sched.step(loss).

LambdaLR-like schedules are plain Python: Schedule(fn) with fn(iteration, epoch, lr, loss) ->
the lr of the next step (called once at the start with loss NaN, then after every step).
An exception it raises stops the run and is re-raised by minimize (or start/step).

state_dict() gives the schedule's keys and progress as bytes; load_state_dict() restores
them into a schedule of the same kind (gradient_descent.checkpoints explains resuming).
"""

from __future__ import annotations

import math
from ctypes import byref, c_double
from functools import partial
from typing import Any, Callable, Literal

from . import _callables, _capi
from ._handle import OwnedHandle
from ._interrupt import GLUE_CODE
from .checkpoints import load_blob, save_blob

__all__ = ["Schedule", "ConstantLR", "StepLR", "ExponentialLR", "CosineAnnealingLR",
           "LinearLR", "WarmupCosine", "ReduceLROnPlateau"]

_check = _capi.check



def _schedule_call(user, iteration, epoch, lr, loss):  # type: ignore[no-untyped-def]
    try:
        return float(_callables.entries[user](iteration, epoch, lr, loss))
    except BaseException as error:  # noqa: BLE001 - nothing may unwind into C
        _callables.errors.setdefault(user, error)
        return math.nan  # the library stops with GD_E_CALLBACK


_schedule_trampoline = _capi.gd_schedule_fn(_schedule_call)
GLUE_CODE.add(_schedule_call.__code__)


class Schedule(OwnedHandle):
    """A schedule of the library by name and keys, or, given a function, a Python schedule.

    Schedule("cosine", t_max=100) is the generic form of the classes below;
    Schedule(fn) calls fn(iteration, epoch, lr, loss) for the lr of every next step.
    """

    def __init__(self, name_or_function: str | Callable[[int, int, float, float], float],
                 **keys: float) -> None:
        handle = _capi.gd_schedule_p()
        self._user: int | None = None
        if callable(name_or_function):
            if keys:
                raise TypeError("a function schedule takes no keys")
            self._user = _callables.register(name_or_function)
            status = _capi.gd_schedule_new_callback(_schedule_trampoline, self._user, byref(handle))
            self.name = "callback"
        else:
            self.name = str(name_or_function)
            status = _capi.gd_schedule_new(self.name.encode(), byref(handle))
        if status < 0:
            _callables.release(self._user)
            _check(status)
        self._calls_python = self._user is not None
        if self._user is None:
            self._own(handle, _capi.gd_schedule_free)
        else:
            self._own(handle, _capi.gd_schedule_free, partial(_callables.release, self._user))
        for key, value in keys.items():
            self.set(key, value)

    # ---- the handle -------------------------------------------------------------------

    @property
    def _gd_schedule(self) -> Any:
        return self._live(self._handle)

    def _take_error(self) -> BaseException | None:
        """The exception a function schedule raised since the last call, if any."""
        return _callables.take_error(self._user)

    def _call(self, status: int) -> None:
        error = self._take_error()
        if error is not None:
            raise error
        _check(status)

    # ---- keys and stepping -------------------------------------------------------------

    def set(self, key: str, value: float) -> None:
        """Set a key (the library checks its range)."""
        if isinstance(value, bool):
            value = 1.0 if value else 0.0
        _check(_capi.gd_schedule_set(self._gd_schedule, key.encode(), float(value)))

    def get(self, key: str) -> float:
        value = c_double()
        _check(_capi.gd_schedule_get(self._gd_schedule, key.encode(), byref(value)))
        return value.value

    def start(self, base_lr: float) -> float:
        """Start (or restart) at step 0 from base_lr; the lr of step 0."""
        lr = c_double()
        self._call(_capi.gd_schedule_start(self._gd_schedule, float(base_lr), byref(lr)))
        return lr.value

    def step(self, loss: float = math.nan) -> float:
        """One step whose loss was loss (read by ReduceLROnPlateau and functions); the lr of
        the next step."""
        lr = c_double()
        self._call(_capi.gd_schedule_step(self._gd_schedule, float(loss), byref(lr)))
        return lr.value

    @property
    def lr(self) -> float:
        """The lr of the next step; NaN before the schedule has started."""
        lr = c_double()
        _check(_capi.gd_schedule_lr(self._gd_schedule, byref(lr)))
        return lr.value

    def reset(self) -> None:
        """Forget the progress: the next run starts again from the optimizer's lr."""
        _check(_capi.gd_schedule_reset(self._gd_schedule))

    # ---- saved state ---------------------------------------------------------------------

    def state_dict(self) -> bytes:
        """Keys and progress as the library's versioned blob."""
        return save_blob(_capi.gd_schedule_save, self._gd_schedule)

    def load_state_dict(self, state: bytes) -> None:
        """Restore keys and progress saved by a schedule of the same kind (BadStateError
        otherwise; nothing changes then)."""
        load_blob(_capi.gd_schedule_load, self._gd_schedule, state)

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"lr={self.lr!r}"
        return f"<{type(self).__name__} {self.name!r} {state}>"


class ConstantLR(Schedule):
    """lr·factor until total_iters steps, then lr (defaults keep lr constant)."""

    def __init__(self, factor: float = 1.0, total_iters: int = 0) -> None:
        super().__init__("constant", factor=factor, total_iters=total_iters)


class StepLR(Schedule):
    """lr·gamma^⌊e/step_size⌋."""

    def __init__(self, step_size: int, gamma: float = 0.1) -> None:
        super().__init__("step", step_size=step_size, gamma=gamma)


class ExponentialLR(Schedule):
    """lr·gamma^e."""

    def __init__(self, gamma: float) -> None:
        super().__init__("exponential", gamma=gamma)


class CosineAnnealingLR(Schedule):
    """eta_min + (lr − eta_min)·(1 + cos(π·e/T_max))/2 (PyTorch's closed form)."""

    def __init__(self, T_max: int, eta_min: float = 0.0) -> None:  # noqa: N803 - PyTorch's name
        super().__init__("cosine", t_max=T_max, eta_min=eta_min)


class LinearLR(Schedule):
    """lr·(start_factor + (end_factor − start_factor)·min(e, total_iters)/total_iters)."""

    def __init__(self, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
                 total_iters: int = 5) -> None:
        super().__init__("linear", start_factor=start_factor, end_factor=end_factor,
                         total_iters=total_iters)


class WarmupCosine(Schedule):
    """Linear warm-up from lr·start_factor over warmup_steps, then cosine annealing over
    T_max steps: SequentialLR([LinearLR, CosineAnnealingLR], milestones=[warmup_steps])."""

    def __init__(self, warmup_steps: int, T_max: int,  # noqa: N803 - PyTorch's name
                 start_factor: float = 1.0 / 3, eta_min: float = 0.0) -> None:
        super().__init__("warmup_cosine", warmup_steps=warmup_steps, t_max=T_max,
                         start_factor=start_factor, eta_min=eta_min)


class ReduceLROnPlateau(Schedule):
    """PyTorch's ReduceLROnPlateau, fed the loss of every step (or the epoch's mean batch
    loss with schedule_per_epoch=True)."""

    def __init__(self, mode: Literal["min", "max"] = "min", factor: float = 0.1,
                 patience: int = 10, threshold: float = 1e-4,
                 threshold_mode: Literal["rel", "abs"] = "rel",
                 cooldown: int = 0, min_lr: float = 0.0, eps: float = 1e-8) -> None:
        modes = {"min": 0, "max": 1}
        threshold_modes = {"rel": 0, "abs": 1}
        if mode not in modes:
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        if threshold_mode not in threshold_modes:
            raise ValueError(f"threshold_mode must be 'rel' or 'abs', got {threshold_mode!r}")
        super().__init__("plateau", mode=modes[mode], factor=factor, patience=patience,
                         threshold=threshold, threshold_mode=threshold_modes[threshold_mode],
                         cooldown=cooldown, min_lr=min_lr, eps=eps)
