"""The Moré–Garbow–Hillstrom table (benchmarks/mgh/*.c) from Python, through ctypes.

    import mgh
    for problem in mgh.problems():
        f, g = problem.evaluate(problem.x0)

`build()` compiles the C files into build/bench/mgh/libmgh.so when a source is newer than it;
`problems()` loads it. Each Problem also gives the address of the C objective
(`mgh_objective`, gd_objective_fn's shape) and of its index, for C drivers.
"""

from __future__ import annotations

import ctypes
import math
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BUILD = ROOT / "build" / "bench" / "mgh"
SOURCES = ("residuals.c", "problems.c", "objective.c")
DEPENDS = SOURCES + ("mgh.h", "mgh_residuals.h", "reference_minimizers.inc")


def stale(output: Path, inputs) -> bool:
    """Whether output is missing or older than one of inputs."""
    return not output.exists() or any(p.stat().st_mtime > output.stat().st_mtime for p in inputs)


def build() -> Path:
    """Compiles libmgh.so (C99, -O2) when missing or older than its sources; returns its path."""
    BUILD.mkdir(parents=True, exist_ok=True)
    library = BUILD / "libmgh.so"
    if stale(library, [HERE / name for name in DEPENDS]):
        cc = os.environ.get("CC", "cc")
        temporary = library.with_suffix(f".so.{os.getpid()}")
        subprocess.run([cc, "-std=c99", "-O2", "-Wall", "-Wextra", "-pedantic", "-Werror", "-fPIC",
                        "-shared", *[str(HERE / s) for s in SOURCES], "-lm", "-o", str(temporary)],
                       check=True)
        temporary.replace(library)       # atomic: a concurrent loader never sees half a file
    return library


class _Problem(ctypes.Structure):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("n", ctypes.c_int),
                ("m", ctypes.c_int), ("x0", ctypes.POINTER(ctypes.c_double)),
                ("f_star_paper", ctypes.c_double), ("f_star", ctypes.c_double),
                ("x_ref", ctypes.POINTER(ctypes.c_double)), ("local_f", ctypes.c_double * 4),
                ("note", ctypes.c_char_p)]


_library = None


def library() -> ctypes.CDLL:
    global _library
    if _library is None:
        lib = ctypes.CDLL(str(build()))
        lib.mgh_problem_count.restype = ctypes.c_int
        lib.mgh_problem_get.restype = ctypes.POINTER(_Problem)
        lib.mgh_problem_get.argtypes = [ctypes.c_int]
        pointer = ctypes.POINTER(ctypes.c_double)
        lib.mgh_residuals.argtypes = [ctypes.c_int, pointer, pointer, pointer]
        lib.mgh_evaluate.argtypes = [ctypes.c_int, pointer, pointer, pointer]
        lib.mgh_box.argtypes = [ctypes.c_int, pointer, pointer]
        _library = lib
    return _library


def _ptr(a: np.ndarray):
    return a.ctypes.data_as(ctypes.POINTER(ctypes.c_double))


@dataclass
class Problem:
    index: int              # 0..35, the table's order
    number: int             # the paper's function number
    name: str
    n: int
    m: int
    x0: np.ndarray
    f_star_paper: float
    f_star: float
    x_ref: np.ndarray
    local_f: list[float]
    note: str

    @property
    def label(self) -> str:
        """e.g. '20 Watson n=6'."""
        extra = f" n={self.n}" if self.number >= 20 else ""
        return f"{self.number} {self.name}{extra}"

    def evaluate(self, x) -> tuple[float, np.ndarray]:
        x = np.ascontiguousarray(x, dtype=np.float64)
        g = np.empty(self.n)
        f = ctypes.c_double()
        if library().mgh_evaluate(self.index, _ptr(x), _ptr(g), ctypes.byref(f)) != 0:
            raise ValueError("mgh_evaluate failed")
        return f.value, g

    def residuals(self, x) -> tuple[np.ndarray, np.ndarray]:
        x = np.ascontiguousarray(x, dtype=np.float64)
        r, jacobian = np.empty(self.m), np.empty((self.m, self.n))
        if library().mgh_residuals(self.index, _ptr(x), _ptr(r), _ptr(jacobian)) != 0:
            raise ValueError("mgh_residuals failed")
        return r, jacobian

    def box(self) -> tuple[np.ndarray, np.ndarray]:
        lower, upper = np.empty(self.n), np.empty(self.n)
        library().mgh_box(self.index, _ptr(lower), _ptr(upper))
        return lower, upper

    def tolerance(self) -> float:
        """The goal's tolerance: f - f* <= 1e-6 max(1, |f*|)."""
        return 1e-6 * max(1.0, abs(self.f_star))

    def classify(self, f: float) -> str:
        """'solved' (within tolerance of f*), 'local' (of a minimum the paper documents),
        or 'failed'."""
        if not math.isfinite(f):
            return "failed"
        if f - self.f_star <= self.tolerance():
            return "solved"
        for value in self.local_f:
            # the paper prints 6 significant digits
            if abs(f - value) <= max(1e-6 * max(1.0, abs(value)), 5e-6 * abs(value)):
                return "local"
        return "failed"


def problems() -> list[Problem]:
    lib = library()
    result = []
    for k in range(lib.mgh_problem_count()):
        p = lib.mgh_problem_get(k).contents
        local = [v for v in p.local_f]
        local = local[:next((i for i, v in enumerate(local) if math.isnan(v)), len(local))]
        result.append(Problem(k, p.number, p.name.decode(), p.n, p.m,
                              np.array(p.x0[:p.n]), p.f_star_paper, p.f_star,
                              np.array(p.x_ref[:p.n]), local, p.note.decode()))
    return result
