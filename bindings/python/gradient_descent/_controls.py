"""minimize()'s training-control options, filled into gd_options (see the header's
"Training controls"): schedule, clipping, non-finite policy, best iterate, run state."""

from __future__ import annotations

from ctypes import addressof
from typing import Any

from . import _capi

_POLICIES = {"fail": _capi.GD_NONFINITE_FAIL, "skip": _capi.GD_NONFINITE_SKIP}


def _address(pointer: Any) -> int:
    """The address a typed handle pointer holds (gd_options keeps them as void *)."""
    return addressof(pointer.contents)


def apply(options: Any, *, schedule: object, schedule_per_epoch: bool, clip_norm: float | None,
          clip_value: float | None, nonfinite: str, max_consecutive_skips: int,
          keep_best: bool, run_state: object, clip_norm_type: float = 2.0,
          clip_error_if_nonfinite: bool = False) -> None:
    if schedule is not None:
        handle = getattr(schedule, "_gd_schedule", None)
        if handle is None:
            raise TypeError(f"schedule must be a gradient_descent Schedule, got {type(schedule).__name__}")
        options.schedule = _address(handle)
    options.schedule_per_epoch = 1 if schedule_per_epoch else 0
    if clip_norm is not None:
        options.clip_norm = float(clip_norm)
    if clip_value is not None:
        options.clip_value = float(clip_value)
    options.clip_norm_type = float(clip_norm_type)
    options.clip_error_if_nonfinite = 1 if clip_error_if_nonfinite else 0
    try:
        options.nonfinite_policy = _POLICIES[nonfinite]
    except (KeyError, TypeError):
        raise ValueError(f"nonfinite must be 'fail' or 'skip', got {nonfinite!r}") from None
    if isinstance(max_consecutive_skips, bool) or int(max_consecutive_skips) < 1:
        raise ValueError(f"max_consecutive_skips must be an integer >= 1, got {max_consecutive_skips!r}")
    options.max_consecutive_skips = int(max_consecutive_skips)
    options.keep_best = 1 if keep_best else 0
    if run_state is not None:
        handle = getattr(run_state, "_gd_run_state", None)
        if handle is None:
            raise TypeError(f"run_state must be a gradient_descent RunState, got {type(run_state).__name__}")
        options.run_state = _address(handle)


def take_error(schedule: object, optimizer: object) -> BaseException | None:
    """An exception raised by a Python schedule function or update rule during the run."""
    for owner in (schedule, optimizer):
        take = getattr(owner, "_take_error", None)
        if take is not None:
            error: BaseException | None = take()
            if error is not None:
                return error
    return None


def report_fields(report: Any) -> dict[str, Any]:
    """The report's training-control fields, for OptimizeResult."""
    return dict(best_iteration=report.best_iteration, skipped_steps=report.skipped_steps,
                clipped_steps=report.clipped_steps, returned_best=bool(report.returned_best))


def calls_python(schedule: object, optimizer: object) -> bool:
    """Whether the run's schedule or update rule is a Python function (Python in the loop)."""
    return bool(getattr(schedule, "_calls_python", False)
                or getattr(optimizer, "_calls_python", False))
