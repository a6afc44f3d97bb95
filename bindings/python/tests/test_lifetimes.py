"""No pure-Python program crashes the interpreter through the binding's memory: arrays kept
from callbacks are Python's own, handles closed during a run are freed after it, and a run's
objective data outlives the run, also at interpreter exit with a daemon thread inside minimize.

Each case that crashed runs in a child process (a segfault there fails the test, not pytest).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import gradient_descent as gd
from gradient_descent import _callables, _trampolines


def _run_child(code: str, timeout: float = 120.0) -> str:
    """Run code in a new interpreter; fail with its output unless it exits with status 0."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    return done.stdout


def test_a_kept_grad_array_is_readable_after_minimize_and_holds_the_last_gradient():
    out = _run_child("""
        import numpy as np, gradient_descent as gd
        n = 200_000
        kept = []
        def fun(x, grad):
            kept.append(grad)
            grad[:] = x - 1.0
            return 0.5 * float((x - 1.0) @ (x - 1.0))
        result = gd.minimize(fun, np.zeros(n), max_iterations=5)
        del result.jac                                # only the kept arrays reference it now
        total = sum(float(g.sum()) for g in kept)     # read after the run's buffers are freed
        assert np.array_equal(kept[-1], result.x - 1.0)
        print(len(kept) == result.nfev, np.isfinite(total))
    """)
    assert out.split() == ["True", "True"]


def test_kept_index_arrays_hold_valid_indices_after_minimize():
    out = _run_child("""
        import numpy as np, gradient_descent as gd
        m = 50_000
        kept = []
        def fun(x, grad, idx):
            kept.append(idx)
            grad[:] = x
            return 0.5 * float(x @ x)
        gd.minimize(fun, np.ones(3), samples=m, batch_size=m // 2, max_epochs=2,
                    max_iterations=0)
        assert all(int(i.min()) >= 0 and int(i.max()) < m for i in kept)
        assert not any(i.flags.writeable for i in kept)
        print("ok")
    """)
    assert out.split() == ["ok"]


def test_kept_x_arrays_of_a_gradient_check_are_readable_afterwards():
    out = _run_child("""
        import numpy as np, gradient_descent as gd
        kept = []
        def fun(x, grad):
            kept.append(x)
            grad[:] = x
            return 0.5 * float(x @ x)
        gd.check_gradient(fun, np.linspace(0, 1, 100_000)[:200])
        assert all(np.isfinite(x).all() for x in kept)
        print("ok")
    """)
    assert out.split() == ["ok"]


def test_arrays_kept_by_a_custom_rule_are_readable_after_the_optimizer_is_gone():
    out = _run_child("""
        import numpy as np, gradient_descent as gd
        kept = []
        def rule(x, grad, lr, step, state):
            kept.extend((x, grad, state))
            state[0] = grad
            x -= lr * grad
        opt = gd.CustomOptimizer(rule, state_size=1, lr=0.5)
        x = np.ones(200_000)
        opt.step(x, np.ones_like(x))
        gd.minimize(lambda x, g: (g.__setitem__(slice(None), x), 0.5 * float(x @ x))[1], x,
                    optimizer=opt, max_iterations=3)
        opt.close()
        del opt
        assert np.array_equal(x, np.full_like(x, 0.5))   # step() wrote back through the copy
        print(sum(float(a.sum()) for a in kept) > 0)
    """)
    assert out.split() == ["True"]


@pytest.mark.parametrize("kind", ["built-in", "python"])
def test_interpreter_exit_with_a_daemon_thread_inside_minimize_does_not_crash(kind):
    code = """
        import sys, threading, time, numpy as np, gradient_descent as gd
        rng = np.random.default_rng(0)
        X = rng.standard_normal((40_000, 50))
        y = X @ rng.standard_normal(50)
        started = threading.Event()
        def run():
            if KIND == "built-in":
                objective = gd.objectives.LeastSquares(X, y)
            else:
                def objective(x, grad):
                    r = X[:2000] @ x - y[:2000]
                    grad[:] = X[:2000].T @ r / 2000
                    return 0.5 * float(r @ r) / 2000
            started.set()
            gd.minimize(objective, np.zeros(50), max_iterations=0, time_limit=60,
                        optimizer=gd.SGD(lr=1e-3))
        threading.Thread(target=run, daemon=True).start()
        started.wait()
        time.sleep(0.3)
        del X, y                      # the run's data must not depend on these names
        print("exit")
    """.replace("KIND", repr(kind))
    for _ in range(3):
        assert _run_child(code).split() == ["exit"]


def test_closing_handles_from_a_callback_frees_them_after_the_run():
    out = _run_child("""
        import numpy as np, gradient_descent as gd
        rng = np.random.default_rng(1)
        X = rng.standard_normal((500, 4)); y = X @ np.arange(4.0)
        objective = gd.objectives.LeastSquares(X, y)
        optimizer = gd.SGD(lr=0.1)
        schedule = gd.StepLR(step_size=5)
        state = gd.RunState()
        def callback(info):
            if info.iteration == 3:
                for handle in (objective, optimizer, schedule, state):
                    handle.close()
                    assert handle.closed
        result = gd.minimize(objective, np.zeros(4), optimizer=optimizer, schedule=schedule,
                             run_state=state, callback=callback, max_iterations=50)
        assert result.nit == 50 and result.success
        for use in (lambda: objective(np.zeros(4)), lambda: optimizer.lr,
                    lambda: schedule.lr, lambda: state.state_dict(),
                    lambda: gd.minimize(objective, np.zeros(4), max_iterations=1)):
            try:
                use()
            except ValueError as error:
                assert "closed" in str(error)
            else:
                raise AssertionError("a closed handle was used")
        print("ok")
    """)
    assert out.split() == ["ok"]


def test_a_run_leaves_no_callable_registered_and_objects_release_theirs():
    before = _callables.registered()
    schedule = gd.Schedule(lambda iteration, epoch, lr, loss: lr)
    optimizer = gd.CustomOptimizer(lambda x, grad, lr, step, state: None)
    assert _callables.registered() == before + 2
    gd.minimize(lambda x, g: (g.fill(0.0), 0.0)[1], np.zeros(2), optimizer=optimizer,
                schedule=schedule, callback=lambda info: None, max_iterations=3)
    assert not _trampolines.registered()
    assert _callables.registered() == before + 2
    del schedule, optimizer
    assert _callables.registered() == before
