"""The C-callable trampolines: one per callback type, created once at import.

C holds only these three function pointers, which live as long as the module, so no
per-run CFUNCTYPE object can be collected while the library still calls it. Each run
registers its Python callables under an integer id, passed to C as the `user` pointer;
a trampoline looks the id up and calls them.

A Python exception (any BaseException, KeyboardInterrupt included) must not unwind
through C: ctypes would print and swallow it. The trampoline records the first one for
the run and returns non-zero, which stops the run; minimize() re-raises it after
gd_minimize returns. Once a run has failed, its objective refuses every later call, so
no user code runs after the first error.
"""

from __future__ import annotations

import itertools

from . import _capi

# Run id -> evaluate(x, grad, loss) for full-batch objectives.
_objectives: dict = {}
# Run id -> evaluate(x, grad, samples, count, loss) for sampled objectives.
_sampled: dict = {}
# Run id -> progress(info) -> truthy to stop.
_progress: dict = {}
# Run id -> the first exception raised by the run's Python code.
_errors: dict = {}

_ids = itertools.count(1)  # 0 would reach Python as None through c_void_p


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
    return 1


@_capi.gd_objective_fn
def objective_trampoline(user, x, grad, n, loss):
    try:
        _objectives[user](x, grad, loss)
        return 0
    except BaseException as error:  # noqa: BLE001 - nothing may unwind into C
        return _record(user, error)


@_capi.gd_sampled_fn
def sampled_trampoline(user, x, grad, n, samples, count, loss):
    try:
        _sampled[user](x, grad, samples, count, loss)
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
    """One run's entries in the registries, removed on exit (also after an error)."""

    def __init__(self, *, objective=None, sampled=None, progress=None):
        self.id = next(_ids)
        self._entries = ((_objectives, objective), (_sampled, sampled), (_progress, progress))

    def __enter__(self) -> Registration:
        for registry, function in self._entries:
            if function is not None:
                registry[self.id] = function
        return self

    def __exit__(self, *exc_info) -> None:
        for registry, _function in self._entries:
            registry.pop(self.id, None)
        _errors.pop(self.id, None)

    @property
    def error(self) -> BaseException | None:
        """The first exception raised by the run's Python code, if any."""
        return _errors.get(self.id)
