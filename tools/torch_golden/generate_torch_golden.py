"""Runs real PyTorch (CPU) and writes the golden files the tests compare the library with:
update rules (rules.json.gz), learning-rate schedules (schedules.json.gz) and gradient
clipping (clipping.json.gz) under Tests/Golden/torch, then the update rules once more on
torch's plain CPU loops (rules_plain.json.gz, ATEN_CPU_CAPABILITY=default, in a second
process). Run by hand, in a venv with torch (tools/torch_golden/README.md):

    .venv-torch/bin/python tools/torch_golden/generate_torch_golden.py

Everything runs in float64 with torch's default dtype set to float64 (NAdam keeps its
mu_product in the default dtype).
"""

from __future__ import annotations

import itertools
import math
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import golden_format as fmt  # noqa: E402

GENERATOR = "tools/torch_golden/generate_torch_golden.py"
torch.set_default_dtype(torch.float64)
warnings.filterwarnings("ignore", category=UserWarning)

META = {"torch": torch.__version__, "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "default_dtype": str(torch.get_default_dtype())}


# ---- update rules ---------------------------------------------------------------------------

LR = {"SGD": 0.01, "Adam": 0.01, "AdamW": 0.01, "RMSprop": 0.005, "Adagrad": 0.05,
      "Adadelta": 0.5, "Adamax": 0.01, "NAdam": 0.01, "RAdam": 0.01}


def grid(**axes):
    keys = list(axes)
    for values in itertools.product(*(axes[k] for k in keys)):
        yield dict(zip(keys, values))


def rule_grid():
    """(torch class name, kwargs) for every option combination of every rule."""
    for sgd in ({}, {"momentum": 0.9}, {"momentum": 0.9, "dampening": 0.1},
                {"momentum": 0.9, "nesterov": True}):
        for rest in grid(weight_decay=[0.0, 0.1], maximize=[False, True]):
            yield "SGD", {**sgd, **rest}
    for name in ("Adam", "AdamW"):
        for options in grid(amsgrad=[False, True], weight_decay=[0.0, 0.1], maximize=[False, True]):
            yield name, options
    for options in grid(centered=[False, True], momentum=[0.0, 0.9], weight_decay=[0.0, 0.1],
                        maximize=[False, True]):
        yield "RMSprop", options
    for options in grid(lr_decay=[0.0, 0.01], initial_accumulator_value=[0.0, 0.1],
                        weight_decay=[0.0, 0.1], maximize=[False, True]):
        yield "Adagrad", options
    for name in ("Adadelta", "Adamax", "RAdam"):
        for options in grid(weight_decay=[0.0, 0.1], maximize=[False, True]):
            yield name, options
    for options in grid(momentum_decay=[4e-3, 0.05], weight_decay=[0.0, 0.1], maximize=[False, True]):
        yield "NAdam", options


def run_rule(name, kwargs, problem, foreach, problems):
    """x after each recorded step of 300 torch.optim steps."""
    spec = problems[problem]
    x = torch.tensor(fmt.decode(spec["x0"]), dtype=torch.float64, requires_grad=True)
    optimizer = getattr(torch.optim, name)([x], lr=LR[name], foreach=foreach, **kwargs)
    sign = -1.0 if kwargs.get("maximize") else 1.0
    if problem == "closed_loop":
        a, c, b = (torch.tensor(fmt.decode(spec[k]), dtype=torch.float64) for k in ("a", "c", "b"))
    else:
        table = torch.tensor(fmt.decode(spec["gradients"]), dtype=torch.float64)
    recorded = []
    for step in range(1, fmt.STEPS + 1):
        with torch.no_grad():
            if problem == "closed_loop":
                x.grad = fmt.closed_loop_gradient(x.detach().clone(), a, c, b, sign)
            else:
                x.grad = table[step - 1].clone()
        optimizer.step()
        if step in fmt.RECORDED_STEPS:
            recorded.append(x.detach().numpy().copy())
    return recorded


def rule_cases(problems):
    cases = []
    for name, kwargs in rule_grid():
        for problem in ("table", "closed_loop"):
            for foreach in (False, True):
                flags = ",".join(f"{k}={v}" for k, v in kwargs.items()) or "defaults"
                cases.append({
                    "kind": "rule", "id": f"{name}[{flags}]-{problem}-foreach={foreach}",
                    "torch_class": name, "kwargs": {"lr": LR[name], **kwargs},
                    "foreach": foreach, "problem": problem,
                    "steps": fmt.STEPS, "recorded_steps": fmt.RECORDED_STEPS,
                    "x": fmt.encode(run_rule(name, kwargs, problem, foreach, problems))})
    return cases


def nadam_float32_default_cases(problems):
    """NAdam with torch's default dtype left at float32: its mu_product is then a float32
    tensor even for float64 parameters, which moves the iterates by far more than rounding."""
    cases = []
    torch.set_default_dtype(torch.float32)
    try:
        for name, kwargs in rule_grid():
            if name != "NAdam":
                continue
            for problem in ("table", "closed_loop"):
                flags = ",".join(f"{k}={v}" for k, v in kwargs.items())
                cases.append({
                    "kind": "rule_float32_default", "id": f"NAdam[{flags}]-{problem}-default_dtype=float32",
                    "torch_class": name, "kwargs": {"lr": LR[name], **kwargs}, "foreach": False,
                    "problem": problem, "steps": fmt.STEPS, "recorded_steps": fmt.RECORDED_STEPS,
                    "x": fmt.encode(run_rule(name, kwargs, problem, False, problems))})
    finally:
        torch.set_default_dtype(torch.float64)
    return cases


# ---- schedules ------------------------------------------------------------------------------

EPOCHS = 300
BASE_LR = 0.1

SCHEDULES = [
    ("StepLR", {"step_size": 30, "gamma": 0.5}),
    ("MultiStepLR", {"milestones": [30, 80, 80, 200], "gamma": 0.5}),
    ("ConstantLR", {"factor": 0.25, "total_iters": 40}),
    ("LinearLR", {"start_factor": 0.1, "end_factor": 1.0, "total_iters": 50}),
    ("LinearLR", {"start_factor": 1.0, "end_factor": 0.05, "total_iters": 250}),
    ("ExponentialLR", {"gamma": 0.99}),
    ("CosineAnnealingLR", {"T_max": 120, "eta_min": 0.001}),
    ("PolynomialLR", {"total_iters": 200, "power": 1.0}),
    ("PolynomialLR", {"total_iters": 250, "power": 2.5}),
    ("CosineAnnealingWarmRestarts", {"T_0": 50}),
    ("CosineAnnealingWarmRestarts", {"T_0": 10, "T_mult": 2, "eta_min": 0.001}),
    ("CosineAnnealingWarmRestarts", {"T_0": 7, "T_mult": 3, "eta_min": 0.0}),
    ("OneCycleLR", {"max_lr": 0.5, "total_steps": 300}),
    ("OneCycleLR", {"max_lr": 0.5, "total_steps": 300, "anneal_strategy": "linear"}),
    ("OneCycleLR", {"max_lr": 0.5, "total_steps": 300, "three_phase": True, "pct_start": 0.25}),
    ("OneCycleLR", {"max_lr": 1.0, "epochs": 10, "steps_per_epoch": 30, "div_factor": 10.0,
                    "final_div_factor": 100.0, "base_momentum": 0.8, "max_momentum": 0.9,
                    "three_phase": True, "anneal_strategy": "linear"}),
    ("OneCycleLR", {"max_lr": 0.5, "total_steps": 300, "cycle_momentum": False}),
    ("CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 20}),
    ("CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 15, "step_size_down": 35,
                  "mode": "triangular2"}),
    ("CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 25, "mode": "exp_range",
                  "gamma": 0.995, "base_momentum": 0.7, "max_momentum": 0.95}),
    ("CyclicLR", {"base_lr": 0.001, "max_lr": 0.1, "step_size_up": 10, "cycle_momentum": False}),
    ("SequentialLR", {"schedulers": [["LinearLR", {"start_factor": 0.1, "total_iters": 20}],
                                     ["CosineAnnealingLR", {"T_max": 280}]],
                      "milestones": [20]}),
    ("SequentialLR", {"schedulers": [["ConstantLR", {"factor": 0.1, "total_iters": 20}],
                                     ["ExponentialLR", {"gamma": 0.98}],
                                     ["CosineAnnealingWarmRestarts", {"T_0": 30, "T_mult": 2}],
                                     ["StepLR", {"step_size": 10, "gamma": 0.7}]],
                      "milestones": [20, 100, 250]}),
    ("SequentialLR", {"schedulers": [["MultiStepLR", {"milestones": [5, 10], "gamma": 0.5}],
                                     ["PolynomialLR", {"total_iters": 100, "power": 2.0}],
                                     ["CosineAnnealingWarmRestarts", {"T_0": 10, "T_mult": 3}],
                                     ["LinearLR", {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 40}]],
                      "milestones": [50, 150, 251]}),
    ("ChainedScheduler", {"schedulers": [["ConstantLR", {"factor": 0.1, "total_iters": 2}],
                                         ["ExponentialLR", {"gamma": 0.9}]]}),
    ("ChainedScheduler", {"schedulers": [["LinearLR", {"start_factor": 0.2, "total_iters": 30}],
                                         ["CosineAnnealingLR", {"T_max": 300, "eta_min": 0.0}],
                                         ["MultiStepLR", {"milestones": [100, 200], "gamma": 0.3}]]}),
    ("ChainedScheduler", {"schedulers": [["CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 20,
                                                        "cycle_momentum": False}],
                                         ["StepLR", {"step_size": 50, "gamma": 0.5}],
                                         ["PolynomialLR", {"total_iters": 300, "power": 1.5}]]}),
]

