"""minimize(): a Python loss, an update rule of the library, and the library's loop."""

from __future__ import annotations

import inspect
import operator
from typing import TYPE_CHECKING, Any, Callable, Literal
from ctypes import byref, c_double, sizeof

import numpy as np
from numpy.typing import ArrayLike

from . import _bounds, _capi, _distributed, _controls, _evaluators, _progress
from ._handle import using
from ._interrupt import RunInterrupt
from ._trampolines import Registration, progress_trampoline
from .errors import UnknownNameError, error_for_status
from .optimizers import OPTIMIZERS, Adam, Optimizer
from .result import OptimizeResult, ProgressInfo, StopReason

if TYPE_CHECKING:
    from .checkpoints import RunState
    from .objectives import Objective
    from .schedules import Schedule

__all__ = ["minimize"]

_UINT64_MAX = 2**64 - 1

# A run whose objective is Python keeps the GIL while the library works between two calls
# (gd_minimize_holding_gil): the hand-off of the GIL at every call costs more than the
# library's own work per iteration at small n. Up to this n the library's update takes well
# under the interpreter's 5 ms switch interval, so other threads wait no longer than usual;
# above it the GIL is released as for any long C call (and its cost is lost in the update's).
_HOLD_GIL_UP_TO_N = 1 << 16


