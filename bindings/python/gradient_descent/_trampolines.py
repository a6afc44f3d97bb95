"""The C-callable trampolines: created once at import, one per callback type and form.

C holds only these module-level function pointers, which live as long as the module, so no
per-run CFUNCTYPE object can be collected while the library still calls it. Each run
registers its Python side under a small integer id, passed to C as the `user` pointer; a
trampoline looks the id up and calls it.

The fast form, fun(x, grad) -> loss (and fun(x, grad, idx) -> loss), has trampolines of its
own that do the whole call inline: one dict lookup, a tuple unpack, three address
comparisons, the user's function and one store of the loss. The other forms create arrays
on every call anyway and go through an evaluator closure (_evaluators.py).

The ids of finished runs are handed out again, so they stay small: CPython shares the
integers up to 256, so ctypes passes such a user pointer to the trampoline without
allocating an int, and hashing it is free.

A Python exception (any BaseException, KeyboardInterrupt included) must not unwind
through C: ctypes would print and swallow it. The trampoline records the first one for
the run and returns non-zero, which stops the run; minimize() re-raises it after
gd_minimize returns. Once a run has failed, its objective refuses every later call, so
no user code runs after the first error.
"""

from __future__ import annotations

import itertools

from . import _capi
from ._evaluators import InPlace, InPlaceSampled, loss_type_error

# Run id -> evaluate(x, grad, loss) for full-batch objectives (jac=True, jac=callable).
_objectives: dict = {}
# Run id -> evaluate(x, grad, samples, count, loss) for sampled objectives (same forms).
_sampled: dict = {}
# Run id -> InPlace.state(...) tuple, for fun(x, grad) -> loss.
_inplace: dict = {}
# Run id -> InPlaceSampled.state(...) tuple, for fun(x, grad, idx) -> loss.
_inplace_sampled: dict = {}
# Run id -> progress(info) -> truthy to stop.
_progress: dict = {}
# Run id -> the first exception raised by the run's Python code.
_errors: dict = {}

_free_ids: list = []               # ids of finished runs, to hand out again
_new_ids = itertools.count(1)      # 0 would reach Python as None through c_void_p


def registered() -> bool:
    """Whether any run is registered (False between runs: nothing leaks)."""
    return any((_objectives, _sampled, _inplace, _inplace_sampled, _progress, _errors))


class _Refused(Exception):
    """Raised into C by the objective of a run that already failed."""


def _refuse(*_args):
    raise _Refused


def _record(user, error: BaseException) -> int:
    if not isinstance(error, _Refused):
        _errors.setdefault(user, error)
    if user in _objectives:
        _objectives[user] = _refuse
    if user in _sampled:
        _sampled[user] = _refuse
    for registry in (_inplace, _inplace_sampled):
        state = registry.get(user)
        if state is not None:
            evaluator = state[-1]
            evaluator.fun = _refuse
            registry[user] = evaluator.initial_state()
    return 1


@_capi.gd_objective_fn
def objective_trampoline(user, x, grad, n, loss):
    try:
        _objectives[user](x, grad, loss)
        return 0
    except BaseException as error:  # noqa: BLE001 - nothing may unwind into C
        return _record(user, error)


@_capi.gd_objective_fn
def inplace_trampoline(user, x, grad, n, loss):
    try:
        fun, x_at, grad_at, loss_at, xv, gv, out, evaluator = _inplace[user]
        if x != x_at or grad != grad_at or loss != loss_at:
            fun, x_at, grad_at, loss_at, xv, gv, out, evaluator = _inplace[user] = \
                evaluator.state(x, grad, loss)
        value = fun(xv, gv)
        try:
            out.value = value  # a c_double at *loss: float() without a float object
        except TypeError:
            raise loss_type_error(value) from None
        return 0
    except BaseException as error:  # noqa: BLE001
        return _record(user, error)


@_capi.gd_sampled_fn
def sampled_trampoline(user, x, grad, n, samples, count, loss):
    try:
        _sampled[user](x, grad, samples, count, loss)
        return 0
    except BaseException as error:  # noqa: BLE001
        return _record(user, error)


@_capi.gd_sampled_fn
def inplace_sampled_trampoline(user, x, grad, n, samples, count, loss):
    try:
        (fun, x_at, grad_at, samples_at, count_at, loss_at, xv, gv, iv, out,
         evaluator) = _inplace_sampled[user]
        if (x != x_at or grad != grad_at or loss != loss_at or samples != samples_at
                or count != count_at):
            (fun, x_at, grad_at, samples_at, count_at, loss_at, xv, gv, iv, out,
             evaluator) = _inplace_sampled[user] = evaluator.state(x, grad, samples, count, loss)
        value = fun(xv, gv, iv)
        try:
            out.value = value
        except TypeError:
            raise loss_type_error(value) from None
        return 0
    except BaseException as error:  # noqa: BLE001
        return _record(user, error)


@_capi.gd_progress_fn
def progress_trampoline(user, info):
    try:
        return 1 if _progress[user](info) else 0
    except StopIteration:
        return 1  # SciPy's convention: a callback raising StopIteration ends the run
    except BaseException as error:  # noqa: BLE001
        return _record(user, error)


class Registration:
    """One run's entries in the registries, removed on exit (also after an error).

    objective (full batch) or sampled is the run's evaluator from _evaluators: InPlace or
    InPlaceSampled for the fast form, else the closure of full_batch or sampled.
    `trampoline` is the function pointer to give gd_objective_new (or _new_sampled) for it;
    `progress`, the run's progress function if any, may be set until the run is entered."""

    def __init__(self, *, objective=None, sampled=None, progress=None):
        self.id = None
        self.progress = progress
        if isinstance(objective, InPlace):
            self.trampoline, self._registry = inplace_trampoline, _inplace
            self._entry = objective.initial_state()
        elif objective is not None:
            self.trampoline, self._registry, self._entry = objective_trampoline, _objectives, objective
        elif isinstance(sampled, InPlaceSampled):
            self.trampoline, self._registry = inplace_sampled_trampoline, _inplace_sampled
            self._entry = sampled.initial_state()
        else:
            self.trampoline, self._registry, self._entry = sampled_trampoline, _sampled, sampled

    def __enter__(self) -> Registration:
        try:
            self.id = _free_ids.pop()
        except IndexError:
            self.id = next(_new_ids)
        self._registry[self.id] = self._entry
        if self.progress is not None:
            _progress[self.id] = self.progress
        return self

    def __exit__(self, *exc_info) -> None:
        self._registry.pop(self.id, None)
        _progress.pop(self.id, None)
        _errors.pop(self.id, None)
        _free_ids.append(self.id)

    @property
    def error(self) -> BaseException | None:
        """The first exception raised by the run's Python code, if any."""
        return _errors.get(self.id)
