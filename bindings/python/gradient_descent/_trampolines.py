"""The C-callable trampolines of runs: objectives and progress functions.

Each is created once at import (a module-level CFUNCTYPE that lives as long as the module,
so none can be collected while the library still calls it). A run registers its Python side
in the one registry of callables (_callables) and passes the id as the `user` pointer.

The fast form, fun(x, grad) -> loss (and fun(x, grad, idx) -> loss), has trampolines of its
own that do the whole call inline: one dict lookup, a tuple unpack, three address
comparisons, the user's function, one copy of the gradient into the library's buffer and one
store of the loss. The other forms create arrays on every call anyway and go through an
evaluator closure (_evaluators.py).

A Python exception (any BaseException, KeyboardInterrupt included) must not unwind through
C: ctypes would print and swallow it. The trampoline keeps the first one for its id and
returns non-zero, which stops the run; minimize() re-raises it after gd_minimize returns.
Once a run has failed, its objective refuses every later call, so no user code runs after
the first error. The trampolines and _record are "glue" for the SIGINT handler of a run
(_interrupt.py): a Ctrl-C arriving while they run is held back, never raised where ctypes
would swallow it.
"""

from __future__ import annotations

from typing import Any

from . import _callables, _capi
from ._callables import entries
from ._evaluators import InPlace, InPlaceSampled, Refused, _refuse, loss_type_error
from ._interrupt import GLUE_CODE

# Objective id -> what its entry becomes after the first error (it refuses every call).
_refusing: dict[int, Any] = {}
_errors = _callables.errors
# The ids registered by runs under way.
_run_ids: set[int] = set()


def registered() -> bool:
    """Whether any run is registered (False between runs: nothing leaks)."""
    return bool(_run_ids)


def _record(user: int, error: BaseException) -> int:
    # Glue: calls only C functions (dict methods), so no Python frame of its own runs here.
    if error.__class__ is not Refused:
        _errors.setdefault(user, error)
    refusing = _refusing.get(user)
    if refusing is not None:
        entries[user] = refusing
    return 1


def _objective_call(user, x, grad, n, loss):  # type: ignore[no-untyped-def]
    try:
        entries[user](x, grad, loss)
        return 0
    except BaseException as error:  # noqa: BLE001 - nothing may unwind into C
        return _record(user, error)


def _inplace_call(user, x, grad, n, loss):  # type: ignore[no-untyped-def]
    try:
        fun, x_at, grad_at, loss_at, xv, xw, xc, gv, gc, out, evaluator = entries[user]
        if x != x_at or grad != grad_at or loss != loss_at:
            fun, x_at, grad_at, loss_at, xv, xw, xc, gv, gc, out, evaluator = entries[user] = \
                evaluator.state(x, grad, loss)
        if xc is not None:
            xw[...] = xc
        value = fun(xv, gv)
        if gc is not None:
            gc[...] = gv
        try:
            out.value = value  # a c_double at *loss: float() without a float object
        except TypeError:
            raise loss_type_error(value) from None
        return 0
    except BaseException as error:  # noqa: BLE001
        return _record(user, error)


def _sampled_call(user, x, grad, n, samples, count, loss):  # type: ignore[no-untyped-def]
    try:
        entries[user](x, grad, samples, count, loss)
        return 0
    except BaseException as error:  # noqa: BLE001
        return _record(user, error)


def _inplace_sampled_call(user, x, grad, n, samples, count, loss):  # type: ignore[no-untyped-def]
    try:
        (fun, x_at, grad_at, samples_at, count_at, loss_at, xv, xw, xc, gv, gc, iv, iw, ic, out,
         evaluator) = entries[user]
        if (x != x_at or grad != grad_at or loss != loss_at or samples != samples_at
                or count != count_at):
            (fun, x_at, grad_at, samples_at, count_at, loss_at, xv, xw, xc, gv, gc, iv, iw, ic,
             out, evaluator) = entries[user] = evaluator.state(x, grad, samples, count, loss)
        if xc is not None:
            xw[...] = xc
        iw[...] = ic
        value = fun(xv, gv, iv)
        if gc is not None:
            gc[...] = gv
        try:
            out.value = value
        except TypeError:
            raise loss_type_error(value) from None
        return 0
    except BaseException as error:  # noqa: BLE001
        return _record(user, error)