def minimize(fun: Callable[..., Any] | Objective, x0: ArrayLike, *,
             jac: bool | str | Callable[..., Any] | None = None,
             optimizer: Optimizer | str | None = None, batch_size: int | None = None,
             samples: int | None = None, max_iterations: int | None = 10_000,
             max_epochs: int | None = None, gradient_tolerance: float | None = None,
             loss_tolerance: float | None = None, patience: int = 1,
             target_loss: float | None = None, time_limit: float | None = None, seed: int = 0,
             shuffle: bool = True, callback: Callable[[ProgressInfo], Any] | None = None,
             history: bool = False, progress: bool | dict[str, Any] = False,
             schedule: Schedule | None = None, schedule_per_epoch: bool = False,
             clip_norm: float | None = None, clip_value: float | None = None,
             nonfinite: Literal["fail", "skip"] = "fail", max_consecutive_skips: int = 10,
             keep_best: bool = False, run_state: RunState | None = None,
             bounds: Any = None,
             clip_norm_type: float = 2.0, clip_error_if_nonfinite: bool = False,
             comm: Any = None) -> OptimizeResult:
    """Minimize fun from x0 by gradient descent; the library runs the loop.

    fun, in one of four forms (the first is the fast one: no array is created per call):
        jac=None       fun(x, grad) -> loss, writing the gradient into grad in place
        jac=True       fun(x) -> (loss, grad)                  (SciPy's jac=True)
        jac=callable   fun(x) -> loss and jac(x) -> grad       (SciPy's jac=callable)
        jac="2-point"  fun(x) -> loss; the library computes the gradient by finite
        jac="3-point"  differences exactly as SciPy does (n + 1 or 2n + 1 calls of fun
                       per iteration; full-batch runs only)
    With samples=m, fun (and jac) also receive the batch's sample indices as a read-only
    int array, last: fun(x, grad, idx), fun(x, idx) -> (loss, grad), jac(x, idx), and
    must return the mean loss and gradient over those samples.
    x is read-only; grad is a writable array of the run (fill every entry), copied to the
    library after the call. Both are reused by the next call: copy them to keep them.

    x0            initial point, 1-D, real (converted to float64; not modified)
    optimizer     an Optimizer (its state carries over between calls: see reset()), a name
                  ("sgd", "adam", ..., "lbfgs"), or None for Adam() with PyTorch's defaults;
                  LBFGS() needs full batches (no batch_size), no schedule and no clipping
    batch_size    None or 0: full batch; k >= 1: batches of k samples (needs samples=m)
    samples       m, the number of samples, for mini-batch and stochastic runs
    max_iterations, max_epochs, time_limit (seconds): budgets; None or 0 for none
    gradient_tolerance   stop when ||grad||_2 <= this
    loss_tolerance, patience   stop when |f_prev - f| <= tol * max(1, |f_prev|, |f|)
                  for `patience` consecutive checks
    target_loss   stop when the loss is <= this
    seed, shuffle sampling: a seeded shuffle every epoch (bit-identical across machines),
                  or the samples in order when shuffle is False
    callback      callback(ProgressInfo) after every iteration; a truthy return (or
                  raising StopIteration) stops the run with StopReason.PROGRESS
    history       True to return the loss of every iteration in result.history
    progress      True to show a progress bar: tqdm's when tqdm is installed (iterations
                  out of max_iterations, or max_epochs' worth of batches, with the loss),
                  else the library's text lines on standard error; a dict is passed to
                  tqdm as keyword arguments (desc=, leave=, disable=, ...). Drawn every
                  ~0.1 s, not every iteration; False adds no cost at all

    Training controls (gradient_descent.schedules, .checkpoints; the header's section):
    schedule      a Schedule (StepLR, CosineAnnealingLR, ReduceLROnPlateau, Schedule(fn), ...)
                  that sets the optimizer's lr before every update; it is stateful and
                  carries on across calls (reset() it to start over)
    schedule_per_epoch  step the schedule after every epoch (with the epoch's mean batch
                  loss) instead of after every update
    clip_norm, clip_value   clip each gradient before its update, as torch's
                  clip_grad_norm_ and clip_grad_value_ (norm first when both)
    clip_norm_type, clip_error_if_nonfinite   clip_grad_norm_'s norm_type (p > 0 or
                  math.inf) and error_if_nonfinite (a non-finite total norm stops the run
                  as a non-finite gradient does, stop_reason NON_FINITE, instead of scaling
                  by it)
    nonfinite     "fail" (stop, return the last finite iterate) or "skip" (reject the step
                  and go on; fail after max_consecutive_skips rejections in a row)
    keep_best     return the iterate with the lowest full loss instead of the last
    run_state     a RunState to continue a run from and to record it in (bit-identical
                  resume with the optimizer's and schedule's state_dict)
    bounds        a box for x in SciPy's forms: a sequence of n (lo, hi) pairs, None for
                  no bound on that side, or a scipy.optimize.Bounds (lb, ub arrays or
                  scalars). x0 outside it is projected (result.x0_projected); first-order
                  rules project after every update; LBFGS runs its bounded form. With bounds,
                  gradient_tolerance applies to the projected gradient's norm
    comm          an mpi4py communicator (MPI.COMM_WORLD): a data-parallel run, one call on
                  every process of comm with the same arguments except the data. Each
                  process gives only its own rows (a built-in objective over them, or fun
                  with samples= its row count; samples=0 or objectives.EmptyShard(n) on a
                  process without rows); process r holds the global rows after those of
                  processes 0..r-1. Every evaluation is summed across the processes in a fixed
                  order, so every process takes the same steps and returns the same result,
                  and batch_size counts rows of all processes. An exception in fun on one
                  process stops the run on every process (there it is raised; elsewhere
                  CallbackError). Needs mpi4py and libgradient_descent_mpi (`make mpi`)

    In mini-batch runs the tolerance and target checks happen at the end of every epoch,
    on the loss over all samples. An exception raised by fun, jac or callback (also
    KeyboardInterrupt) stops the run and is re-raised here with its traceback; it gets
    the attributes `x` (where the run stopped: the iterate after the last update, or, when
    fun or jac failed, the last iterate whose loss and gradient were finite) and `result`
    (the OptimizeResult so far), unless it already has attributes of those names or refuses
    them. Ctrl-C stops any run within an iteration: KeyboardInterrupt is raised with
    those attributes (from the main thread; a run without Python in its loop then runs in
    a worker thread while the main thread waits, so that the signal is handled at once).
    Arrays given to fun, jac and callback are owned by Python: one kept after the call
    holds the values of its last use, it never points at freed memory.
    Returns an OptimizeResult (see its docstring); a non-finite loss or gradient ends the
    run with success=False and stop_reason NON_FINITE rather than raising.
    """
    x = _initial_point(x0)
    n = x.size
    sharded = comm is not None
    sample_count = _sample_count(samples, allow_zero=sharded)
    # A gradient_descent.objectives.Objective runs inside the library: no Python per call.
    native = getattr(fun, "_gd_objective", None)
    owner: Any = fun if native is not None else None       # an Objective (an OwnedHandle)
    if owner is not None and sample_count is None and (
            owner.sample_count > 0 or getattr(owner, "empty_shard", False)):
        sample_count = owner.sample_count
    batch = _batch_size(batch_size, sample_count, sharded)
    _check_callable(fun, "fun")
    points = _finite_difference_points(jac, sample_count)
    if jac is not None and jac is not True and points is None:
        _check_callable(jac, "jac")
    if native is None:
        _check_arity(fun, jac, sample_count)
    if callback is not None:
        _check_callable(callback, "callback")
    display_options = _progress.check_option(progress)

    options = _capi.gd_options()
    _capi.check(_capi.gd_options_init(byref(options)))
    options.batch_size = batch
    options.max_iterations = _count(max_iterations, "max_iterations")
    options.max_epochs = _count(max_epochs, "max_epochs")
    if gradient_tolerance is not None:
        options.gradient_tolerance = _real(gradient_tolerance, "gradient_tolerance")
    if loss_tolerance is not None:
        options.loss_tolerance = _real(loss_tolerance, "loss_tolerance")
    options.patience = _count(patience, "patience")
    if target_loss is not None:
        options.target_loss = _real(target_loss, "target_loss")
    if time_limit is not None:
        options.time_limit = _real(time_limit, "time_limit")
    options.seed = _count(seed, "seed")
    options.shuffle = 1 if shuffle else 0
    _controls.apply(options, schedule=schedule, schedule_per_epoch=schedule_per_epoch,
                    clip_norm=clip_norm, clip_value=clip_value, nonfinite=nonfinite,
                    max_consecutive_skips=max_consecutive_skips, keep_best=keep_best,
                    run_state=run_state, clip_norm_type=clip_norm_type,
                    clip_error_if_nonfinite=clip_error_if_nonfinite)
    box = _bounds.arrays(bounds, n)  # held until the run returns: C reads them
    if box is not None:
        options.lower = box[0].ctypes.data
        options.upper = box[1].ctypes.data

    buffers = _evaluators.Buffers(x, sample_count)
    recorder = _evaluators.History() if history else None
    if points is not None:
        registration = Registration(loss=_evaluators.loss_only(fun, buffers))
    elif sample_count is None:
        registration = Registration(objective=_evaluators.full_batch(fun, jac, buffers))
    else:
        registration = Registration(sampled=_evaluators.sampled(fun, jac, buffers))
    run = _capi.gd_minimize
    if native is None and n <= _HOLD_GIL_UP_TO_N:
        run = _capi.gd_minimize_holding_gil

    opt, owned = _optimizer(optimizer)
    display = result = None
    reducer = None
    try:
        handle = opt._bind(n)
        if display_options is not None:
            total = _progress.total_iterations(options.max_iterations, options.max_epochs,
                                               batch, sample_count)
            display = _progress.open_display(display_options, total, batch > 0)
        progress_function = progress_user = None
        if callback is not None or recorder is not None or (
                display is not None and display.c_function is None):
            registration.progress = _evaluators.progress(callback, recorder, display, buffers,
                                                         ProgressInfo)
            progress_function = progress_trampoline
        elif display is not None:
            progress_function, progress_user = display.c_function, display.c_user
        with registration, using(owner, opt, schedule, run_state):
            if registration.progress is not None:
                progress_user = registration.progress_id
            # Every run polls an interrupt (Ctrl-C), which forwards to the run's progress.
            interrupt = RunInterrupt(progress_function, progress_user)
            options.progress = _capi.gd_interrupt_progress
            options.progress_user = interrupt.user
            python_in_loop = (native is None or registration.progress is not None
                              or _controls.calls_python(schedule, opt))
            objective = native if native is not None else _objective(registration, n,
                                                                     sample_count, points)
            if sharded:
                reducer = _distributed.Reducer(comm)   # every process, at the same point
                options.reducer = reducer.address
            handling = interrupt.install()
            try:
                report = _capi.gd_report()
                report.struct_size = sizeof(_capi.gd_report)
                try:
                    interrupt.call(run, (objective, handle, buffers.x_address, n,
                                         byref(options), byref(report)),
                                   in_worker=handling and not python_in_loop)
                except BaseException as stop:   # Ctrl-C while a worker thread ran the loop
                    result = _result(x, report, interrupt.status, interrupt.detail, None,
                                     recorder)
                    _attach(stop, x, result)
                    raise
                finally:
                    interrupt.uninstall()
                status, detail = interrupt.status, interrupt.detail
                error = registration.error or _controls.take_error(schedule, opt)
                final = None
                if reducer is not None and status in _RESULT_STATUSES:
                    # Collective: every process takes part (the status is the same on all).
                    rows = sample_count or 0
                    held = sample_count is None or rows > 0
                    local = _final_evaluation(objective, x) if held else None
                    final = _distributed.combined_evaluation(
                        reducer, local, held, rows, sample_count is not None, n)
                    error = registration.error
                elif error is None and interrupt.deferred is None and status in _RESULT_STATUSES:
                    final = _final_evaluation(objective, x)
                    error = registration.error
                result = _result(x, report, status, detail, final, recorder)
                if error is None and interrupt.deferred is not None:
                    try:
                        interrupt.act_on_deferred()   # the held-back Ctrl-C: KeyboardInterrupt
                    except BaseException as raised:  # noqa: BLE001 - re-raised below
                        error = raised
                if error is not None:
                    _attach(error, x, result)
                    raise error
            finally:
                interrupt.close()
                if native is None:
                    _capi.gd_objective_free(objective)
    finally:
        if reducer is not None:
            reducer.close()
        if display is not None:
            display.finish(result)
        if owned:
            opt.close()
    if status < 0 and status not in _RESULT_STATUSES:
        failure = error_for_status(status, detail)
        if sharded and result is not None:   # another process failed: where this one stopped
            _attach(failure, x, result)
        raise failure
    return result


