"""The cases measured from Python: numpy baselines, the library through its binding."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

import gradient_descent as gd
from gradient_descent.objectives import LeastSquares, Logistic

from harness import Measurement, Results, interleaved

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples" / "demo"))
from seed_article import gradient_descent as seed_gradient_descent  # noqa: E402 - verbatim

BETA1, BETA2, EPS, LR = 0.9, 0.999, 1e-8, 1e-3


# ---- one Adam step per element: numpy ------------------------------------------------------

def adam_numpy(x, g, state, t):
    """PyTorch's Adam as a numpy user writes it: every expression makes a new array."""
    m, v = state
    m = BETA1 * m + (1 - BETA1) * g
    v = BETA2 * v + (1 - BETA2) * g * g
    m_hat = m / (1 - BETA1 ** t)
    v_hat = v / (1 - BETA2 ** t)
    x -= LR * m_hat / (np.sqrt(v_hat) + EPS)
    state[0], state[1] = m, v


def adam_numpy_in_place(x, g, state, t):
    """The same update with every operation in place (out=), into two scratch arrays."""
    m, v, a, b = state
    np.subtract(g, m, out=a)
    a *= 1 - BETA1
    m += a                                   # m.lerp_(g, 1 - beta1)
    v *= BETA2
    np.multiply(g, g, out=a)
    a *= 1 - BETA2
    v += a
    np.sqrt(v, out=a)
    a /= (1 - BETA2 ** t) ** 0.5
    a += EPS
    np.multiply(m, -LR / (1 - BETA1 ** t), out=b)
    b /= a
    x += b


def adam_per_element(results: Results, n: int, samples: int) -> None:
    rng = np.random.default_rng(1)
    g = rng.uniform(-1, 1, n)
    steps = max(3, 20_000_000 // n // 4)
    runs = {}
    for name, step, buffers in (("numpy", adam_numpy, 2), ("numpy in place", adam_numpy_in_place, 4)):
        x = rng.uniform(-2, 2, n)
        state = [np.zeros(n) for _ in range(buffers)]
        counter = [0]

        def run(step=step, x=x, state=state, counter=counter):
            start = time.perf_counter()
            for _ in range(steps):
                counter[0] += 1
                step(x, g, state, counter[0])
            return (time.perf_counter() - start) * 1e9 / (steps * n)
        runs[name] = run
    for name, values in interleaved(runs, samples).items():
        results.add(Measurement(f"adam step, n={n:.0e}", name, "ns/element", values))


# ---- the seed's least squares, full batch --------------------------------------------------

READ_FLOOR = "C, two threads reading X once (floor)"


def least_squares(results: Results, rows: int, cols: int, samples: int, iterations: int,
                  read_floor) -> None:
    """The library's built-in against the seed's numpy code and against the floor: one pass
    that only reads the same X on two threads (`read_floor`, benchmarks/c/read_floor.c loaded
    with ctypes), all three interleaved in this process."""
    rng = np.random.default_rng(2)
    X = rng.standard_normal((rows, cols))
    theta_true = rng.uniform(-1, 1, cols)
    y = X @ theta_true + 0.01 * rng.standard_normal(rows)
    objective = LeastSquares(X, y)
    case = f"least squares full batch, X {rows}x{cols}"

    def seed():
        start = time.perf_counter()
        seed_gradient_descent(X, y, 0.01, iterations)
        return (time.perf_counter() - start) * 1e3 / iterations

    def library():
        start = time.perf_counter()
        result = gd.minimize(objective, np.zeros(cols), optimizer=gd.SGD(lr=0.01),
                             max_iterations=iterations)
        elapsed = time.perf_counter() - start
        # Every evaluation is one pass over X (the update of `cols` numbers is negligible):
        # the run's time per evaluation is its time per iteration.
        return elapsed * 1e3 / result.nfev

    def floor():
        return sum(read_floor(X.ctypes.data, X.size, 2) for _ in range(iterations)) * 1e3 / iterations

    implementations = {"library (built-in least_squares)": library,
                       "seed's numpy code, verbatim": seed,
                       READ_FLOOR: floor}
    values = interleaved(implementations, samples)
    for name in implementations:
        results.add(Measurement(case, name, "ms/iteration", values[name]))
    gigabytes = X.nbytes / 1e9
    for name in ("library (built-in least_squares)", READ_FLOOR):
        results.add(Measurement(f"{case}: bandwidth over X", name, "GB/s",
                                [gigabytes / (v * 1e-3) for v in values[name]]))
    objective.close()


# ---- logistic regression, mini-batch Adam ---------------------------------------------------

def numpy_logistic_adam(X, y, epochs, batch=32, lr=LR, seed=0):
    """Mini-batch Adam on the logistic loss, as a numpy user writes the loop."""
    m, n = X.shape
    theta, mom, vel = np.zeros(n), np.zeros(n), np.zeros(n)
    rng = np.random.default_rng(seed)
    t = 0
    for _ in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch):
            idx = order[start:start + batch]
            Xb, yb = X[idx], y[idx]
            p = 1.0 / (1.0 + np.exp(-(Xb @ theta)))
            g = Xb.T @ (p - yb) / len(idx)
            t += 1
            mom = BETA1 * mom + (1 - BETA1) * g
            vel = BETA2 * vel + (1 - BETA2) * g * g
            theta -= lr * (mom / (1 - BETA1 ** t)) / (np.sqrt(vel / (1 - BETA2 ** t)) + EPS)
    return theta, t


