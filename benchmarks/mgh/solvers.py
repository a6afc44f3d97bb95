"""The solvers compared on the MGH table, each run on one problem into a Run.

- `library`: gd_minimize from C (library_driver.c) with the problem's C objective;
- `liblbfgs`: libLBFGS from C (liblbfgs_driver.c), its defaults;
- `scipy_lbfgsb`: scipy.optimize.minimize(method="L-BFGS-B") on the same C objective
  through ctypes (a Python function per evaluation, as SciPy's users have).

The drivers are compiled into build/bench/mgh when missing or older than their sources.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import Bounds, minimize

import mgh

INCLUDE = mgh.ROOT / "include"


class _Record(ctypes.Structure):
    _fields_ = [("f", ctypes.c_double), ("seconds", ctypes.c_double),
                ("evaluations", ctypes.c_uint64), ("iterations", ctypes.c_uint64),
                ("status", ctypes.c_int32), ("stop_reason", ctypes.c_int32),
                ("x0_projected", ctypes.c_int32), ("message", ctypes.c_char * 600)]


@dataclass
class Run:
    solver: str
    problem: int             # the table's index
    f: float
    evaluations: int
    iterations: int
    seconds: float
    message: str
    x: np.ndarray = field(repr=False, default=None)
    x0_projected: int = -1


def library_path() -> Path:
    return Path(os.environ.get("GRADIENT_DESCENT_LIBRARY",
                               mgh.ROOT / ".build" / "release" / "libgradient_descent.so")).resolve()


def has_bounds() -> bool:
    """Whether the library's header has gd_options.lower (the box of a run)."""
    return "const double *lower;" in (INCLUDE / "gradient_descent.h").read_text()


def _compile(output: Path, sources: list[Path], extra: list[str]) -> Path:
    depends = sources + [mgh.HERE / n for n in mgh.DEPENDS] + [mgh.HERE / "run_record.h",
                                                               INCLUDE / "gradient_descent.h"]
    if mgh.stale(output, depends):
        cc = os.environ.get("CC", "cc")
        temporary = output.with_suffix(f".so.{os.getpid()}")
        subprocess.run([cc, "-std=c99", "-O2", "-Wall", "-Wextra", "-fPIC", "-shared",
                        f"-I{INCLUDE}", f"-I{mgh.HERE}", *map(str, sources),
                        *[str(mgh.HERE / s) for s in mgh.SOURCES], *extra, "-lm",
                        "-o", str(temporary)], check=True)
        temporary.replace(output)
    return output


_drivers: dict[str, ctypes.CDLL] = {}


def _library_driver() -> ctypes.CDLL:
    if "library" not in _drivers:
        mgh.BUILD.mkdir(parents=True, exist_ok=True)
        lib = library_path()
        flags = ["-DMGH_HAVE_BOUNDS"] if has_bounds() else []
        name = "library_driver_bounds.so" if flags else "library_driver.so"
        path = _compile(mgh.BUILD / name, [mgh.HERE / "library_driver.c"],
                        [*flags, f"-L{lib.parent}", f"-Wl,-rpath,{lib.parent}", "-lgradient_descent"])
        driver = ctypes.CDLL(str(path))
        d = ctypes.POINTER(ctypes.c_double)
        driver.mgh_library_solve.argtypes = [ctypes.c_int, ctypes.c_char_p,
                                             ctypes.POINTER(ctypes.c_char_p), d, ctypes.c_int, d, d,
                                             ctypes.c_double, ctypes.c_uint64, d,
                                             ctypes.POINTER(_Record)]
        _drivers["library"] = driver
    return _drivers["library"]


def liblbfgs_available() -> bool:
    return Path("/usr/include/lbfgs.h").exists()


def _liblbfgs_driver() -> ctypes.CDLL:
    if "liblbfgs" not in _drivers:
        mgh.BUILD.mkdir(parents=True, exist_ok=True)
        path = _compile(mgh.BUILD / "liblbfgs_driver.so", [mgh.HERE / "liblbfgs_driver.c"], ["-llbfgs"])
        driver = ctypes.CDLL(str(path))
        driver.mgh_liblbfgs_solve.argtypes = [ctypes.c_int, ctypes.c_int,
                                              ctypes.POINTER(ctypes.c_double), ctypes.POINTER(_Record)]
        _drivers["liblbfgs"] = driver
    return _drivers["liblbfgs"]


def _ptr(a):
    return None if a is None else a.ctypes.data_as(ctypes.POINTER(ctypes.c_double))


def _run(solver: str, problem: mgh.Problem, record: _Record, x: np.ndarray) -> Run:
    return Run(solver, problem.index, record.f, record.evaluations, record.iterations,
               record.seconds, record.message.decode(errors="replace"), x, record.x0_projected)


def library(problem: mgh.Problem, rule: str, params: dict[str, float] | None = None,
            bounds: tuple[np.ndarray, np.ndarray] | None = None, gradient_tolerance: float = 0.0,
            max_iterations: int = 10000, solver: str | None = None) -> Run:
    params = params or {}
    keys = (ctypes.c_char_p * max(1, len(params)))(*[k.encode() for k in params])
    values = np.array(list(params.values()) or [0.0], dtype=np.float64)
    x = problem.x0.copy()
    lower, upper = (np.ascontiguousarray(b, dtype=np.float64) for b in bounds) if bounds else (None, None)
    record = _Record()
    _library_driver().mgh_library_solve(problem.index, rule.encode(), keys, _ptr(values), len(params),
                                        _ptr(lower), _ptr(upper), gradient_tolerance, max_iterations,
                                        _ptr(x), ctypes.byref(record))
    return _run(solver or rule, problem, record, x)


def liblbfgs(problem: mgh.Problem, max_iterations: int = 10000) -> Run:
    x = problem.x0.copy()
    record = _Record()
    _liblbfgs_driver().mgh_liblbfgs_solve(problem.index, max_iterations, _ptr(x), ctypes.byref(record))
    return _run("libLBFGS", problem, record, x)


def scipy_lbfgsb(problem: mgh.Problem, ftol: float | None = None,
                 bounds: tuple[np.ndarray, np.ndarray] | None = None, solver: str | None = None) -> Run:
    lib = mgh.library()
    index = problem.index
    evaluations = [0]
    f_out = ctypes.c_double()

    def fun(x):
        evaluations[0] += 1
        x = np.ascontiguousarray(x, dtype=np.float64)
        g = np.empty(problem.n)
        lib.mgh_evaluate(index, _ptr(x), _ptr(g), ctypes.byref(f_out))
        return f_out.value, g

    options = {} if ftol is None else {"ftol": ftol}
    box = None if bounds is None else Bounds(bounds[0], bounds[1])
    start = time.perf_counter()
    result = minimize(fun, problem.x0.copy(), jac=True, method="L-BFGS-B", bounds=box, options=options)
    seconds = time.perf_counter() - start
    f = problem.evaluate(result.x)[0]
    message = result.message if isinstance(result.message, str) else result.message.decode()
    return Run(solver or ("SciPy L-BFGS-B" + ("" if ftol is None else f" ftol={ftol:g}")), index, f,
               result.nfev, result.nit, seconds, message, result.x)
