"""The lifetime of every library handle the Python side owns, written once.

Optimizer, CustomOptimizer, Objective, Schedule and RunState derive from OwnedHandle. Rules:

  - A handle is freed by close(), by a `with` block, or when its object is collected
    (weakref.finalize), whichever comes first; then its `keep` objects (the arrays a built-in
    objective borrows, a callable's registry id) are released, never before.
  - A run uses handles (OwnedHandle.using); close() during a run (from a callback, or from
    another thread) marks the object closed at once but frees the handle only when the last
    run using it has returned. The library never sees a freed handle or freed data.
  - At interpreter exit nothing is freed: a daemon thread may still be inside the library with
    these handles (the process's end reclaims the memory). Handles in use by a run then are
    kept, with their data, for the rest of the process, even while modules are torn down.
"""

from __future__ import annotations

import atexit
import ctypes
import threading
import weakref
from contextlib import contextmanager
from typing import Any, Callable, Iterator, TypeVar

_Self = TypeVar("_Self", bound="OwnedHandle")

# id(owner) -> [owner, runs using it]; what the exit hook keeps alive for good.
_in_use: dict[int, list[Any]] = {}
_lock = threading.Lock()


def _free(free: Callable[[Any], None], handle: Any, keep: tuple[Any, ...]) -> None:
    """Free the handle, then let go of keep (an id releaser is called, arrays dropped)."""
    free(handle)
    for item in keep:
        if callable(item):
            item()


class OwnedHandle:
    """Base of the objects that own a library handle (see the module docstring)."""

    _handle: Any = None
    _finalizer: weakref.finalize[Any, Any] | None = None
    _keep: tuple[Any, ...] = ()
    _runs: int = 0
    _close_requested: bool = False

    def _own(self, handle: Any, free: Callable[[Any], None], *keep: Any) -> None:
        """Take ownership of handle, freed by free(handle); keep lives at least as long.
        A callable in keep is called after the free (to release a registry id)."""
        self._handle = handle
        self._keep = keep
        finalizer = weakref.finalize(self, _free, free, handle, keep)
        finalizer.atexit = False
        self._finalizer = finalizer

    @property
    def closed(self) -> bool:
        """True after close() (also while a run still uses the handle)."""
        if self._close_requested:
            return True
        return self._finalizer is not None and not self._finalizer.alive

    def _live(self, handle: Any) -> Any:
        """handle, or ValueError once closed."""
        if self.closed:
            raise ValueError(f"{type(self).__name__} is closed")
        return handle

    def close(self) -> None:
        """Free the library's object now, or when the runs using it return (idempotent)."""
        self._close_requested = True
        if self._runs == 0 and self._finalizer is not None:
            self._finalizer()

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ---- runs ---------------------------------------------------------------------------

    def _acquire(self) -> None:
        with _lock:
            self._runs += 1
            entry = _in_use.setdefault(id(self), [self, 0])
            entry[1] += 1

    def _release(self) -> None:
        with _lock:
            self._runs -= 1
            entry = _in_use[id(self)]
            entry[1] -= 1
            if entry[1] == 0:
                del _in_use[id(self)]
        if self._runs == 0 and self._close_requested and self._finalizer is not None:
            self._finalizer()


@contextmanager
def using(*owners: OwnedHandle | None) -> Iterator[None]:
    """Mark the owners (None is skipped) as used by a run for the with block."""
    held = [owner for owner in owners if owner is not None]
    for owner in held:
        owner._acquire()
    try:
        yield
    finally:
        for owner in held:
            owner._release()


@atexit.register
def _keep_what_runs_use() -> None:
    """At exit, make the objects still used by a run (a daemon thread inside minimize)
    immortal: one reference that is never given back, so neither their handles nor the data
    they keep are freed while the library may still read them."""
    with _lock:
        for owner, _count in list(_in_use.values()):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(owner))
