"""Data-parallel runs from Python (minimize(..., comm=MPI.COMM_WORLD)): mpi_data_parallel.py
under mpirun on 1, 2 and 4 processes (against one process, reruns, ranks alike, a raising
callback on one process), and the errors when mpi4py or libgradient_descent_mpi is missing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gradient_descent as gd
from gradient_descent import _distributed
from gradient_descent.objectives import EmptyShard, LeastSquares

HERE = Path(__file__).resolve().parent


def _mpi_library_found() -> bool:
    return any(path.is_file() for path in _distributed._candidates())


@pytest.mark.parametrize("processes", [1, 2, 4])
def test_runs_under_mpirun_match_one_process(processes: int) -> None:
    if shutil.which("mpirun") is None:
        pytest.skip("mpirun not found (Debian: openmpi-bin)")
    try:
        import mpi4py  # noqa: F401 - only whether it is installed
    except ImportError:
        pytest.skip("mpi4py is not installed (requirements-test.txt pins it)")
    if not _mpi_library_found():
        pytest.skip("libgradient_descent_mpi is not built (make mpi)")
    command = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-n", str(processes),
               sys.executable, str(HERE / "mpi_data_parallel.py")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"on {processes} process(es)" in done.stdout and " 0 failures" in done.stdout, done.stdout


def test_comm_without_mpi4py_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mpi4py", None)   # import mpi4py raises ImportError
    X = np.eye(3)
    with pytest.raises(ImportError, match=r"needs mpi4py.*gradient-descent-swift\[mpi\]"):
        gd.minimize(LeastSquares(X, np.ones(3)), np.zeros(3), comm=object())


def test_missing_mpi_library_says_how_to_build_it(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setenv(_distributed.ENVIRONMENT_VARIABLE, str(tmp_path / "absent.so"))
    monkeypatch.setattr(_distributed, "_library", None)
    with pytest.raises(ImportError, match=r"make mpi"):
        _distributed._load()


def test_empty_shard_alone_is_refused() -> None:
    shard = EmptyShard(3)
    assert (shard.n, shard.sample_count) == (3, 0)
    with pytest.raises(gd.InvalidArgumentError, match="empty shard"):
        shard(np.zeros(3))
    with pytest.raises(ValueError, match="samples must be >= 1"):
        gd.minimize(lambda x, g, i: 0.0, np.zeros(3), samples=0)