# Schedules that cycle momentum are run over SGD(momentum=0.9) and over Adam (betas[0]).
MOMENTUM_OPTIMIZERS = [("SGD", {"lr": BASE_LR, "momentum": 0.9}), ("Adam", {"lr": BASE_LR})]


def build(optimizer, name, kwargs):
    cls = getattr(torch.optim.lr_scheduler, name)
    if name in ("SequentialLR", "ChainedScheduler"):
        children = [build(optimizer, child, child_kwargs) for child, child_kwargs in kwargs["schedulers"]]
        if name == "ChainedScheduler":
            return cls(children, optimizer=optimizer)
        return cls(optimizer, children, milestones=kwargs["milestones"])
    return cls(optimizer, **kwargs)


def momentum_of(group):
    if "betas" in group:
        return group["betas"][0]
    return group.get("momentum", math.nan)


def cycles_momentum(name, kwargs):
    if name in ("OneCycleLR", "CyclicLR"):
        return kwargs.get("cycle_momentum", True)
    if name in ("SequentialLR", "ChainedScheduler"):
        return any(cycles_momentum(c, k) for c, k in kwargs["schedulers"])
    return False


def run_schedule(name, kwargs, optimizer_name, optimizer_kwargs):
    """The lr (and momentum) each of EPOCHS updates uses, through torch's step() (recursive
    forms, as a training loop sees them), and torch's closed form where it has one."""
    x = torch.zeros(2, requires_grad=True)
    optimizer = getattr(torch.optim, optimizer_name)([x], **optimizer_kwargs)
    scheduler = build(optimizer, name, kwargs)
    lrs, momenta = [], []
    for epoch in range(EPOCHS):
        group = optimizer.param_groups[0]
        lrs.append(group["lr"])
        momenta.append(momentum_of(group))
        optimizer.step()
        if epoch < EPOCHS - 1:
            scheduler.step()
    closed = None
    if hasattr(scheduler, "_get_closed_form_lr"):
        closed = []
        for epoch in range(EPOCHS):
            scheduler.last_epoch = epoch
            closed.append(scheduler._get_closed_form_lr()[0])
    return lrs, momenta, closed


