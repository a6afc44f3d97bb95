"""Learning-rate schedules with torch.optim.lr_scheduler's names, arguments and closed forms.

    sched = gd.StepLR(step_size=30, gamma=0.1)
    gd.minimize(fun, x0, optimizer=gd.SGD(lr=0.1), schedule=sched, schedule_per_epoch=True, ...)

A schedule lives in the library and is stateful like a PyTorch scheduler: on its first use
by minimize it takes the optimizer's lr as its base lr and starts at step 0, then carries on
across minimize calls until reset(). minimize sets the optimizer's lr from it before every
update and steps it after every update, or after every epoch with schedule_per_epoch=True.
For a loop of your own: lr = sched.start(base_lr), then per step opt.lr = lr, opt.step(...),
lr = sched.step(loss).

OneCycleLR and CyclicLR also cycle momentum (minimize sets the optimizer's momentum or beta1;
in a loop of your own read sched.momentum). SequentialLR and ChainedScheduler take copies of
their schedules. step(epoch=e) jumps as torch's scheduler.step(e) does.

LambdaLR-like schedules are plain Python: Schedule(fn) with fn(iteration, epoch, lr, loss) ->
the lr of the next step (called once at the start with loss NaN, then after every step).
An exception it raises stops the run and is re-raised by minimize (or start/step).

state_dict() gives the schedule's keys and progress as bytes; load_state_dict() restores
them into a schedule of the same kind (gradient_descent.checkpoints explains resuming).
"""

from __future__ import annotations

import math
from ctypes import byref, c_double, c_size_t
from functools import partial
from typing import Any, Callable, Iterable, Literal

from . import _callables, _capi
from ._handle import OwnedHandle
from ._interrupt import GLUE_CODE
from .checkpoints import load_blob, save_blob

__all__ = ["Schedule", "ConstantLR", "StepLR", "ExponentialLR", "CosineAnnealingLR",
           "LinearLR", "WarmupCosine", "ReduceLROnPlateau", "MultiStepLR", "PolynomialLR",
           "CosineAnnealingWarmRestarts", "OneCycleLR", "CyclicLR", "SequentialLR",
           "ChainedScheduler"]

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

    def start(self, base_lr: float | list[float] | tuple[float, ...]) -> Any:
        """Start (or restart) at step 0 from base_lr; the lr of step 0. A list of base lrs
        (one per parameter group) starts every group and returns the list of their lrs;
        `step` then steps them all and `get_last_lr()` reads them."""
        if isinstance(base_lr, (list, tuple)):
            count = len(base_lr)
            bases = (c_double * max(count, 1))(*[float(v) for v in base_lr])
            rates = (c_double * max(count, 1))()
            self._call(_capi.gd_schedule_start_groups(self._gd_schedule, bases, count, rates))
            return list(rates[:count])
        lr = c_double()
        self._call(_capi.gd_schedule_start(self._gd_schedule, float(base_lr), byref(lr)))
        return lr.value

    def step(self, loss: float = math.nan, *, epoch: float | None = None) -> float:
        """One step whose loss was loss (read by ReduceLROnPlateau and functions); the lr of
        the next step. With epoch, jump there instead, as torch's scheduler.step(epoch):
        closed forms, OneCycleLR and CyclicLR at whole epochs, CosineAnnealingWarmRestarts at
        fractional ones too (step(epoch + i / iters))."""
        lr = c_double()
        if epoch is not None:
            self._call(_capi.gd_schedule_step_to(self._gd_schedule, float(epoch), byref(lr)))
        else:
            self._call(_capi.gd_schedule_step(self._gd_schedule, float(loss), byref(lr)))
        return lr.value

    @property
    def momentum(self) -> float:
        """The momentum (or beta1) of the next step when the schedule cycles momentum
        (OneCycleLR, CyclicLR); NaN otherwise."""
        value = c_double()
        _check(_capi.gd_schedule_momentum(self._gd_schedule, byref(value)))
        return value.value

    @property
    def lr(self) -> float:
        """The lr of the next step; NaN before the schedule has started."""
        lr = c_double()
        _check(_capi.gd_schedule_lr(self._gd_schedule, byref(lr)))
        return lr.value

    def get_last_lr(self) -> list[float]:
        """torch's get_last_lr(): the lr of the next step of every parameter group (one
        entry until a run with a grouped optimizer starts the schedule)."""
        count = c_size_t()
        _check(_capi.gd_schedule_group_count(self._gd_schedule, byref(count)))
        rates = []
        for group in range(count.value):
            lr = c_double()
            _check(_capi.gd_schedule_group_lr(self._gd_schedule, group, byref(lr)))
            rates.append(lr.value)
        return rates

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


class MultiStepLR(Schedule):
    """lr·gamma^(number of milestones ≤ e); at most 8 milestones (repeats decay twice)."""

    def __init__(self, milestones: Iterable[int], gamma: float = 0.1) -> None:
        milestones = list(milestones)
        if not 1 <= len(milestones) <= 8:
            raise ValueError(f"MultiStepLR takes 1 to 8 milestones here, got {len(milestones)}")
        if any(int(m) != m or m < 1 for m in milestones):
            raise ValueError(f"milestones must be whole numbers >= 1, got {milestones}")
        keys = {f"milestone_{i + 1}": m for i, m in enumerate(milestones)}
        super().__init__("multistep", gamma=gamma, **keys)


