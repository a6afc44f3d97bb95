"""Golden runs of real torch for Rprop, ASGD, decoupled_weight_decay and parameter groups.

Run by hand with `make golden-torch` (which also runs generate_torch_golden.py), in the
virtualenv .venv-torch holding the CPU build of torch (never needed by `make test`):

    .venv-torch/bin/python tools/torch_golden/generate_groups_and_new_rules.py

It writes Tests/Golden/torch/groups_and_new_rules.json.gz: per case the optimizer (torch's class and
arguments), the parameter groups (slices of x), the schedule, the problem, and x every 50
steps of a 300-step run (floats as float.hex, exact), plus torch's own `state_dict()` at the
end for the state-dict conversion tests. torch runs with float64 tensors and its default
dtype set to float64 (so ASGD's eta and mu and NAdam's mu_product are float64, as the
library keeps them), on the single-tensor path (foreach=False).

The problems are shared with bindings/python/tests/test_torch_golden_groups.py, which
recomputes the gradients with the same numpy arithmetic:
  closed loop  grad(x) = a * (x - c) + 0.05 * (x * x * x), loss = sum(a/2 (x - c)^2 + x^4/80)
  table        grad_t[i] = ((7 t + 13 i) % 17 - 8) / 8 * (1 + i) / 2   (exact in binary)
"""

from __future__ import annotations

import gzip
import json
import pathlib

import numpy as np
import torch

N = 6
STEPS = 300
RECORD_EVERY = 50
A = np.array([0.5, 1.0, 2.0, 4.0, 0.25, 3.0])
C = np.array([1.0, -2.0, 0.5, 3.0, -1.0, 2.0])
X0 = np.array([0.3, -0.7, 1.1, -1.5, 2.0, 0.1])
OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "Golden" / "torch" / "groups_and_new_rules.json.gz"


def closed_loop_gradient(x: np.ndarray) -> np.ndarray:
    return A * (x - C) + 0.05 * (x * x * x)


def closed_loop_loss(x: np.ndarray) -> float:
    return float(np.sum(A / 2 * (x - C) ** 2 + x ** 4 / 80))


def table_gradient(t: int) -> np.ndarray:
    i = np.arange(N)
    return ((7 * t + 13 * i) % 17 - 8) / 8 * (1 + i) / 2


