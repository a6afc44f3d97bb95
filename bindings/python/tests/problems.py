"""Test problems in every callback form minimize accepts."""

from __future__ import annotations

import numpy as np


class LeastSquares:
    """J(x) = 1/(2m) ||A x - b||^2, the seed article's loss; samples are rows."""

    def __init__(self, m=120, d=4, noise=0.0, seed=0):
        rng = np.random.default_rng(seed)
        self.A = rng.normal(size=(m, d))
        self.b = self.A @ rng.normal(size=d) + noise * rng.normal(size=m)
        self.m, self.d = m, d
        self.solution = np.linalg.lstsq(self.A, self.b, rcond=None)[0]

    def loss_grad(self, x, idx=None):
        A = self.A if idx is None else self.A[idx]
        b = self.b if idx is None else self.b[idx]
        r = A @ x - b
        return 0.5 * float(r @ r) / len(b), A.T @ r / len(b)

    # the three full-batch forms
    def inplace(self, x, grad):
        loss, grad[:] = self.loss_grad(x)
        return loss

    def pair(self, x):
        return self.loss_grad(x)

    def value(self, x):
        return self.loss_grad(x)[0]

    def gradient(self, x):
        return self.loss_grad(x)[1]

    # the three sampled forms
    def inplace_sampled(self, x, grad, idx):
        loss, grad[:] = self.loss_grad(x, idx)
        return loss

    def pair_sampled(self, x, idx):
        return self.loss_grad(x, idx)

    def value_sampled(self, x, idx):
        return self.loss_grad(x, idx)[0]

    def gradient_sampled(self, x, idx):
        return self.loss_grad(x, idx)[1]


class Rosenbrock:
    """f(x) = sum_i 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2; the terms are the samples
    (sampled forms return their mean). Minimum 0 at x = 1."""

    def __init__(self, n=2):
        self.n = n
        self.start = np.tile([-1.2, 1.0], n)[:n].copy()

    def loss_grad(self, x, idx=None):
        terms = range(self.n - 1) if idx is None else idx
        grad = np.zeros(self.n)
        total = 0.0
        for i in terms:
            i = int(i)
            xi, xj = float(x[i]), float(x[i + 1])
            a = xj - xi * xi
            b = 1.0 - xi
            total += 100.0 * a * a + b * b
            grad[i] += -400.0 * xi * a - 2.0 * b
            grad[i + 1] += 200.0 * a
        if idx is not None:
            total /= len(idx)
            grad /= len(idx)
        return total, grad

    def inplace(self, x, grad):
        loss, grad[:] = self.loss_grad(x)
        return loss

    def pair(self, x):
        return self.loss_grad(x)

    def value(self, x):
        return self.loss_grad(x)[0]

    def gradient(self, x):
        return self.loss_grad(x)[1]

    def inplace_sampled(self, x, grad, idx):
        loss, grad[:] = self.loss_grad(x, idx)
        return loss

    def pair_sampled(self, x, idx):
        return self.loss_grad(x, idx)

    def value_sampled(self, x, idx):
        return self.loss_grad(x, idx)[0]

    def gradient_sampled(self, x, idx):
        return self.loss_grad(x, idx)[1]


FORMS = ["inplace", "pair", "callable"]


def form(problem, name: str, sampled: bool):
    """(fun, jac) of one form by its short name."""
    suffix = "_sampled" if sampled else ""
    if name == "inplace":
        return getattr(problem, "inplace" + suffix), None
    if name == "pair":
        return getattr(problem, "pair" + suffix), True
    return getattr(problem, "value" + suffix), getattr(problem, "gradient" + suffix)
