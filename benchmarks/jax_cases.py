"""Optional baselines: jax + optax (pinned in benchmarks/requirements.txt), float64, on CPU.

Each function returns False when jax or optax cannot be imported; the harness then notes the
baseline as skipped. Compilation happens before timing (one warm-up run).
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import numpy as np

from harness import Measurement, Results, interleaved


def _jax():
    try:
        import jax
        import optax
    except Exception:  # noqa: BLE001 - any import failure means "not installed here"
        return None
    jax.config.update("jax_enable_x64", True)
    return jax, optax


def available() -> bool:
    return _jax() is not None


def adam_per_element(results: Results, n: int, samples: int) -> bool:
    modules = _jax()
    if modules is None:
        return False
    jax, optax = modules
    jnp = jax.numpy
    optimizer = optax.adam(1e-3)
    rng = np.random.default_rng(1)
    g = jnp.asarray(rng.uniform(-1, 1, n))
    x = jnp.asarray(rng.uniform(-2, 2, n))
    state = optimizer.init(x)

    @jax.jit
    def step(x, state):
        updates, state = optimizer.update(g, state, x)
        return optax.apply_updates(x, updates), state

    steps = max(3, 20_000_000 // n // 4)
    box = [x, state]
    box[0], box[1] = step(box[0], box[1])
    jax.block_until_ready(box[0])

    def run():
        start = time.perf_counter()
        for _ in range(steps):
            box[0], box[1] = step(box[0], box[1])
        jax.block_until_ready(box[0])
        return (time.perf_counter() - start) * 1e9 / (steps * n)

    values = interleaved({"jax + optax (jit)": run}, samples)
    results.add(Measurement(f"adam step, n={n:.0e}", "jax + optax (jit)", "ns/element",
                            values["jax + optax (jit)"]))
    return True


def logistic_minibatch(results: Results, X, y, epochs: int, samples: int, case: str) -> bool:
    """Mini-batch Adam on the logistic loss: one jitted lax.scan over every batch of the run."""
    modules = _jax()
    if modules is None:
        return False
    jax, optax = modules
    jnp = jax.numpy
    m, n = X.shape
    batch = 32
    batches_per_epoch = m // batch  # full batches only: lax.scan needs one shape
    rng = np.random.default_rng(0)
    order = np.concatenate([rng.permutation(m)[:batches_per_epoch * batch] for _ in range(epochs)])
    index = jnp.asarray(order.reshape(-1, batch))
    Xj, yj = jnp.asarray(X), jnp.asarray(y)
    optimizer = optax.adam(1e-3)

    def loss(theta, idx):
        z = Xj[idx] @ theta
        return jnp.mean(jnp.logaddexp(0.0, z) - yj[idx] * z)

    @jax.jit
    def run_all(theta):
        def body(carry, idx):
            theta, state = carry
            grads = jax.grad(loss)(theta, idx)
            updates, state = optimizer.update(grads, state, theta)
            return (optax.apply_updates(theta, updates), state), None
        (theta, _), _ = jax.lax.scan(body, (theta, optimizer.init(theta)), index)
        return theta

    theta0 = jnp.zeros(n)
    jax.block_until_ready(run_all(theta0))
    steps = index.shape[0]

    def run():
        start = time.perf_counter()
        jax.block_until_ready(run_all(theta0))
        return (time.perf_counter() - start) * 1e6 / steps

    values = interleaved({"jax + optax, lax.scan (jit)": run}, samples)
    results.add(Measurement(case, "jax + optax, lax.scan (jit)", "µs/step",
                            values["jax + optax, lax.scan (jit)"]))
    return True
