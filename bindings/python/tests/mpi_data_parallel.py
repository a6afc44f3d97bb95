"""Data-parallel runs from Python, run under mpirun by test_data_parallel.py: every process
runs the single-process reference over all rows itself, then the sharded run with
comm=MPI.COMM_WORLD over its own rows, and checks the result against the reference (1e-12
relative), against a rerun (bit-identical) and against rank 0's (bit-identical): least
squares, logistic regression and a sampled Python callback, full batch and mini-batch, even
and uneven shards (one process without rows). Then a callback that raises on one process
must stop every process. Prints one summary line on rank 0; exits 1 on any failure."""

from __future__ import annotations

import sys
import time

import numpy as np
from mpi4py import MPI

import gradient_descent as gd
from gradient_descent.objectives import EmptyShard, LeastSquares, Logistic

comm = MPI.COMM_WORLD
rank, size = comm.Get_rank(), comm.Get_size()
failures: list[str] = []
checks = 0


def check(condition: bool, message: str) -> None:
    global checks
    checks += 1
    if not condition:
        failures.append(f"rank {rank}: {message}")


ROWS, COLS = 103, 5
generator = np.random.default_rng(12345)
X = generator.uniform(-1, 1, (ROWS, COLS))
signal = 0.5 + X @ (0.3 * np.arange(1, COLS + 1))
Y = signal + 0.1 * generator.uniform(-0.5, 0.5, ROWS)
LABELS = (signal > 0.4).astype(np.float64)


def shard(uneven: bool) -> slice:
    """This process's rows; uneven: process 1 holds none, the others split the rest."""
    holders = [r for r in range(size) if not (uneven and size > 1 and r == 1)]
    counts = [0] * size
    for slot, r in enumerate(holders):
        counts[r] = ROWS // len(holders) + (1 if slot < ROWS % len(holders) else 0)
    first = sum(counts[:rank])
    return slice(first, first + counts[rank])


def python_least_squares(rows: slice):
    """The mean of 0.5 (x·θ - y)^2 over the batch's rows, as a sampled Python callback."""
    x_rows, y_rows = X[rows], Y[rows]

    def fun(theta, grad, idx):
        residual = x_rows[idx] @ theta - y_rows[idx]
        grad[:] = x_rows[idx].T @ residual / len(idx)
        return 0.5 * float(residual @ residual) / len(idx)
    return fun, rows.stop - rows.start


def minimize_over(kind: str, rows: slice, batch: int, steps: int, optimizer, comm_arg):
    options = dict(batch_size=batch or None, max_iterations=steps, seed=42, comm=comm_arg)
    x0 = np.full(COLS, 0.1)
    count = rows.stop - rows.start
    if kind == "callback":
        fun, samples = python_least_squares(rows)
        return gd.minimize(fun, x0, samples=samples, optimizer=optimizer(), **options)
    if count == 0:
        objective = EmptyShard(COLS)
    elif kind == "least_squares":
        objective = LeastSquares(X[rows], Y[rows], l2=0.01)
    else:
        objective = Logistic(X[rows], LABELS[rows], l2=0.01)
    with objective:
        return gd.minimize(objective, x0, optimizer=optimizer(), **options)


def check_case(kind: str, batch: int, steps: int, uneven: bool, optimizer) -> None:
    label = f"{kind} batch {batch} uneven {uneven}"
    reference = minimize_over(kind, slice(0, ROWS), batch, steps, optimizer, None)
    mine = shard(uneven)
    sharded = minimize_over(kind, mine, batch, steps, optimizer, comm)
    rerun = minimize_over(kind, mine, batch, steps, optimizer, comm)
    check(sharded.success and sharded.nit == steps, f"{label}: {sharded.message}, {sharded.nit}")
    scale = max(1.0, float(np.max(np.abs(reference.x))))
    difference = float(np.max(np.abs(sharded.x - reference.x))) / scale
    check(difference <= 1e-12, f"{label}: {difference:.3g} from one process")
    check(abs(sharded.fun - reference.fun) <= 1e-12 * max(1.0, abs(reference.fun)),
          f"{label}: final loss {sharded.fun!r} vs one process {reference.fun!r}")
    check(sharded.jac is not None and float(np.max(np.abs(sharded.jac - reference.jac))) <= 1e-12,
          f"{label}: final gradient differs from one process")
    check(sharded.x.tobytes() == rerun.x.tobytes() and sharded.fun == rerun.fun,
          f"{label}: rerun differs")
    root = comm.bcast(sharded.x if rank == 0 else None, root=0)
    check(root.tobytes() == sharded.x.tobytes(), f"{label}: x differs from rank 0's")


def check_failure_stops_every_process() -> None:
    """The last process's callback raises at its 15th call: it gets its exception back,
    every other process CallbackError, all at the same iteration and promptly."""
    mine = shard(False)
    fun, samples = python_least_squares(mine)
    calls = 0

    def failing(theta, grad, idx):
        nonlocal calls
        calls += 1
        if rank == size - 1 and calls == 15:
            raise RuntimeError("a rank's data is bad")
        return fun(theta, grad, idx)

    start = time.monotonic()
    raised: BaseException | None = None
    try:
        gd.minimize(failing, np.full(COLS, 0.1), samples=samples, batch_size=4,
                    max_iterations=100_000, optimizer=gd.SGD(lr=0.05), comm=comm)
    except BaseException as error:  # noqa: BLE001 - checked below
        raised = error
    elapsed = time.monotonic() - start
    if rank == size - 1:
        check(isinstance(raised, RuntimeError), f"the failing rank raised {raised!r}")
    else:
        check(isinstance(raised, gd.CallbackError), f"a healthy rank raised {raised!r}")
    result = getattr(raised, "result", None)
    iterations = comm.allgather(None if result is None else result.nit)
    check(result is not None and result.nit < 100_000, "the run went on after a failure")
    check(len(set(iterations)) == 1, f"the processes stopped at different iterations: {iterations}")
    check(elapsed < 30, f"the failure took {elapsed:.1f} s to stop the run")


def check_arguments() -> None:
    """comm must be an mpi4py communicator; a batch may exceed a process's own rows."""
    try:
        gd.minimize(LeastSquares(X, Y), np.zeros(COLS), comm="world")
    except TypeError as error:
        check("mpi4py communicator" in str(error), f"comm='world': {error}")
    else:
        check(False, "comm='world' was accepted")


check_arguments()
check_case("least_squares", 0, 1000, False, lambda: gd.SGD(lr=0.05))
for kind in ("least_squares", "logistic", "callback"):
    for uneven in (False, True):
        check_case(kind, 0, 200, uneven, lambda: gd.Adam(lr=0.01))
        check_case(kind, 7, 200, uneven, lambda: gd.Adam(lr=0.01))
check_failure_stops_every_process()

everyone = comm.gather(failures, root=0)
if rank == 0:
    found = [line for lines in everyone for line in lines]
    for line in found:
        print(line, file=sys.stderr)
    print(f"python data-parallel runs on {size} process(es): {checks} checks per rank, "
          f"{len(found)} failures")
sys.exit(1 if comm.allreduce(len(failures)) else 0)