def _loss_call(user, x, n, loss):  # type: ignore[no-untyped-def]
    try:
        entries[user](x, loss)
        return 0
    except BaseException as error:  # noqa: BLE001
        return _record(user, error)


def _progress_call(user, info):  # type: ignore[no-untyped-def]
    try:
        return 1 if entries[user](info) else 0
    except StopIteration:
        return 1  # SciPy's convention: a callback raising StopIteration ends the run
    except BaseException as error:  # noqa: BLE001
        return _record(user, error)


_GLUE = (_record, _objective_call, _inplace_call, _sampled_call, _inplace_sampled_call,
         _loss_call, _progress_call)
GLUE_CODE.update(function.__code__ for function in _GLUE)

objective_trampoline = _capi.gd_objective_fn(_objective_call)
inplace_trampoline = _capi.gd_objective_fn(_inplace_call)
sampled_trampoline = _capi.gd_sampled_fn(_sampled_call)
inplace_sampled_trampoline = _capi.gd_sampled_fn(_inplace_sampled_call)
loss_trampoline = _capi.gd_loss_fn(_loss_call)
progress_trampoline = _capi.gd_progress_fn(_progress_call)


class Registration:
    """One run's entries in the registry of callables, released on exit (also after an
    error): the objective's (`id`, the user pointer of its gd_objective) and the progress
    function's (`progress_id`), when the run has one.

    objective (full batch), sampled or loss is the run's evaluator from _evaluators: InPlace
    or InPlaceSampled for the fast form, else the closure of full_batch, sampled or
    loss_only (a gd_loss_fn for the library's finite differences).
    `trampoline` is the function pointer to give gd_objective_new (or _new_sampled) for it;
    `progress`, the run's progress function if any, may be set until the run is entered."""

    def __init__(self, *, objective: Any = None, sampled: Any = None, loss: Any = None,
                 progress: Any = None) -> None:
        self.id: int | None = None
        self.progress_id: int | None = None
        self.progress = progress
        self.loss_only = loss is not None
        self.trampoline: Any
        self._entry: Any
        self._refusing: Any
        if loss is not None:
            self.trampoline, self._entry, self._refusing = loss_trampoline, loss, _refuse
        elif isinstance(objective, InPlace):
            self.trampoline = inplace_trampoline
            self._entry = objective.initial_state()
            self._refusing = objective.refusing()
        elif objective is not None:
            self.trampoline, self._entry, self._refusing = objective_trampoline, objective, _refuse
        elif isinstance(sampled, InPlaceSampled):
            self.trampoline = inplace_sampled_trampoline
            self._entry = sampled.initial_state()
            self._refusing = sampled.refusing()
        else:
            self.trampoline, self._entry, self._refusing = sampled_trampoline, sampled, _refuse

    def __enter__(self) -> Registration:
        self.id = _callables.register(self._entry)
        _refusing[self.id] = self._refusing
        _run_ids.add(self.id)
        if self.progress is not None:
            self.progress_id = _callables.register(self.progress)
            _run_ids.add(self.progress_id)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for user in (self.id, self.progress_id):
            if user is not None:
                _refusing.pop(user, None)
                _run_ids.discard(user)
                _callables.release(user)

    @property
    def error(self) -> BaseException | None:
        """The first exception raised by the run's Python code, if any."""
        error = _errors.get(self.id) if self.id is not None else None
        if error is None and self.progress_id is not None:
            error = _errors.get(self.progress_id)
        return error
