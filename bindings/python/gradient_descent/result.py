"""What a run reports: OptimizeResult (SciPy's shape), StopReason, ProgressInfo."""

from __future__ import annotations

import enum
from typing import Any

import numpy as np

from ._header_tables import STOP_REASON_TABLE

__all__ = ["OptimizeResult", "StopReason", "ProgressInfo"]


class OptimizeResult(dict[str, Any]):
    """The result of minimize, a dict with attribute access like scipy.optimize's.

    x           the solution (the last iterate; the last finite one after a failure)
    fun         the loss at x (over all samples)
    jac         the gradient at x (over all samples)
    nit         iterations (updates applied; for LBFGS and line searches, accepted steps)
    nfev        calls of the objective, including the final one that computes jac
    success     True when the run stopped by one of its criteria (see stop_reason),
                False when it failed on a non-finite loss or gradient, or when a line
                search found no acceptable step (StopReason.LINE_SEARCH_FAILED)
    status      0, or the negative gd_status of the failure (-8, GD_E_NON_FINITE;
                -12, GD_E_LINE_SEARCH)
    message     why the run stopped, in words
    stop_reason a StopReason
    epochs      completed passes over the samples (0 in full-batch runs)
    seconds     wall clock of the run, as measured by the library
    best_fun    the lowest full loss seen during the run
    best_iteration  updates applied before the iterate of best_fun (0: the start)
    skipped_steps   evaluations rejected as non-finite by nonfinite="skip"
    clipped_steps   updates whose gradient clip_norm / clip_value changed
    returned_best   True when x is the best iterate (keep_best=True), not the last
    x0_projected    True when x0 was outside bounds= and was projected into them
    history     (only with history=True) the loss of every iteration, as measured before
                its update; in mini-batch runs, the batch's loss; with LBFGS, the loss of
                the iterate each accepted step reached
    """

    x: np.ndarray
    fun: float
    jac: np.ndarray | None
    nit: int
    nfev: int
    success: bool
    status: int
    message: str
    stop_reason: StopReason
    epochs: int
    seconds: float
    best_fun: float
    best_iteration: int
    skipped_steps: int
    clipped_steps: int
    returned_best: bool
    history: np.ndarray

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as error:
            raise AttributeError(name) from error

    __setattr__ = dict.__setitem__
    __delattr__ = dict.__delitem__

    def __dir__(self) -> list[str]:
        return list(self.keys())

    def __repr__(self) -> str:
        if not self:
            return f"{type(self).__name__}()"
        width = max(map(len, self.keys())) + 1
        lines = []
        for key, value in self.items():
            text = repr(value).replace("\n", "\n" + " " * (width + 2))
            lines.append(f"{key.rjust(width)}: {text}")
        return "\n".join(lines)


class StopReason(enum.IntEnum):
    """Why a run stopped: GD_STOP_REASON_TABLE of the header, without the GD_STOP_ prefix."""

    _ignore_ = ["name", "value", "text"]
    for name, value, text in STOP_REASON_TABLE:
        locals()[name.removeprefix("GD_STOP_")] = value

    @property
    def description(self) -> str:
        """The header's text for this reason, e.g. "reached max_iterations"."""
        return _DESCRIPTIONS[self.value]


_DESCRIPTIONS = {value: text for _name, value, text in STOP_REASON_TABLE}


class ProgressInfo:
    """What minimize's callback sees after every iteration.

    iteration       updates applied so far, >= 1
    epoch           completed passes over the samples (0 in full-batch runs)
    loss            the loss measured before this update (the batch's, in mini-batch runs)
    gradient_norm   L2 norm of the gradient used by the update
    lr              the learning rate used by the update
    x               the iterate after the update, a read-only view that the run keeps
                    updating: copy it to keep it
    """

    __slots__ = ("iteration", "epoch", "loss", "gradient_norm", "lr", "x")

    def __init__(self, iteration: int, epoch: int, loss: float, gradient_norm: float,
                 lr: float, x: np.ndarray) -> None:
        self.iteration = iteration
        self.epoch = epoch
        self.loss = loss
        self.gradient_norm = gradient_norm
        self.lr = lr
        self.x = x

    def __repr__(self) -> str:
        return (f"ProgressInfo(iteration={self.iteration}, epoch={self.epoch}, "
                f"loss={self.loss!r}, gradient_norm={self.gradient_norm!r}, lr={self.lr!r})")
