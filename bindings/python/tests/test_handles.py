"""Optimizer handles: lazy creation, close(), context manager, weakref.finalize, no leaks."""

from __future__ import annotations

import gc
import os

import numpy as np
import pytest

import gradient_descent as gd

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


def test_the_handle_is_created_by_the_first_step_for_that_size():
    opt = gd.Adam(lr=0.1)
    assert opt.n is None and "n=" not in repr(opt)
    opt.step(np.zeros(5), np.ones(5))
    assert opt.n == 5 and "n=5" in repr(opt)
    opt.close()


def test_an_explicit_n_creates_the_handle_at_once():
    with gd.RMSprop(n=4, centered=True) as opt:
        assert opt.n == 4
        assert opt.hyperparameters == {"lr": 0.01, "alpha": 0.99, "eps": 1e-8,
                                       "weight_decay": 0.0, "momentum": 0.0, "centered": 1.0,
                                       "maximize": 0.0}


def test_hyperparameters_read_the_same_before_and_after_binding():
    opt = gd.NAdam(lr=0.01, betas=(0.8, 0.9))
    before = opt.hyperparameters
    opt.step(np.zeros(2), np.ones(2))
    assert opt.hyperparameters == before
    assert before["beta1"] == 0.8 and before["momentum_decay"] == 0.004
    opt.close()


def test_setting_a_hyperparameter_is_checked_before_and_after_binding():
    opt = gd.SGD(lr=0.1)
    with pytest.raises(gd.InvalidArgumentError):
        opt.lr = -1
    assert opt.lr == 0.1
    opt.set("momentum", 0.5)
    opt.step(np.zeros(2), np.ones(2))
    with pytest.raises(gd.InvalidArgumentError):
        opt.set("momentum", -1)
    opt.lr = 0.2
    assert opt.lr == 0.2 and opt.get("momentum") == 0.5
    assert "lr=0.2" in repr(opt) and "momentum=0.5" in repr(opt)
    opt.close()


def test_close_is_idempotent_and_later_use_is_a_value_error():
    opt = gd.Adam(n=3)
    opt.close()
    opt.close()
    assert opt.closed and "closed" in repr(opt)
    with pytest.raises(ValueError, match="closed"):
        opt.step(np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="closed"):
        opt.reset()
    with pytest.raises(ValueError, match="closed"):
        gd.minimize(lambda x, g: 0.0, np.zeros(3), optimizer=opt)


def test_the_context_manager_closes():
    with gd.Adagrad() as opt:
        opt.step(np.zeros(2), np.ones(2))
    assert opt.closed


def test_a_dropped_optimizer_is_freed_by_its_finalizer():
    opt = gd.Adam(n=3)
    finalizer = opt._finalizer
    assert finalizer.alive
    del opt
    gc.collect()
    assert not finalizer.alive


def _cycles(count: int, n: int) -> None:
    x = np.zeros(n)
    g = np.ones(n)
    for k in range(count):
        if k % 2:
            with gd.Adam(n=n, amsgrad=True) as opt:
                opt.step(x, g)
        else:
            gd.NAdam().step(x, g)  # never closed: freed by weakref.finalize


def test_no_handle_leaks_after_10000_create_close_cycles():
    n = 1000  # an Adam with amsgrad holds 3 x 8 kB of state: a leak would show at once
    _cycles(1000, n)
    gc.collect()
    before = rss_bytes()
    _cycles(10_000, n)
    gc.collect()
    growth = rss_bytes() - before
    # Leaking every handle would grow by more than 10,000 x 16 kB = 160 MB.
    assert growth < 8 * 2**20, f"RSS grew by {growth / 2**20:.1f} MiB"


def test_no_leaks_after_2000_minimize_runs():
    def fun(x, grad):
        grad[:] = x
        return 0.5 * float(x @ x)

    def runs(count):
        for k in range(count):
            if k % 2:
                gd.minimize(fun, np.ones(500), max_iterations=3, history=True)
            else:
                gd.minimize(lambda x, i: (0.0, np.zeros(500)), np.ones(500), jac=True,
                            samples=10, batch_size=3, max_iterations=3)

    runs(200)
    gc.collect()
    before = rss_bytes()
    runs(2000)
    gc.collect()
    growth = rss_bytes() - before
    assert growth < 8 * 2**20, f"RSS grew by {growth / 2**20:.1f} MiB"