def logistic_data(rows: int, cols: int):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((rows, cols))
    w = rng.uniform(-1, 1, cols)
    y = (rng.uniform(size=rows) < 1 / (1 + np.exp(-(X @ w)))).astype(np.float64)
    return X, y


def logistic_minibatch(results: Results, rows: int, cols: int, epochs: int, samples: int) -> None:
    X, y = logistic_data(rows, cols)
    objective = Logistic(X, y)
    case = f"logistic, mini-batch Adam, batch 32, {rows}x{cols}, {epochs} epochs"

    def library():
        start = time.perf_counter()
        result = gd.minimize(objective, np.zeros(cols), optimizer=gd.Adam(lr=LR), batch_size=32,
                             max_epochs=epochs, max_iterations=0, seed=1)
        return (time.perf_counter() - start) * 1e6 / result.nit

    def numpy_loop():
        start = time.perf_counter()
        _, steps = numpy_logistic_adam(X, y, epochs)
        return (time.perf_counter() - start) * 1e6 / steps

    values = interleaved({"library (built-in logistic, from Python)": library,
                          "numpy loop": numpy_loop}, samples)
    for name, v in values.items():
        results.add(Measurement(case, name, "µs/step", v))
    objective.close()


# ---- a Python callback driven by the library ------------------------------------------------

def rosenbrock(x, grad):
    a = 1.0 - x[0]
    b = x[1] - x[0] * x[0]
    grad[0] = -2.0 * a - 400.0 * x[0] * b
    grad[1] = 200.0 * b
    return a * a + 100.0 * b * b


def python_callback(results: Results, iterations: int, samples: int) -> None:
    case = "rosenbrock n=2 adam, Python callback"
    x = np.array([-1.2, 1.0])
    x.flags.writeable = False          # as the binding hands it to the callback
    grad = np.zeros(2)

    def body():
        start = time.perf_counter()
        for _ in range(iterations):
            rosenbrock(x, grad)
        return (time.perf_counter() - start) * 1e6 / iterations

    def library():
        start = time.perf_counter()
        result = gd.minimize(rosenbrock, np.array([-1.2, 1.0]), optimizer=gd.Adam(lr=LR),
                             max_iterations=iterations)
        return (time.perf_counter() - start) * 1e6 / result.nfev

    values = interleaved({"library minimize": library, "the callback's body alone": body}, samples)
    lib = results.add(Measurement(case, "library minimize", "µs/iteration", values["library minimize"]))
    own = results.add(Measurement(case, "the callback's body alone", "µs/iteration",
                                  values["the callback's body alone"]))
    results.add(Measurement(f"{case}: overhead above the body", "library minimize", "µs/iteration",
                            [a - b for a, b in zip(lib.samples, own.samples)]))


def raw_ctypes_callback(results: Results, library_path: str, samples: int) -> None:
    """The floor under any ctypes binding: the library driving a ctypes callback (the
    binding's signature, c_void_p arguments) that does the least a callback must, writing the
    loss through a view made once; no binding layer. 10,000 iterations (the default
    max_iterations) and the run's final evaluation."""
    import ctypes
    from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_size_t, c_void_p

    lib = ctypes.CDLL(library_path)
    fn_type = ctypes.CFUNCTYPE(c_int, c_void_p, c_void_p, c_void_p, c_size_t, c_void_p)
    lib.gd_objective_new.argtypes = [fn_type, c_void_p, c_size_t, POINTER(c_void_p)]
    lib.gd_optimizer_new.argtypes = [c_char_p, c_size_t, POINTER(c_void_p)]
    lib.gd_optimizer_reset.argtypes = [c_void_p]
    lib.gd_minimize.argtypes = [c_void_p, c_void_p, POINTER(c_double), c_size_t, c_void_p, c_void_p]
    lib.gd_objective_free.argtypes = [c_void_p]
    lib.gd_optimizer_free.argtypes = [c_void_p]

    view = [0, None]

    def least(user, x, grad, n, loss):
        if loss != view[0]:
            view[0] = loss
            view[1] = np.ctypeslib.as_array((c_double * 1).from_address(loss))
        view[1][0] = 1.0
        return 0

    callback = fn_type(least)
    objective, optimizer = c_void_p(), c_void_p()
    lib.gd_objective_new(callback, None, 2, byref(objective))
    lib.gd_optimizer_new(b"adam", 2, byref(optimizer))
    iterations = 10_000
    x = (c_double * 2)(-1.2, 1.0)

    def library():
        lib.gd_optimizer_reset(optimizer)
        start = time.perf_counter()
        lib.gd_minimize(objective, optimizer, x, 2, None, None)
        return (time.perf_counter() - start) * 1e6 / (iterations + 1)

    values = interleaved({"lib": library}, samples)
    case = "rosenbrock n=2 adam, Python callback: overhead above the body"
    results.add(Measurement(case, "a bare ctypes callback that only writes the loss (floor)",
                            "µs/iteration", values["lib"]))
    lib.gd_objective_free(objective)
    lib.gd_optimizer_free(optimizer)
