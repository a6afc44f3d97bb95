"""Saved states and resuming a run bit for bit.

Optimizers, schedules and run states save to the library's versioned, self-describing byte
blobs (magic b"GDSTATE\\0", format version, kind, size, CRC-32; the same bytes on every
machine) and load back; a blob of another rule, dimension, kind or version, or a truncated
or corrupted one, raises BadStateError and changes nothing.

    opt.state_dict() -> bytes          opt.load_state_dict(blob)      Optimizer.from_state(blob)
    sched.state_dict() -> bytes        sched.load_state_dict(blob)
    run.state_dict() -> bytes          run.load_state_dict(blob)      (run = RunState())

A run's trajectory depends on x, the optimizer's state, the schedule's progress and the
run's own position (iteration and epoch counters, the sampler's position and PRNG state,
the stopping criteria's memory, the best iterate). Pass run_state=RunState() to minimize
and save all four; to resume, load them into new objects and call minimize with the same
options and the saved x: the iterates are bit-identical to an uninterrupted run's. With a
run state, max_iterations and max_epochs count the whole run (they are totals).
"""

from __future__ import annotations

from ctypes import byref, c_size_t, create_string_buffer
from typing import Any

from . import _capi
from ._handle import OwnedHandle
from .errors import error_for_status

__all__ = ["RunState", "save_blob", "load_blob"]


def save_blob(save: Any, handle: Any) -> bytes:
    """The blob of a gd_*_save function (two calls: the size, then the bytes)."""
    size = c_size_t()
    _capi.check(save(handle, None, 0, byref(size)))
    buffer = create_string_buffer(size.value)
    _capi.check(save(handle, buffer, size.value, byref(size)))
    return buffer.raw[:size.value]


def load_blob(load: Any, handle: Any, state: bytes | bytearray | memoryview) -> None:
    """Hand bytes to a gd_*_load function."""
    if not isinstance(state, (bytes, bytearray, memoryview)):
        raise TypeError(f"a saved state is bytes, got {type(state).__name__}")
    data = bytes(state)
    _capi.check(load(handle, data, len(data)))


class RunState(OwnedHandle):
    """Where a run is, so that minimize(..., run_state=state) continues it exactly.

    A fresh RunState starts a run from its seed with counters at 0; after a run it holds the
    run's position, and the next minimize with it continues from there (the seed is then
    ignored). reset() makes it fresh again.
    """

    def __init__(self) -> None:
        handle = _capi.gd_run_state_p()
        _capi.check(_capi.gd_run_state_new(byref(handle)))
        self._own(handle, _capi.gd_run_state_free)

    @property
    def _gd_run_state(self) -> Any:
        return self._live(self._handle)

    def reset(self) -> None:
        _capi.check(_capi.gd_run_state_reset(self._gd_run_state))

    def state_dict(self) -> bytes:
        return save_blob(_capi.gd_run_state_save, self._gd_run_state)

    def load_state_dict(self, state: bytes) -> None:
        load_blob(_capi.gd_run_state_load, self._gd_run_state, state)

    @classmethod
    def from_state(cls, state: bytes) -> RunState:
        run = cls()
        run.load_state_dict(state)
        return run


def _header_fields(state: object) -> tuple[str, int]:
    """(rule name, dimension) from an optimizer blob's body, as the README's layout puts
    them; BadStateError when the bytes are not one (the library checks everything else)."""
    data = bytes(state) if isinstance(state, (bytes, bytearray, memoryview)) else None
    if data is None:
        raise TypeError(f"a saved state is bytes, got {type(state).__name__}")
    if len(data) >= 36 and data[:8] == b"GDSTATE\0" and data[12:16] == b"\x01\0\0\0":
        length = int.from_bytes(data[32:36], "little")
        end = 36 + length
        if len(data) >= end + 8:
            rule = data[36:end].decode("utf-8", "replace")
            dimension = int.from_bytes(data[end:end + 8], "little")
            if 1 <= dimension <= len(data):
                return rule, dimension
    raise error_for_status(_capi.GD_E_BAD_STATE, "not a gradient_descent optimizer state")


def saved_rule(state: object) -> str:
    return _header_fields(state)[0]


def saved_dimension(state: object) -> int:
    return _header_fields(state)[1]