# Failures that end a run with a result rather than an exception (success False): a
# non-finite loss or gradient, and a line search that found no acceptable step.
_RESULT_STATUSES = (_capi.GD_OK, _capi.GD_E_NON_FINITE, _capi.GD_E_LINE_SEARCH)


# ---- input checks ---------------------------------------------------------------------

def _initial_point(x0: ArrayLike) -> np.ndarray:
    """x0 as a fresh C-contiguous float64 1-D array (SciPy's minimize never changes x0)."""
    try:
        array = np.asarray(x0)
    except (TypeError, ValueError) as error:
        raise TypeError(f"x0 must be a 1-D array of real numbers: {error}") from None
    if not np.can_cast(array.dtype, np.float64, casting="safe"):
        raise TypeError(f"x0 must hold real numbers convertible to float64 without loss, "
                        f"got dtype {array.dtype}")
    if array.ndim != 1:
        raise ValueError(f"x0 must be 1-D, got shape {array.shape}")
    if array.size == 0:
        raise ValueError("x0 is empty")
    x = np.array(array, dtype=np.float64, order="C", copy=True)
    finite = np.isfinite(x)
    if not finite.all():
        index = int(np.flatnonzero(~finite)[0])
        raise ValueError(f"x0 must be finite, x0[{index}] is {x[index]}")
    return x