def fractional_warm_restarts():
    """CosineAnnealingWarmRestarts stepped with fractional epochs, as its documentation shows:
    scheduler.step(epoch + i / iters)."""
    cases = []
    for kwargs, iters in (({"T_0": 3}, 7), ({"T_0": 2, "T_mult": 2, "eta_min": 0.01}, 5)):
        x = torch.zeros(2, requires_grad=True)
        optimizer = torch.optim.SGD([x], lr=BASE_LR)
        scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, **kwargs)
        epochs, lrs = [], []
        for epoch in range(12):
            for i in range(iters):
                at = epoch + i / iters
                scheduler.step(at)
                epochs.append(at)
                lrs.append(optimizer.param_groups[0]["lr"])
        flags = ",".join(f"{k}={v}" for k, v in kwargs.items())
        cases.append({"kind": "schedule_fractional", "id": f"CosineAnnealingWarmRestarts[{flags}]-fractional",
                      "torch_class": "CosineAnnealingWarmRestarts", "kwargs": kwargs, "base_lr": BASE_LR,
                      "epochs": fmt.encode(epochs), "lr": fmt.encode(lrs)})
    return cases


def plateau_losses():
    """A loss sequence with descents, plateaus, noise and a rise: 300 values."""
    rng = np.random.default_rng(11)
    e = np.arange(EPOCHS, dtype=np.float64)
    trend = np.where(e < 60, 1.0 / (1 + 0.05 * e), 0.25)
    trend = np.where((e >= 140) & (e < 200), 0.25 - 0.001 * (e - 140), trend)
    trend = np.where(e >= 200, 0.19 + 0.0005 * (e - 200), trend)
    return trend * (1 + 0.01 * rng.standard_normal(EPOCHS))


