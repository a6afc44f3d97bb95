"""Ctrl-C during minimize: SIGINT sent to a child process is never lost, stops a long run
within a fraction of a second, and raises KeyboardInterrupt with the run's x and result on it.

Each test starts one child that runs many long minimize calls in a row; for every call the
parent waits until the run is under way, waits a random moment more (so the signal lands in
C code, in the trampolines and in user code alike), sends SIGINT and times the answer.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

CHILD = textwrap.dedent("""
    import sys, time
    import numpy as np
    import gradient_descent as gd

    kind, trials = sys.argv[1], int(sys.argv[2])
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20000, 20))
    y = X @ rng.standard_normal(20)
    objective = gd.objectives.LeastSquares(X, y)

    def announce(trial):
        print(f"ready {trial}", flush=True)

    for trial in range(trials):
        calls = 0
        form = trial % 4

        def inplace(x, grad):
            global calls
            calls += 1
            if calls == 100:
                announce(trial)
            grad[:] = x - 1.0
            return 0.5 * float((x - 1.0) @ (x - 1.0))

        def pair(x):
            grad = np.empty_like(x)
            return inplace(x, grad), grad

        def sampled(x, grad, idx):
            return inplace(x, grad)

        def slow(x, grad):                 # a long evaluation in user code
            if calls >= 99:
                inplace(x, grad)
                time.sleep(30)
            return inplace(x, grad)

        options = dict(max_iterations=0, time_limit=60, optimizer=gd.SGD(lr=1e-4))
        try:
            if kind == "native":
                announce(trial)
                gd.minimize(objective, np.zeros(20), batch_size=16, **options)
            elif form == 0:
                gd.minimize(inplace, np.zeros(20), **options)
            elif form == 1:
                gd.minimize(pair, np.zeros(20), jac=True, **options)
            elif form == 2:
                gd.minimize(sampled, np.zeros(20), samples=100, batch_size=10, **options)
            else:
                gd.minimize(slow, np.zeros(20), **options)
            print(f"returned {trial}", flush=True)
        except KeyboardInterrupt as error:
            x = getattr(error, "x", None)
            result = getattr(error, "result", None)
            ok = (x is not None and x.shape == (20,) and bool(np.isfinite(x).all())
                  and result is not None and result.nit > 0)
            print(f"caught {trial} {ok}", flush=True)
""")


def _interrupt_runs(tmp_path, kind: str, trials: int, max_delay: float) -> list[float]:
    """Seconds from each SIGINT to the child's KeyboardInterrupt; fails on anything else."""
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    # The child starts with SIGINT's default action, as from a terminal: a parent that
    # ignores SIGINT (a shell's background job) would pass SIG_IGN on, and Python then
    # installs no KeyboardInterrupt handler at all.
    child = subprocess.Popen([sys.executable, str(script), kind, str(trials)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    delays = random.Random(11)
    answers = []
    # A lost signal would leave the child running its 60-second time limit: the watchdog
    # kills it, the parent reads end of file, and the test fails instead of hanging.
    watchdog = threading.Timer(60.0, child.kill)
    watchdog.start()
    try:
        for trial in range(trials):
            assert child.stdout.readline().split() == ["ready", str(trial)]
            time.sleep(delays.uniform(0.0, max_delay))
            sent = time.monotonic()
            child.send_signal(signal.SIGINT)
            line = child.stdout.readline().split()
            answers.append(time.monotonic() - sent)
            assert line == ["caught", str(trial), "True"], (line, child.stderr.read())
        assert child.wait(timeout=30) == 0
        assert "Exception ignored" not in child.stderr.read()
    finally:
        watchdog.cancel()
        child.kill()
        child.wait()
    return answers


def test_ctrl_c_is_never_lost_with_a_python_objective(tmp_path):
    """40 signals over the four forms (fun(x, grad), jac=True, sampled, a long user call):
    every one ends its run with KeyboardInterrupt, none is swallowed by ctypes."""
    answers = _interrupt_runs(tmp_path, "python", trials=40, max_delay=0.05)
    assert max(answers) < 3.0, answers       # a loaded machine; typically milliseconds


def test_ctrl_c_stops_a_long_built_in_run_within_a_fraction_of_a_second(tmp_path):
    """A mini-batch LeastSquares run with no Python in its loop (60 s of time limit): the
    main thread handles SIGINT while the library runs in a worker thread."""
    answers = _interrupt_runs(tmp_path, "native", trials=10, max_delay=0.2)
    assert sorted(answers)[len(answers) // 2] < 0.5, answers
    assert max(answers) < 3.0, answers


def test_a_run_from_another_thread_leaves_the_sigint_handler_alone(python_sigint_handler):
    import numpy as np

    import gradient_descent as gd

    before = signal.getsignal(signal.SIGINT)
    seen = []

    def fun(x, grad):
        seen.append(signal.getsignal(signal.SIGINT))
        grad[:] = x
        return 0.5 * float(x @ x)

    thread = threading.Thread(target=gd.minimize, args=(fun, np.ones(2)),
                              kwargs=dict(max_iterations=3))
    thread.start()
    thread.join()
    assert seen and all(handler is before for handler in seen)
    assert signal.getsignal(signal.SIGINT) is before


@pytest.fixture
def python_sigint_handler():
    """SIGINT handled by Python's default_int_handler during the test, as in an interactive
    interpreter (a process started with SIGINT ignored has SIG_IGN, which minimize leaves
    alone), and the disposition the process had afterwards."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_the_handler_is_restored_after_every_run(python_sigint_handler):
    import numpy as np

    import gradient_descent as gd

    before = signal.getsignal(signal.SIGINT)
    inside = []

    def fun(x, grad):
        inside.append(signal.getsignal(signal.SIGINT))
        grad[:] = x
        return 0.5 * float(x @ x)

    gd.minimize(fun, np.ones(2), max_iterations=3)
    assert inside and inside[0] is not before       # the run's own handler while it runs
    assert signal.getsignal(signal.SIGINT) is before
    with pytest.raises(ZeroDivisionError):
        gd.minimize(lambda x, g: 1 / 0, np.ones(2), max_iterations=3)
    assert signal.getsignal(signal.SIGINT) is before