_FINITE_DIFFERENCES = {"2-point": 2, "3-point": 3}


def _finite_difference_points(jac: object, sample_count: int | None) -> int | None:
    """2 or 3 for SciPy's jac="2-point" / "3-point", None for the other forms."""
    if jac is False or isinstance(jac, str):
        points = _FINITE_DIFFERENCES.get(jac) if isinstance(jac, str) else None
        if points is None:
            raise ValueError(f"jac={jac!r} is not supported: use jac='2-point' or '3-point' "
                             "for finite differences computed by the library, jac=True for "
                             "fun(x) -> (loss, grad), a jac callable, or fun(x, grad) -> loss")
        if sample_count is not None:
            raise ValueError(f"jac={jac!r} differentiates the full loss: it works in "
                             "full-batch runs only (no samples=)")
        return points
    return None


def _check_arity(fun: Callable[..., Any], jac: object, sample_count: int | None) -> None:
    """A clear TypeError when fun cannot take the arguments of its form (SciPy's habit of a
    one-argument fun(x) without jac=True meets the fast form fun(x, grad))."""
    try:
        signature = inspect.signature(fun)
    except (TypeError, ValueError):
        return                               # a builtin or an object without a signature
    indices = () if sample_count is None else ("idx",)
    if jac is None:
        expected = ("x", "grad", *indices)
    else:
        expected = ("x", *indices)
    try:
        signature.bind(*expected)
    except TypeError:
        pass
    else:
        return
    form = f"fun({', '.join(expected)})"
    if jac is None and not indices and _binds(signature, 1):
        raise TypeError(
            f"fun takes one argument, but without jac it is called as fun(x, grad) and must "
            f"write the gradient into grad and return the loss. For fun(x) -> (loss, grad) "
            f"pass jac=True; for fun(x) -> loss pass jac=callable, or jac='2-point' or "
            f"'3-point' to let the library compute finite differences") from None
    raise TypeError(f"fun{signature} cannot be called as {form}, the form for "
                    f"jac={jac!r}{' with samples=' if indices else ''}") from None


def _binds(signature: inspect.Signature, count: int) -> bool:
    try:
        signature.bind(*range(count))
    except TypeError:
        return False
    return True


def _check_callable(function: object, name: str) -> None:
    if not callable(function):
        raise TypeError(f"{name} must be callable, got {type(function).__name__}")


