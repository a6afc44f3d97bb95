"""Each optimizer class, driven by step(), follows the published update rule.

300 steps on a fixed gradient sequence are compared after every step with the formulas of
torch.optim's single-tensor code written in numpy (reference_rules.py), to 1e-12 relative,
for the defaults and for every flag and hyper-parameter of each rule.
"""

from __future__ import annotations

import numpy as np
import pytest

import gradient_descent as gd
from reference_rules import RULES

STEPS = 300
N = 7

CASES = [
    (gd.SGD, {}),
    (gd.SGD, {"lr": 0.05}),
    (gd.SGD, {"lr": 0.01, "momentum": 0.9}),
    (gd.SGD, {"lr": 0.01, "momentum": 0.9, "dampening": 0.3}),
    (gd.SGD, {"lr": 0.01, "momentum": 0.8, "nesterov": True}),
    (gd.SGD, {"lr": 0.02, "weight_decay": 0.1}),
    (gd.SGD, {"lr": 0.02, "maximize": True}),
    (gd.SGD, {"lr": 0.01, "momentum": 0.9, "nesterov": True, "weight_decay": 0.05,
              "maximize": True}),
    (gd.Adam, {}),
    (gd.Adam, {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-6}),
    (gd.Adam, {"lr": 0.02, "amsgrad": True}),
    (gd.Adam, {"lr": 0.02, "weight_decay": 0.1}),
    (gd.Adam, {"lr": 0.02, "maximize": True}),
    (gd.Adam, {"lr": 0.02, "amsgrad": True, "weight_decay": 0.1, "maximize": True}),
    (gd.AdamW, {}),
    (gd.AdamW, {"lr": 0.05, "weight_decay": 0.2}),
    (gd.AdamW, {"lr": 0.02, "amsgrad": True}),
    (gd.AdamW, {"lr": 0.02, "maximize": True, "betas": (0.5, 0.9)}),
    (gd.AdamW, {"lr": 0.02, "weight_decay": 0.0}),
    (gd.RMSprop, {}),
    (gd.RMSprop, {"lr": 0.005, "alpha": 0.9, "eps": 1e-6}),
    (gd.RMSprop, {"lr": 0.005, "centered": True}),
    (gd.RMSprop, {"lr": 0.005, "momentum": 0.9}),
    (gd.RMSprop, {"lr": 0.005, "centered": True, "momentum": 0.5}),
    (gd.RMSprop, {"lr": 0.005, "weight_decay": 0.1}),
    (gd.RMSprop, {"lr": 0.005, "maximize": True, "centered": True, "momentum": 0.3,
                  "weight_decay": 0.01}),
    (gd.Adagrad, {}),
    (gd.Adagrad, {"lr": 0.1, "lr_decay": 0.01}),
    (gd.Adagrad, {"lr": 0.1, "initial_accumulator_value": 0.5}),
    (gd.Adagrad, {"lr": 0.1, "weight_decay": 0.1, "eps": 1e-6}),
    (gd.Adagrad, {"lr": 0.1, "maximize": True, "lr_decay": 0.001}),
    (gd.Adadelta, {}),
    (gd.Adadelta, {"lr": 0.5, "rho": 0.95, "eps": 1e-5}),
    (gd.Adadelta, {"weight_decay": 0.1}),
    (gd.Adadelta, {"maximize": True}),
    (gd.Adamax, {}),
    (gd.Adamax, {"lr": 0.02, "betas": (0.8, 0.99), "eps": 1e-6}),
    (gd.Adamax, {"lr": 0.02, "weight_decay": 0.1}),
    (gd.Adamax, {"lr": 0.02, "maximize": True}),
    (gd.NAdam, {}),
    (gd.NAdam, {"lr": 0.01, "momentum_decay": 0.01, "betas": (0.85, 0.995)}),
    (gd.NAdam, {"lr": 0.01, "weight_decay": 0.1}),
    (gd.NAdam, {"lr": 0.01, "maximize": True, "eps": 1e-6}),
    (gd.RAdam, {}),
    (gd.RAdam, {"lr": 0.01, "betas": (0.8, 0.99)}),
    (gd.RAdam, {"lr": 0.01, "weight_decay": 0.1}),
    (gd.RAdam, {"lr": 0.01, "maximize": True, "eps": 1e-6}),
]


def _reference_keywords(arguments: dict) -> dict:
    keywords = dict(arguments)
    if "betas" in keywords:
        keywords["beta1"], keywords["beta2"] = keywords.pop("betas")
    return keywords


def _case_id(case) -> str:
    cls, arguments = case
    return cls.__name__ + "(" + ",".join(f"{k}={v}" for k, v in arguments.items()) + ")"


@pytest.fixture(scope="module")
def gradients() -> np.ndarray:
    return np.random.default_rng(20240601).normal(scale=2.0, size=(STEPS, N))


@pytest.mark.parametrize("case", CASES, ids=[_case_id(case) for case in CASES])
def test_step_follows_the_published_rule_for_300_steps(case, gradients):
    cls, arguments = case
    x0 = np.random.default_rng(7).normal(size=N)
    reference = RULES[cls.name]
    keywords = _reference_keywords(arguments)
    expected = x0.copy()
    state: dict = {}
    x = x0.copy()
    with cls(**arguments) as opt:
        for k in range(STEPS):
            opt.step(x, gradients[k])
            reference(expected, gradients[k], state, **keywords)
            scale = np.max(np.abs(expected))
            np.testing.assert_allclose(x, expected, rtol=1e-12, atol=1e-12 * scale,
                                       err_msg=f"step {k + 1}")
    assert not np.allclose(x, x0), "the rule did not move x"


def test_reset_forgets_the_state_and_keeps_the_hyperparameters(gradients):
    opt = gd.Adam(lr=0.05, amsgrad=True)
    first = np.zeros(N)
    for g in gradients[:10]:
        opt.step(first, g)
    opt.reset()
    again = np.zeros(N)
    for g in gradients[:10]:
        opt.step(again, g)
    np.testing.assert_array_equal(first, again)
    assert opt.lr == 0.05 and opt.get("amsgrad") == 1.0
    opt.close()


def test_changing_lr_between_steps_keeps_the_moments(gradients):
    x = np.ones(N)
    expected = x.copy()
    state: dict = {}
    with gd.SGD(lr=0.1, momentum=0.9) as opt:
        for k, g in enumerate(gradients[:50]):
            lr = 0.1 * 0.9 ** k
            opt.lr = lr
            opt.step(x, g)
            RULES["sgd"](expected, g, state, lr=lr, momentum=0.9)
    np.testing.assert_allclose(x, expected, rtol=1e-12, atol=1e-14)