# (name, torch class, torch kwargs, groups [(start, stop, overrides)], schedule, problem)
CASES = [
    ("rprop_default", "Rprop", {}, None, None, "closed_loop"),
    ("rprop_options", "Rprop", {"lr": 0.05, "etas": (0.3, 1.5), "step_sizes": (1e-3, 0.2)}, None, None, "closed_loop"),
    ("rprop_table_maximize", "Rprop", {"lr": 0.02, "maximize": True}, None, None, "table"),
    ("asgd_default", "ASGD", {}, None, None, "closed_loop"),
    ("asgd_options", "ASGD", {"lr": 0.05, "lambd": 1e-3, "alpha": 0.6, "t0": 50, "weight_decay": 0.01}, None, None, "closed_loop"),
    ("asgd_table_maximize", "ASGD", {"lr": 0.03, "t0": 100, "maximize": True, "weight_decay": 0.05}, None, None, "table"),
    ("adam_decoupled", "Adam", {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True}, None, None, "closed_loop"),
    ("adam_decoupled_amsgrad", "Adam", {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True, "amsgrad": True}, None, None, "table"),
    ("nadam_decoupled", "NAdam", {"lr": 0.02, "weight_decay": 0.1, "decoupled_weight_decay": True}, None, None, "closed_loop"),
    ("radam_decoupled", "RAdam", {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True}, None, None, "closed_loop"),
    ("radam_decoupled_table", "RAdam", {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True}, None, None, "table"),
    ("adamw_groups", "AdamW", {"lr": 0.05},
     [(0, 2, {"weight_decay": 0.0}), (2, 6, {"lr": 0.02})], None, "closed_loop"),
    ("sgd_groups_cosine", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True},
     [(0, 3, {}), (3, 5, {"lr": 0.01, "weight_decay": 0.01}), (5, 6, {"momentum": 0.5, "nesterov": False, "dampening": 0.1})],
     ("CosineAnnealingLR", {"T_max": 300, "eta_min": 0.002}), "closed_loop"),
    ("nadam_groups_step", "NAdam", {"lr": 0.03},
     [(0, 4, {"momentum_decay": 0.01}), (4, 6, {"betas": (0.8, 0.99), "lr": 0.01})],
     ("StepLR", {"step_size": 50, "gamma": 0.5}), "closed_loop"),
    ("asgd_groups_linear", "ASGD", {"lr": 0.05, "t0": 100},
     [(0, 1, {"lr": 0.1}), (1, 6, {"lambd": 1e-3})],
     ("LinearLR", {"start_factor": 0.25, "total_iters": 20}), "closed_loop"),
    ("rprop_groups_plateau", "Rprop", {"lr": 0.05},
     [(0, 3, {"lr": 0.01}), (3, 6, {"etas": (0.4, 1.1)})],
     ("ReduceLROnPlateau", {"patience": 5, "factor": 0.5}), "closed_loop"),
    # Every other rule once, for the state-dict conversion (their trajectories are checked
    # in depth by generate_torch_golden.py).
    ("sgd_plain_groups", "SGD", {"lr": 0.05},
     [(0, 3, {}), (3, 6, {"momentum": 0.8})], None, "closed_loop"),
    ("rmsprop_centered_momentum", "RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5}, None, None, "closed_loop"),
    ("rmsprop_groups", "RMSprop", {"lr": 0.01},
     [(0, 2, {"centered": True}), (2, 6, {"momentum": 0.3})], None, "closed_loop"),
    ("adagrad_options", "Adagrad", {"lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.1}, None, None, "closed_loop"),
    ("adadelta_options", "Adadelta", {"lr": 0.5, "rho": 0.8, "weight_decay": 0.01}, None, None, "closed_loop"),
    ("adamax_options", "Adamax", {"lr": 0.02, "betas": (0.8, 0.99)}, None, None, "closed_loop"),
    ("adam_groups_exponential", "Adam", {"lr": 0.05, "amsgrad": True},
     [(0, 2, {}), (2, 6, {"weight_decay": 0.1, "decoupled_weight_decay": True})],
     ("ExponentialLR", {"gamma": 0.99}), "closed_loop"),
]


def hexes(values) -> list[str]:
    return [float(v).hex() for v in np.asarray(values, dtype=np.float64).ravel()]


def encode(value):
    if isinstance(value, torch.Tensor):
        return {"tensor": hexes(value.detach().numpy())}
    if isinstance(value, (tuple, list)):
        return [encode(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return {"float": value.hex()}
    raise TypeError(type(value))


def run(case):
    name, cls, kwargs, groups, schedule, problem = case
    x = X0.copy()
    bounds = groups or [(0, N, {})]
    params = [torch.nn.Parameter(torch.tensor(x[s:e])) for s, e, _ in bounds]
    kwargs = dict(kwargs, foreach=False)
    torch_groups = [{"params": [p], **over} for p, (_, _, over) in zip(params, bounds)]
    optimizer = getattr(torch.optim, cls)(torch_groups, **kwargs)
    scheduler = None
    if schedule is not None:
        scheduler = getattr(torch.optim.lr_scheduler, schedule[0])(optimizer, **schedule[1])
    record = []
    for t in range(1, STEPS + 1):
        current = torch.cat([p.detach() for p in params]).numpy()
        grad = closed_loop_gradient(current) if problem == "closed_loop" else table_gradient(t)
        loss = closed_loop_loss(current)
        for p, (s, e, _) in zip(params, bounds):
            p.grad = torch.tensor(grad[s:e].copy())
        optimizer.step()
        if scheduler is not None:
            if schedule[0] == "ReduceLROnPlateau":
                scheduler.step(loss)
            else:
                scheduler.step()
        if t % RECORD_EVERY == 0:
            record.append(hexes(torch.cat([p.detach() for p in params]).numpy()))
    state = optimizer.state_dict()
    return {
        "name": name, "class": cls,
        "kwargs": {k: encode(v) for k, v in kwargs.items() if k != "foreach"},
        "groups": None if groups is None else [[s, e, {k: encode(v) for k, v in over.items()}] for s, e, over in groups],
        "schedule": None if schedule is None else [schedule[0], schedule[1]],
        "problem": problem, "steps": STEPS, "record_every": RECORD_EVERY,
        "x": record,
        "torch_state_dict": {
            "state": {str(k): {key: encode(v) for key, v in s.items()} for k, s in state["state"].items()},
            "param_groups": [{key: encode(v) for key, v in g.items()} for g in state["param_groups"]],
        },
    }


# Run with torch's default dtype left at float32: ASGD's eta and mu are then float32
# tensors, and the iterates leave the library's (float64) by far more than rounding.
FLOAT32_SCALAR_CASES = [
    ("asgd_options_float32_scalars", "ASGD", {"lr": 0.05, "lambd": 1e-3, "alpha": 0.6, "t0": 50, "weight_decay": 0.01}, None, None, "closed_loop"),
]


def main() -> None:
    float32_cases = [run(case) for case in FLOAT32_SCALAR_CASES]
    torch.set_default_dtype(torch.float64)
    golden = {
        "torch": torch.__version__, "n": N, "a": hexes(A), "c": hexes(C), "x0": hexes(X0),
        "cases": [run(case) for case in CASES],
        "float32_scalar_cases": float32_cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUT, "wb", mtime=0) as f:
        f.write(json.dumps(golden, sort_keys=True, separators=(",", ":")).encode())
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(CASES)} cases)")


if __name__ == "__main__":
    main()