def _count(value: object, name: str) -> int:
    """A non-negative integer option; None means 0 (off)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an integer, got bool")
    try:
        number = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}") from None
    if not 0 <= number <= _UINT64_MAX:
        raise ValueError(f"{name} must be >= 0, got {number}")
    return number


def _real(value: object, name: str) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}") from None


def _sample_count(samples: object, allow_zero: bool = False) -> int | None:
    """m, or None; 0 only for a process of a data-parallel run that holds no rows."""
    if samples is None:
        return None
    count = _count(samples, "samples")
    if count == 0 and not allow_zero:
        raise ValueError("samples must be >= 1")
    return count


def _batch_size(batch_size: object, sample_count: int | None, sharded: bool = False) -> int:
    """The batch size; in a data-parallel run it counts the rows of all processes, which
    the library checks once the processes have told each other their counts."""
    size = _count(batch_size, "batch_size")
    if size > 0 and sample_count is None:
        raise ValueError("batch_size needs samples=m, the number of samples, and fun "
                         "taking the batch's indices")
    if sample_count is not None and size > sample_count and not sharded:
        raise ValueError(f"batch_size ({size}) is larger than samples ({sample_count})")
    return size


def _optimizer(optimizer: object) -> tuple[Optimizer, bool]:
    """The optimizer to use and whether minimize owns (and closes) it."""
    if optimizer is None:
        return Adam(), True
    if isinstance(optimizer, Optimizer):
        return optimizer, False
    if isinstance(optimizer, str):
        try:
            return OPTIMIZERS[optimizer.lower()](), True
        except KeyError:
            raise UnknownNameError(f"unknown optimizer {optimizer!r}; choose one of "
                                   f"{', '.join(OPTIMIZERS)}") from None
    raise TypeError(f"optimizer must be an Optimizer, a name or None, "
                    f"got {type(optimizer).__name__}")


# ---- the run --------------------------------------------------------------------------

def _objective(registration: Registration, n: int, sample_count: int | None,
               points: int | None = None) -> Any:
    objective = _capi.gd_objective_p()
    if points is not None:
        status = _capi.gd_objective_new_finite_difference(registration.trampoline,
                                                          registration.id, n, points,
                                                          byref(objective))
    elif sample_count is None:
        status = _capi.gd_objective_new(registration.trampoline, registration.id, n,
                                        byref(objective))
    elif sample_count == 0:           # a process of a data-parallel run without rows
        status = _capi.gd_objective_new_empty_shard(n, byref(objective))
    else:
        status = _capi.gd_objective_new_sampled(registration.trampoline, registration.id, n,
                                                sample_count, byref(objective))
    _capi.check(status)
    return objective


def _final_evaluation(objective: Any, x: np.ndarray) -> tuple[float, np.ndarray] | None:
    """(loss, gradient) at the returned x over all samples, or None when it failed."""
    grad = np.empty_like(x)
    loss = c_double()
    status = _capi.gd_objective_evaluate(objective, x.ctypes.data, x.size, grad.ctypes.data,
                                         byref(loss))
    if status != _capi.GD_OK:
        return None
    return loss.value, grad


def _result(x: np.ndarray, report: Any, status: int, detail: str,
            final: tuple[float, np.ndarray] | None,
            recorder: _evaluators.History | None) -> OptimizeResult:
    reason = StopReason(report.stop_reason)
    loss, grad = final if final is not None else (report.loss, None)
    result = OptimizeResult(
        x=x,
        fun=loss,
        jac=grad,
        nit=report.iterations,
        nfev=report.evaluations + (1 if final is not None else 0),
        success=status == _capi.GD_OK,
        status=status,
        message=detail or reason.description,
        stop_reason=reason,
        epochs=report.epochs,
        seconds=report.seconds,
        best_fun=report.best_loss,
        x0_projected=bool(report.x0_projected),
        **_controls.report_fields(report),
    )
    if recorder is not None:
        result["history"] = recorder.result()
    return result


def _attach(error: BaseException, x: np.ndarray, result: OptimizeResult) -> None:
    """Put the last finite iterate and the partial result on the user's exception, unless it
    has attributes of those names or refuses them (a raising __getattr__ or __setattr__
    leaves it as it is: the user's exception is what matters)."""
    for name, value in (("x", x.copy()), ("result", result)):
        try:
            if hasattr(error, name):
                continue
            setattr(error, name, value)
        except Exception:  # noqa: BLE001 - whatever the user's class raises
            pass
    try:
        error.add_note(f"raised during gradient_descent.minimize after {result.nit} "
                       f"iterations; the exception's .x is where the run stopped (its last iterate, "
                       f"or the last finite one after a failure)")
    except Exception:  # noqa: BLE001
        pass