PLATEAUS = [
    {},
    {"factor": 0.5, "patience": 5},
    {"mode": "max", "factor": 0.5, "patience": 3, "threshold": 0.01},
    {"threshold_mode": "abs", "threshold": 1e-3, "patience": 4, "cooldown": 3, "factor": 0.3},
    {"patience": 2, "min_lr": 0.02, "factor": 0.5},
    {"patience": 1, "factor": 0.9, "eps": 0.009},
]


def plateau_cases():
    """ReduceLROnPlateau fed the loss sequence (mode max: its negative) after every epoch: the
    lr each epoch used."""
    cases = []
    losses = plateau_losses()
    for index, kwargs in enumerate(PLATEAUS):
        fed = -losses if kwargs.get("mode") == "max" else losses
        x = torch.zeros(2, requires_grad=True)
        optimizer = torch.optim.SGD([x], lr=BASE_LR)
        scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, **kwargs)
        lrs = []
        for value in fed:
            lrs.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step(float(value))
        cases.append({"kind": "schedule_plateau", "id": f"{index:02d}-ReduceLROnPlateau",
                      "torch_class": "ReduceLROnPlateau", "kwargs": kwargs, "base_lr": BASE_LR,
                      "losses": fmt.encode(fed), "lr": fmt.encode(lrs)})
    return cases


def schedule_cases():
    cases = []
    for index, (name, kwargs) in enumerate(SCHEDULES):
        optimizers = MOMENTUM_OPTIMIZERS if cycles_momentum(name, kwargs) else [("SGD", {"lr": BASE_LR})]
        for optimizer_name, optimizer_kwargs in optimizers:
            lrs, momenta, closed = run_schedule(name, kwargs, optimizer_name, optimizer_kwargs)
            case = {"kind": "schedule", "id": f"{index:02d}-{name}-{optimizer_name}",
                    "torch_class": name, "kwargs": kwargs, "base_lr": BASE_LR,
                    "optimizer": optimizer_name, "optimizer_kwargs": optimizer_kwargs,
                    "epochs": EPOCHS, "lr": fmt.encode(lrs)}
            if cycles_momentum(name, kwargs):
                case["momentum"] = fmt.encode(momenta)
            if closed is not None:
                case["closed_form_lr"] = fmt.encode(closed)
            cases.append(case)
    return cases + fractional_warm_restarts() + plateau_cases()


