"""minimize(..., comm=...): the run's reducer over an mpi4py communicator.

The reducer comes from libgradient_descent_mpi (`make mpi`), the small library that links
MPI, so that the core library and this package need no MPI unless comm is given. The places
searched for it, in order (the first that exists is loaded):
  1. the file named by the GRADIENT_DESCENT_MPI_LIBRARY environment variable, when it is set;
  2. beside the core library this package loaded (an installed pair in one lib folder);
  3. the repository's build/mpi/, when the package is the one inside a checkout.
"""

from __future__ import annotations

import ctypes
import os
from ctypes import POINTER, byref, c_int, c_void_p
from pathlib import Path
from typing import Any

import numpy as np

from . import _capi
from ._library import _REPO_ROOT

ENVIRONMENT_VARIABLE = "GRADIENT_DESCENT_MPI_LIBRARY"
FILE_NAMES = ("libgradient_descent_mpi.so", "libgradient_descent_mpi.so.0")

_library: ctypes.CDLL | None = None


def _candidates() -> list[Path]:
    configured = os.environ.get(ENVIRONMENT_VARIABLE)
    if configured:
        return [Path(configured)]
    folders = [Path(_capi.library_path).resolve().parent]
    if (_REPO_ROOT / "Package.swift").is_file():
        folders.append(_REPO_ROOT / "build" / "mpi")
    return [folder / name for folder in folders for name in FILE_NAMES]


def _load() -> ctypes.CDLL:
    """libgradient_descent_mpi, loaded once; ImportError saying where it looked."""
    global _library
    if _library is not None:
        return _library
    looked = []
    for path in _candidates():
        if not path.is_file():
            looked.append(f"  {path}: not found")
            continue
        try:
            library = ctypes.CDLL(str(path))
        except OSError as error:
            raise ImportError(f"cannot load {path}: {error}") from error
        library.gd_mpi_reducer_new_fortran.restype = c_int
        library.gd_mpi_reducer_new_fortran.argtypes = [c_int, POINTER(c_void_p)]
        library.gd_mpi_reducer_free.restype = None
        library.gd_mpi_reducer_free.argtypes = [c_void_p]
        _library = library
        return library
    raise ImportError(
        "minimize(comm=...) needs libgradient_descent_mpi, the library that links MPI. "
        "Looked in:\n" + "\n".join(looked) + "\nBuild it with `make mpi` in the repository "
        f"(needs mpicc: Debian's libopenmpi-dev), or set {ENVIRONMENT_VARIABLE} to its path.")


def _fortran_handle(comm: object) -> int:
    """comm's Fortran handle; a clear error when mpi4py is missing or comm is not its Comm."""
    try:
        from mpi4py import MPI
    except ImportError as error:
        raise ImportError("minimize(comm=...) needs mpi4py: pip install "
                          "'gradient-descent-swift[mpi]' (or mpi4py built against the MPI "
                          f"that libgradient_descent_mpi links): {error}") from error
    if not isinstance(comm, MPI.Comm):
        raise TypeError(f"comm must be an mpi4py communicator (MPI.COMM_WORLD, ...), "
                        f"got {type(comm).__name__}")
    if comm == MPI.COMM_NULL:
        raise ValueError("comm is MPI.COMM_NULL")
    return int(comm.py2f())


class Reducer:
    """A gd_reducer over a duplicate of comm, for one run; close() frees it (collectively,
    like its creation: every process of comm creates and closes it at the same point)."""

    def __init__(self, comm: object) -> None:
        handle = _fortran_handle(comm)
        library = _load()
        pointer = c_void_p()
        _capi.check(library.gd_mpi_reducer_new_fortran(handle, byref(pointer)))
        self._library = library
        self.address: int | None = pointer.value
        self._struct = ctypes.cast(pointer, POINTER(_capi.gd_reducer)).contents
        self.process_count = int(self._struct.process_count)
        self.rank = int(self._struct.rank)

    def sum(self, buffer: np.ndarray) -> bool:
        """Replace buffer (float64, contiguous) by its sum over the processes; False when
        the reducer failed."""
        return bool(self._struct.sum(buffer.ctypes.data, buffer.size, self._struct.user) == 0)

    def close(self) -> None:
        if self.address is not None:
            self._library.gd_mpi_reducer_free(self.address)
            self.address = None


def combined_evaluation(reducer: Reducer, local: tuple[float, np.ndarray] | None,
                        evaluated: bool, rows: int, sampled: bool,
                        n: int) -> tuple[float, np.ndarray] | None:
    """The loss and gradient over all processes' rows from each process's own, combined as
    the run combines its evaluations (objectives over rows are weighted by their rows, the
    parts of full-batch objectives are added), in the reducer's fixed order. Every process
    calls it; None on every process when any failed. `evaluated` is False on a process that
    holds no rows."""
    buffer = np.zeros(n + 3)
    weighted = sampled and reducer.process_count > 1
    if local is not None and evaluated:
        scale = float(rows) if weighted else 1.0
        buffer[0] = scale * local[0]
        buffer[1:n + 1] = local[1] if scale == 1.0 else scale * local[1]
    buffer[n + 1] = float(rows) if sampled else 1.0
    buffer[n + 2] = 1.0 if local is None and evaluated else 0.0
    if not reducer.sum(buffer) or buffer[n + 2] > 0:
        return None
    if weighted:
        total = buffer[n + 1]
        return float(buffer[0] / total), buffer[1:n + 1] / total
    return float(buffer[0]), buffer[1:n + 1].copy()
