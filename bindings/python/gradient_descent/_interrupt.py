"""Ctrl-C during minimize: never lost, and prompt even when no Python runs in the loop.

Every run gets a gd_interrupt (header section "Interrupting a run"): the library polls it
after every iteration, in C, before the progress function the run would otherwise have had.
Requesting it stops the run after the iteration under way, with the iterate after the last
update in x.

Two ways a SIGINT reaches it, both only in the main thread (where Python runs handlers):
  - Python in the loop (a Python objective, callback, schedule or rule): minimize installs
    a SIGINT handler for the run. It requests the interrupt, then lets the previous handler
    act (by default, raise KeyboardInterrupt) where that exception cannot be lost: inside
    your code, whose exception the trampolines keep and minimize re-raises. When the handler
    runs in the binding's own glue around a callback (the trampolines, where ctypes would
    print and swallow an exception), it only records the signal; the run stops at its next
    poll and minimize calls the previous handler then.
  - No Python in the loop (a built-in objective): the library runs in a worker thread while
    the main thread waits, so the main thread's handler runs at once; its KeyboardInterrupt
    requests the interrupt, the worker's run stops after the iteration under way, and the
    exception is raised from minimize with the run's x on it.
"""

from __future__ import annotations

import os
import queue
import signal
import threading
from ctypes import byref, c_void_p, cast
from types import CodeType, FrameType
from typing import Any, Callable

from . import _capi

# Code objects of the binding's glue between C and Python code: a KeyboardInterrupt raised
# while one of them runs would be swallowed by ctypes. _trampolines adds its own.
GLUE_CODE: set[CodeType] = set()


class RunInterrupt:
    """The interrupt of one run, wrapping the run's progress function (next, next_user)."""

    def __init__(self, next_function: Any, next_user: int | None) -> None:
        handle = _capi.gd_interrupt_p()
        if next_function is None:
            next_function = _capi.gd_progress_fn()   # NULL: no progress function to forward to
        _capi.check(_capi.gd_interrupt_new(next_function, next_user, byref(handle)))
        self.handle = handle
        self.user: int | None = cast(handle, c_void_p).value
        self.deferred: int | None = None       # a signal held back to act on after the run
        self._previous: Callable[[int, FrameType | None], Any] | None = None
        self.status = 0
        self.detail = ""

    def request(self) -> None:
        _capi.gd_interrupt_request(self.handle)

    @property
    def requested(self) -> bool:
        return bool(_capi.gd_interrupt_requested(self.handle))

    def close(self) -> None:
        if self.handle:
            _capi.gd_interrupt_free(self.handle)
            self.handle = _capi.gd_interrupt_p()

    # ---- the SIGINT handler --------------------------------------------------------------

    def _handler(self, signum: int, frame: FrameType | None) -> Any:
        self.request()
        if frame is not None and frame.f_code in GLUE_CODE:
            if self.deferred is None:
                self.deferred = signum
            return None
        previous = self._previous
        if callable(previous):
            return previous(signum, frame)
        return None

    def install(self) -> bool:
        """Handle SIGINT for the run when this is the main thread and the current handler is
        a Python one (the default raises KeyboardInterrupt); False when it was left alone."""
        if threading.current_thread() is not threading.main_thread():
            return False
        previous = signal.getsignal(signal.SIGINT)
        if not callable(previous):
            return False   # SIG_IGN, SIG_DFL or a handler not set from Python: not ours to wrap
        self._previous = previous
        signal.signal(signal.SIGINT, self._handler)
        return True

    def uninstall(self) -> None:
        if self._previous is not None and signal.getsignal(signal.SIGINT) == self._handler:
            signal.signal(signal.SIGINT, self._previous)

    def act_on_deferred(self) -> None:
        """Give a held-back signal to the previous handler (raising KeyboardInterrupt by
        default), after the run has returned."""
        signum, self.deferred = self.deferred, None
        if signum is not None and callable(self._previous):
            self._previous(signum, None)

    # ---- running ----------------------------------------------------------------------

    def call(self, function: Callable[..., int], arguments: tuple[Any, ...],
             in_worker: bool) -> None:
        """function(*arguments), a gd_minimize, here or in a worker thread while this one
        waits; its status and gd_last_error() (of the thread that ran it) go to self.status
        and self.detail. An exception while waiting (Ctrl-C) stops the run, waits for it,
        and propagates."""
        if not in_worker:
            self.status = function(*arguments)
            self.detail = _capi.last_error() if self.status < 0 else ""
            return

        done = threading.Event()

        def work() -> None:
            try:
                self.status = function(*arguments)
                self.detail = _capi.last_error() if self.status < 0 else ""
            finally:
                done.set()

        _worker.submit(work)
        # The end is watched through an Event: a wait on a lock returns to Python when a
        # signal arrives, so the main thread's handler runs at once.
        try:
            done.wait()
        except BaseException:
            self.request()
            while not done.is_set():
                try:
                    done.wait()
                except BaseException:  # noqa: BLE001 - another Ctrl-C: the stop is on its way
                    self.request()
            raise


class _Worker:
    """One daemon thread, started at the first run that needs it and kept, that runs the
    library's loop for the main thread (starting a thread per run would cost more than a
    short run). After fork() the child starts its own."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._serve, daemon=True,
                                                name="gradient_descent.minimize")
                self._thread.start()
        self._jobs.put(job)

    def _serve(self) -> None:
        while True:
            self._jobs.get()()

    def _forget_after_fork(self) -> None:
        self.__init__()  # type: ignore[misc]


_worker = _Worker()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_worker._forget_after_fork)