def schedule_run_cases(problems):
    """A rule driven by a momentum-cycling schedule on the closed-loop problem: the iterates
    after each recorded step (lr and momentum/beta1 set by the scheduler before every step)."""
    cases = []
    runs = [
        ("SGD", {"lr": 0.01, "momentum": 0.9, "nesterov": True}, "OneCycleLR", {"max_lr": 0.05, "total_steps": 300}),
        ("Adam", {"lr": 0.01}, "OneCycleLR", {"max_lr": 0.05, "total_steps": 300, "three_phase": True}),
        ("RMSprop", {"lr": 0.01, "momentum": 0.5}, "CyclicLR", {"base_lr": 0.001, "max_lr": 0.01, "step_size_up": 40}),
        ("NAdam", {"lr": 0.01}, "CyclicLR", {"base_lr": 0.001, "max_lr": 0.02, "step_size_up": 30, "mode": "exp_range", "gamma": 0.99}),
    ]
    spec = problems["closed_loop"]
    a, c, b = (torch.tensor(fmt.decode(spec[k])) for k in ("a", "c", "b"))
    for rule, rule_kwargs, schedule, schedule_kwargs in runs:
        x = torch.tensor(fmt.decode(spec["x0"]), requires_grad=True)
        optimizer = getattr(torch.optim, rule)([x], **rule_kwargs)
        scheduler = build(optimizer, schedule, schedule_kwargs)
        recorded = []
        for step in range(1, fmt.STEPS + 1):
            with torch.no_grad():
                x.grad = fmt.closed_loop_gradient(x.detach().clone(), a, c, b, 1.0)
            optimizer.step()
            scheduler.step()
            if step in fmt.RECORDED_STEPS:
                recorded.append(x.detach().numpy().copy())
        cases.append({"kind": "schedule_run", "id": f"{rule}+{schedule}", "torch_class": rule,
                      "kwargs": rule_kwargs, "schedule": schedule, "schedule_kwargs": schedule_kwargs,
                      "problem": "closed_loop", "steps": fmt.STEPS, "recorded_steps": fmt.RECORDED_STEPS,
                      "x": fmt.encode(recorded)})
    return cases


# ---- clipping -------------------------------------------------------------------------------

def clipping_vectors():
    rng = np.random.default_rng(7)
    return {
        "mixed": rng.standard_normal(11) * np.array([1, 10, 0.1, 3, 1e-3, 5, 2, 0.5, 7, 1, 4]),
        "small": rng.standard_normal(5) * 1e-3,
        "large": rng.standard_normal(100) * 3.0,
        "huge": np.array([1e200, -3e200, 2e199, 1.0]),       # finite, its 2-norm overflows
        "with_nan": np.array([1.0, math.nan, -2.0]),
        "with_inf": np.array([1.0, -math.inf, 3.0]),
    }


