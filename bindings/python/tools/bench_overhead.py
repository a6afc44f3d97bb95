"""Per-iteration cost of minimize's Python layer against a bare ctypes callback.

    .venv/bin/python bindings/python/tools/bench_overhead.py [iterations] [rounds]

Every run uses SGD on n = 10 parameters, max_iterations = N, and a loss whose body does
nothing (the gradient stays 0, the loss is 1.0):
  bare ctypes         a CFUNCTYPE callback handed to gd_objective_new and driven by
                      gd_minimize through ctypes (which releases the GIL around the call, so
                      every callback takes it back), writing the loss through a ctypes double
                      cached by address: the least a ctypes callback must do;
  bare, GIL held      the same callback, gd_minimize called without releasing the GIL (what
                      minimize does for Python objectives);
  minimize            gradient_descent.minimize(fun, x0) with fun(x, grad) -> 1.0;
  mini-batch          fun(x, grad, idx) -> 1.0, samples=1000, batch_size=10;
  jac=True            fun(x) -> (1.0, zeros);
  +history, +callback history=True; a callback(info) that returns None;
  +progress           progress=True: a tqdm bar (to os.devnull) when tqdm is installed,
                      else the library's text printer (stderr is redirected by the caller).
"overhead" is the difference to the bare ctypes callback. Times are the thread's CPU time
(time.thread_time), so other processes on a busy machine count less; rounds interleave
the variants so a busy moment hits them alike; best and median of the rounds.
"""

from __future__ import annotations

import ctypes
import os
import statistics
import sys
import time
from ctypes import byref

import numpy as np

import gradient_descent as gd
from gradient_descent import _capi


def bare(iterations: int, n: int, minimize=_capi.gd_minimize) -> float:
    cache = {}

    def body(user, x, grad, count, loss):
        target = cache.get(loss)
        if target is None:
            target = cache[loss] = ctypes.c_double.from_address(loss)
        target.value = 1.0
        return 0

    callback = _capi.gd_objective_fn(body)
    objective = _capi.gd_objective_p()
    _capi.check(_capi.gd_objective_new(callback, None, n, byref(objective)))
    optimizer = _capi.gd_optimizer_p()
    _capi.check(_capi.gd_optimizer_new(b"sgd", n, byref(optimizer)))
    options = _capi.gd_options()
    _capi.gd_options_init(byref(options))
    options.max_iterations = iterations
    x = np.zeros(n)
    report = _capi.gd_report()
    report.struct_size = ctypes.sizeof(report)
    start = time.thread_time()
    _capi.check(minimize(objective, optimizer, x.ctypes.data, n, byref(options), byref(report)))
    seconds = time.thread_time() - start
    _capi.gd_objective_free(objective)
    _capi.gd_optimizer_free(optimizer)
    assert report.iterations == iterations
    return seconds


def bare_holding_gil(iterations: int, n: int) -> float:
    return bare(iterations, n, _capi.gd_minimize_holding_gil)


def wrapped(iterations: int, n: int, **keywords) -> float:
    def fun(x, grad):
        return 1.0

    start = time.thread_time()
    result = gd.minimize(fun, np.zeros(n), optimizer=gd.SGD(), max_iterations=iterations,
                         **keywords)
    seconds = time.thread_time() - start
    assert result.nit == iterations
    return seconds


def wrapped_sampled(iterations: int, n: int) -> float:
    def fun(x, grad, idx):
        return 1.0

    start = time.thread_time()
    result = gd.minimize(fun, np.zeros(n), optimizer=gd.SGD(), max_iterations=iterations,
                         samples=1000, batch_size=10)
    seconds = time.thread_time() - start
    assert result.nit == iterations
    return seconds


def wrapped_jac(iterations: int, n: int) -> float:
    zeros = np.zeros(n)

    def fun(x):
        return 1.0, zeros

    start = time.thread_time()
    result = gd.minimize(fun, np.zeros(n), jac=True, optimizer=gd.SGD(),
                         max_iterations=iterations)
    seconds = time.thread_time() - start
    assert result.nit == iterations
    return seconds


def main() -> None:
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    n = 10
    devnull = open(os.devnull, "w")
    variants = [
        ("bare ctypes callback", bare, {}),
        ("bare, GIL held", bare_holding_gil, {}),
        ("minimize, fun(x, grad)", wrapped, {}),
        ("minimize, fun(x, grad, idx)", wrapped_sampled, {}),
        ("minimize, jac=True", wrapped_jac, {}),
        ("minimize + history", wrapped, {"history": True}),
        ("minimize + callback", wrapped, {"callback": lambda info: None}),
        ("minimize + progress", wrapped, {"progress": {"file": devnull}}),
    ]
    samples = {name: [] for name, _run, _keywords in variants}
    for _round in range(rounds):  # interleaved, so a busy moment hits every variant alike
        for name, run, keywords in variants:
            seconds = run(iterations, n, **keywords)
            samples[name].append(seconds / iterations * 1e6)
    best = {name: min(values) for name, values in samples.items()}
    median = {name: statistics.median(values) for name, values in samples.items()}
    print(f"{iterations} iterations, n = {n}, {rounds} interleaved rounds, µs per iteration "
          f"(thread CPU time)")
    print(f"  {'':30s} {'best':>7s} {'median':>7s}   overhead vs bare (best, median)")
    for name, _run, _keywords in variants:
        print(f"  {name:30s} {best[name]:7.3f} {median[name]:7.3f}   "
              f"{best[name] - best['bare ctypes callback']:+6.3f} "
              f"{median[name] - median['bare ctypes callback']:+6.3f}")


if __name__ == "__main__":
    main()
