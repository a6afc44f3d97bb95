"""The published update rules, written in numpy after torch.optim's single-tensor code.

Each function takes x (updated in place), a gradient and a state dict (empty at the first
step), with the hyper-parameters as keyword arguments named like the library's keys.
Every step mirrors torch's operation order, in float64.
"""

from __future__ import annotations

import math

import numpy as np


def _grad(x, g, maximize, weight_decay):
    g = -g if maximize else g.copy()
    if weight_decay != 0:
        g = g + weight_decay * x
    return g


def _lerp(start, end, weight):
    # torch.lerp: start + weight * (end - start) for |weight| < 0.5, else the mirrored form.
    if abs(weight) < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)


def sgd(x, g, state, *, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0,
        nesterov=False, maximize=False):
    g = _grad(x, g, maximize, weight_decay)
    if momentum != 0:
        buf = state.get("momentum_buffer")
        if buf is None:
            buf = g.copy()
        else:
            buf = buf * momentum + (1 - dampening) * g
        state["momentum_buffer"] = buf
        g = g + momentum * buf if nesterov else buf
    x += -lr * g


def adam(x, g, state, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
         amsgrad=False, maximize=False, decoupled=False):
    g = -g if maximize else g.copy()
    if not state:
        state.update(step=0, exp_avg=np.zeros_like(x), exp_avg_sq=np.zeros_like(x),
                     max_exp_avg_sq=np.zeros_like(x))
    state["step"] += 1
    step = state["step"]
    if weight_decay != 0:
        if decoupled:
            x *= 1 - lr * weight_decay
        else:
            g = g + weight_decay * x
    state["exp_avg"] = _lerp(state["exp_avg"], g, 1 - beta1)
    state["exp_avg_sq"] = state["exp_avg_sq"] * beta2 + (1 - beta2) * g * g
    bias_correction1 = 1 - beta1 ** step
    bias_correction2 = 1 - beta2 ** step
    step_size = lr / bias_correction1
    bias_correction2_sqrt = math.sqrt(bias_correction2)
    if amsgrad:
        state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], state["exp_avg_sq"])
        denom = np.sqrt(state["max_exp_avg_sq"]) / bias_correction2_sqrt + eps
    else:
        denom = np.sqrt(state["exp_avg_sq"]) / bias_correction2_sqrt + eps
    x += -step_size * (state["exp_avg"] / denom)


def adamw(x, g, state, *, weight_decay=1e-2, **keywords):
    adam(x, g, state, weight_decay=weight_decay, decoupled=True, **keywords)


def rmsprop(x, g, state, *, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
            centered=False, maximize=False):
    g = _grad(x, g, maximize, weight_decay)
    if not state:
        state.update(square_avg=np.zeros_like(x), grad_avg=np.zeros_like(x),
                     momentum_buffer=np.zeros_like(x))
    state["square_avg"] = state["square_avg"] * alpha + (1 - alpha) * g * g
    if centered:
        state["grad_avg"] = _lerp(state["grad_avg"], g, 1 - alpha)
        avg = np.sqrt(state["square_avg"] - state["grad_avg"] * state["grad_avg"])
    else:
        avg = np.sqrt(state["square_avg"])
    avg = avg + eps
    if momentum > 0:
        state["momentum_buffer"] = state["momentum_buffer"] * momentum + g / avg
        x += -lr * state["momentum_buffer"]
    else:
        x += -lr * (g / avg)


def adagrad(x, g, state, *, lr=1e-2, lr_decay=0.0, weight_decay=0.0,
            initial_accumulator_value=0.0, eps=1e-10, maximize=False):
    if not state:
        state.update(step=0, sum=np.full_like(x, initial_accumulator_value))
    state["step"] += 1
    g = _grad(x, g, maximize, weight_decay)
    clr = lr / (1 + (state["step"] - 1) * lr_decay)
    state["sum"] = state["sum"] + g * g
    std = np.sqrt(state["sum"]) + eps
    x += -clr * (g / std)


def adadelta(x, g, state, *, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, maximize=False):
    g = _grad(x, g, maximize, weight_decay)
    if not state:
        state.update(square_avg=np.zeros_like(x), acc_delta=np.zeros_like(x))
    state["square_avg"] = state["square_avg"] * rho + (1 - rho) * g * g
    std = np.sqrt(state["square_avg"] + eps)
    delta = np.sqrt(state["acc_delta"] + eps)
    delta = delta / std * g
    state["acc_delta"] = state["acc_delta"] * rho + (1 - rho) * delta * delta
    x += -lr * delta


def adamax(x, g, state, *, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
           maximize=False):
    g = _grad(x, g, maximize, weight_decay)
    if not state:
        state.update(step=0, exp_avg=np.zeros_like(x), exp_inf=np.zeros_like(x))
    state["step"] += 1
    state["exp_avg"] = _lerp(state["exp_avg"], g, 1 - beta1)
    state["exp_inf"] = np.maximum(state["exp_inf"] * beta2, np.abs(g) + eps)
    clr = lr / (1 - beta1 ** state["step"])
    x += -clr * (state["exp_avg"] / state["exp_inf"])


def nadam(x, g, state, *, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
          momentum_decay=4e-3, maximize=False):
    g = _grad(x, g, maximize, weight_decay)
    if not state:
        state.update(step=0, mu_product=1.0, exp_avg=np.zeros_like(x),
                     exp_avg_sq=np.zeros_like(x))
    state["step"] += 1
    step = state["step"]
    bias_correction2 = 1 - beta2 ** step
    mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
    mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
    state["mu_product"] *= mu
    mu_product = state["mu_product"]
    state["exp_avg"] = _lerp(state["exp_avg"], g, 1 - beta1)
    state["exp_avg_sq"] = state["exp_avg_sq"] * beta2 + (1 - beta2) * g * g
    denom = np.sqrt(state["exp_avg_sq"] / bias_correction2) + eps
    mu_product_next = mu_product * mu_next
    x += (-lr * (1.0 - mu) / (1.0 - mu_product)) * (g / denom)
    x += ((-lr * mu_next) / (1.0 - mu_product_next)) * (state["exp_avg"] / denom)


def radam(x, g, state, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
          maximize=False):
    g = _grad(x, g, maximize, weight_decay)
    if not state:
        state.update(step=0, exp_avg=np.zeros_like(x), exp_avg_sq=np.zeros_like(x))
    state["step"] += 1
    step = state["step"]
    state["exp_avg"] = _lerp(state["exp_avg"], g, 1 - beta1)
    state["exp_avg_sq"] = state["exp_avg_sq"] * beta2 + (1 - beta2) * g * g
    bias_correction1 = 1 - beta1 ** step
    bias_correction2 = 1 - beta2 ** step
    corrected = state["exp_avg"] / bias_correction1
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
    if rho_t > 5.0:
        rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                         / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
        adaptive = math.sqrt(bias_correction2) / (np.sqrt(state["exp_avg_sq"]) + eps)
        x += -(corrected * lr * adaptive * rect)
    else:
        x += -(corrected * lr)


RULES = {"sgd": sgd, "adam": adam, "adamw": adamw, "rmsprop": rmsprop, "adagrad": adagrad,
         "adadelta": adadelta, "adamax": adamax, "nadam": nadam, "radam": radam}
