"""Per-iteration cost of minimize's Python layer against a bare ctypes callback.

    .venv/bin/python bindings/python/tools/bench_overhead.py [iterations]

Both runs use SGD on n = 10 parameters, full batch, max_iterations = N, and a loss whose
body does nothing (the gradient stays 0, the loss is 1.0):
  bare       a CFUNCTYPE callback handed to gd_objective_new and driven by gd_minimize,
             writing the loss through a ctypes double cached by address (the least a
             ctypes callback must do);
  minimize   gradient_descent.minimize(fun, x0) with fun(x, grad) -> 1.0;
  +history   the same with history=True (adds the progress callback);
  +callback  the same with a callback(info) that returns None.
The difference bare -> minimize is the binding's overhead per iteration. Times are the
thread's CPU time (time.thread_time), so other processes on a busy machine do not count;
best of 7 interleaved rounds.
"""

from __future__ import annotations

import ctypes
import sys
import time
from ctypes import byref

import numpy as np

import gradient_descent as gd
from gradient_descent import _capi


def bare(iterations: int, n: int) -> float:
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
    _capi.check(_capi.gd_minimize(objective, optimizer, x.ctypes.data, n, byref(options),
                                  byref(report)))
    seconds = time.thread_time() - start
    _capi.gd_objective_free(objective)
    _capi.gd_optimizer_free(optimizer)
    assert report.iterations == iterations
    return seconds


def wrapped(iterations: int, n: int, **keywords) -> float:
    def fun(x, grad):
        return 1.0

    start = time.thread_time()
    result = gd.minimize(fun, np.zeros(n), optimizer=gd.SGD(), max_iterations=iterations,
                         **keywords)
    seconds = time.thread_time() - start
    assert result.nit == iterations
    return seconds


def main() -> None:
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    n = 10
    variants = [
        ("bare ctypes callback", bare, {}),
        ("minimize, fun(x, grad)", wrapped, {}),
        ("minimize, jac=True", wrapped_jac, {}),
        ("minimize + history", wrapped, {"history": True}),
        ("minimize + callback", wrapped, {"callback": lambda info: None}),
    ]
    best = {name: float("inf") for name, _run, _keywords in variants}
    for _round in range(ROUNDS):  # interleaved, so a busy moment hits every variant alike
        for name, run, keywords in variants:
            seconds = run(iterations, n, **keywords)
            best[name] = min(best[name], seconds / iterations * 1e6)
    bare_us = best["bare ctypes callback"]
    print(f"{iterations} iterations, n = {n}, best of {ROUNDS} (µs per iteration)")
    for name, _run, _keywords in variants:
        print(f"  {name:28s} {best[name]:6.3f}   overhead vs bare {best[name] - bare_us:+6.3f}")


ROUNDS = 7


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


if __name__ == "__main__":
    main()