def clipping_cases():
    cases = []
    for label, vector in clipping_vectors().items():
        for norm_type in (1.0, 2.0, math.inf, 3.0, 0.5, 1.5):
            for max_norm in (0.5, 1e6):
                for error_if_nonfinite in (False, True):
                    for foreach in (False, True):
                        g = torch.tensor(vector)
                        x = torch.zeros_like(g, requires_grad=True)
                        x.grad = g.clone()
                        case = {"kind": "clip_norm",
                                "id": f"{label}-p={norm_type}-max={max_norm}-err={error_if_nonfinite}-foreach={foreach}",
                                "vector": label, "max_norm": max_norm, "norm_type": fmt.encode(norm_type),
                                "error_if_nonfinite": error_if_nonfinite, "foreach": foreach}
                        try:
                            total = torch.nn.utils.clip_grad_norm_(
                                [x], max_norm, norm_type=norm_type,
                                error_if_nonfinite=error_if_nonfinite, foreach=foreach)
                            case["total_norm"] = fmt.encode(total.item())
                            case["grad"] = fmt.encode(x.grad.numpy())
                        except RuntimeError as error:
                            case["error"] = str(error).split(".")[0]
                        cases.append(case)
        for clip_value in (0.05, 1.0, 1e300):
            for foreach in (False, True):
                x = torch.zeros(len(vector), requires_grad=True)
                x.grad = torch.tensor(vector)
                torch.nn.utils.clip_grad_value_([x], clip_value, foreach=foreach)
                cases.append({"kind": "clip_value", "id": f"{label}-value={clip_value}-foreach={foreach}",
                              "vector": label, "clip_value": clip_value, "foreach": foreach,
                              "grad": fmt.encode(x.grad.numpy())})
    cases += clipping_list_cases()
    vectors = {f"clip_{label}": {"values": fmt.encode(v)} for label, v in clipping_vectors().items()}
    return cases, vectors


CLIPPING_LISTS = {"mixed+small+large": ["mixed", "small", "large"], "mixed+with_nan": ["mixed", "with_nan"],
                  "large+huge": ["large", "huge"]}


def clipping_list_cases():
    """clip_grad_norm_ over a list of tensors (torch's usual model.parameters()): the total is
    the norm of the per-tensor norms, every tensor scaled by one coefficient."""
    vectors = clipping_vectors()
    cases = []
    for label, names in CLIPPING_LISTS.items():
        for norm_type in (1.0, 2.0, math.inf, 3.0):
            for error_if_nonfinite in (False, True):
                params = []
                for name in names:
                    x = torch.zeros(len(vectors[name]), requires_grad=True)
                    x.grad = torch.tensor(vectors[name])
                    params.append(x)
                case = {"kind": "clip_norm_list", "id": f"[{label}]-p={norm_type}-err={error_if_nonfinite}",
                        "vectors": names, "max_norm": 0.5, "norm_type": fmt.encode(norm_type),
                        "error_if_nonfinite": error_if_nonfinite}
                try:
                    total = torch.nn.utils.clip_grad_norm_(params, 0.5, norm_type=norm_type,
                                                           error_if_nonfinite=error_if_nonfinite)
                    case["total_norm"] = fmt.encode(total.item())
                    case["grads"] = [fmt.encode(x.grad.numpy()) for x in params]
                except RuntimeError as error:
                    case["error"] = str(error).split(".")[0]
                cases.append(case)
    return cases


def main() -> None:
    problems = fmt.problems()
    if os.environ.get("ATEN_CPU_CAPABILITY") == "default":
        path = fmt.write("rules_plain", GENERATOR, rule_cases(problems), meta=META)
        print(f"{path.relative_to(fmt.ROOT)}: {path.stat().st_size} bytes")
        return
    written = [
        fmt.write("rules", GENERATOR, rule_cases(problems) + schedule_run_cases(problems)
                  + nadam_float32_default_cases(problems), meta=META),
        fmt.write("schedules", GENERATOR, schedule_cases(), meta=META),
    ]
    cases, vectors = clipping_cases()
    written.append(fmt.write("clipping", GENERATOR, cases, extra_problems=vectors, meta=META))
    for path in written:
        print(f"{path.relative_to(fmt.ROOT)}: {path.stat().st_size} bytes, "
              f"{len(fmt.read(path)['cases'])} cases")
    # torch reads the capability when it loads: the plain loops need a process of their own.
    subprocess.check_call([sys.executable, __file__], env=dict(os.environ, ATEN_CPU_CAPABILITY="default"))


if __name__ == "__main__":
    main()