class PolynomialLR(Schedule):
    """lr·(1 − min(e, total_iters)/total_iters)^power."""

    def __init__(self, total_iters: int = 5, power: float = 1.0) -> None:
        super().__init__("polynomial", total_iters=total_iters, power=power)


class CosineAnnealingWarmRestarts(Schedule):
    """Cosine annealing restarted every T_i steps, T_i = T_0·T_mult^restarts; step(epoch=...)
    takes fractional epochs as torch's does."""

    def __init__(self, T_0: int, T_mult: int = 1, eta_min: float = 0.0) -> None:  # noqa: N803 - PyTorch's names
        super().__init__("warm_restarts", t_0=T_0, t_mult=T_mult, eta_min=eta_min)


class OneCycleLR(Schedule):
    """torch's OneCycleLR (the optimizer's lr is not used: the cycle starts at
    max_lr/div_factor). With cycle_momentum the run also sets momentum or beta1."""

    def __init__(self, max_lr: float, total_steps: int | None = None, epochs: int | None = None,
                 steps_per_epoch: int | None = None, pct_start: float = 0.3,
                 anneal_strategy: Literal["cos", "linear"] = "cos", cycle_momentum: bool = True,
                 base_momentum: float = 0.85, max_momentum: float = 0.95, div_factor: float = 25.0,
                 final_div_factor: float = 1e4, three_phase: bool = False) -> None:
        if total_steps is None:
            if epochs is None or steps_per_epoch is None:
                raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
            total_steps = int(epochs) * int(steps_per_epoch)
        strategies = {"cos": 0, "linear": 1}
        if anneal_strategy not in strategies:
            raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}")
        super().__init__("one_cycle", max_lr=max_lr, total_steps=total_steps, pct_start=pct_start,
                         anneal_strategy=strategies[anneal_strategy], cycle_momentum=cycle_momentum,
                         base_momentum=base_momentum, max_momentum=max_momentum,
                         div_factor=div_factor, final_div_factor=final_div_factor,
                         three_phase=three_phase)


class CyclicLR(Schedule):
    """torch's CyclicLR with its three modes (a custom scale_fn is a Schedule(fn) instead;
    scale_mode only matters with one, as in torch). With cycle_momentum the run also sets
    momentum or beta1."""

    def __init__(self, base_lr: float, max_lr: float, step_size_up: int = 2000,
                 step_size_down: int | None = None,
                 mode: Literal["triangular", "triangular2", "exp_range"] = "triangular",
                 gamma: float = 1.0, scale_fn: Callable[[float], float] | None = None,
                 scale_mode: Literal["cycle", "iterations"] = "cycle", cycle_momentum: bool = True,
                 base_momentum: float = 0.8, max_momentum: float = 0.9) -> None:
        modes = {"triangular": 0, "triangular2": 1, "exp_range": 2}
        if scale_fn is not None:
            raise ValueError("CyclicLR with a custom scale_fn is not built in; write the schedule as "
                             "gd.Schedule(fn) instead")
        if scale_mode not in ("cycle", "iterations"):
            raise ValueError(f"scale_mode must be 'cycle' or 'iterations', got {scale_mode!r}")
        if mode not in modes:
            raise ValueError("mode is invalid and scale_fn is None")
        super().__init__("cyclic", base_lr=base_lr, max_lr=max_lr, step_size_up=step_size_up,
                         step_size_down=0 if step_size_down is None else step_size_down,
                         mode=modes[mode], gamma=gamma, cycle_momentum=cycle_momentum,
                         base_momentum=base_momentum, max_momentum=max_momentum)


class _Composite(Schedule):
    def __init__(self, name: str, schedulers: Iterable[Schedule], milestones: Iterable[int]) -> None:
        schedulers = list(schedulers)
        if not schedulers:
            raise ValueError(f"{type(self).__name__} expects at least one scheduler")
        super().__init__(name)
        for scheduler, milestone in zip(schedulers, milestones, strict=True):
            if isinstance(milestone, bool) or int(milestone) != milestone or milestone < 0:
                raise ValueError(f"milestones must be whole numbers >= 0, got {milestone!r}")
            handle = getattr(scheduler, "_gd_schedule", None)
            if handle is None:
                raise TypeError(f"schedulers must be gradient_descent schedules, got {type(scheduler).__name__}")
            _check(_capi.gd_schedule_add(self._gd_schedule, handle, int(milestone)))
        self.schedulers = schedulers


class SequentialLR(_Composite):
    """Each schedule from its milestone to the next, restarted from the base lr at its
    milestone (copies of the schedules are taken here)."""

    def __init__(self, schedulers: Iterable[Schedule], milestones: Iterable[int]) -> None:
        schedulers = list(schedulers)
        milestones = list(milestones)
        if len(milestones) != len(schedulers) - 1:
            raise ValueError("Sequential Schedulers expects number of schedulers provided to be one more "
                             "than the number of milestone points")
        super().__init__("sequential", schedulers, [0, *milestones])


class ChainedScheduler(_Composite):
    """Every schedule stepped every step, each applied to the lr the previous one left."""

    def __init__(self, schedulers: Iterable[Schedule]) -> None:
        schedulers = list(schedulers)
        super().__init__("chained", schedulers, [0] * len(schedulers))
