"""Parameter groups from Python: torch's list of dicts over slices of x."""

from __future__ import annotations

import numpy as np
import pytest

import gradient_descent as gd
from gradient_descent import torch_state


def test_groups_mirror_torchs_list_of_dicts():
    opt = gd.AdamW([{"params": slice(0, 3), "weight_decay": 0.0}, {"params": slice(3, None)}],
                   lr=1e-3)
    x = np.ones(5)
    opt.step(x, np.zeros(5))
    # No gradient: only the decoupled decay moves x, and only in the second group.
    assert x[:3].tolist() == [1.0, 1.0, 1.0]
    assert x[3:].tolist() == [1 - 1e-3 * 1e-2] * 2
    groups = opt.param_groups
    assert [g["params"] for g in groups] == [slice(0, 3), slice(3, None)]
    assert [g["weight_decay"] for g in groups] == [0.0, 0.01]
    opt.set_group(1, "lr", 0.5)
    assert opt.get_group(1, "lr") == 0.5 and opt.get_group(0, "lr") == 1e-3
    opt.lr = 0.25  # every group, as setting a key on the optimizer does
    assert [g["lr"] for g in opt.param_groups] == [0.25, 0.25]
    assert repr(opt).endswith("n=5, 2 param groups)")


@pytest.mark.parametrize("cls", [gd.SGD, gd.Adam, gd.AdamW, gd.RMSprop, gd.Adagrad, gd.Adadelta,
                                 gd.Adamax, gd.NAdam, gd.RAdam, gd.Rprop, gd.ASGD])
def test_every_class_takes_groups(cls):
    opt = cls([{"params": slice(0, 2), "lr": 0.1}, {"params": slice(2, 4), "lr": 0.01}])
    x = np.zeros(4)
    opt.step(x, np.ones(4))
    assert abs(x[0]) > abs(x[3]) > 0


def test_pairs_and_flags_take_torchs_argument_names():
    opt = gd.Rprop([{"params": slice(0, 1), "etas": (0.3, 1.5), "step_sizes": (0.0, 1.0)},
                    {"params": slice(1, 2), "maximize": True}], n=2)
    assert opt.get_group(0, "etaminus") == 0.3 and opt.get_group(0, "step_size_max") == 1.0
    assert opt.get_group(1, "maximize") == 1.0 and opt.get_group(0, "maximize") == 0.0
    adam = gd.Adam([{"params": slice(0, 1), "betas": (0.5, 0.9), "decoupled_weight_decay": True},
                    {"params": slice(1, 2)}], n=2)
    assert adam.get_group(0, "beta1") == 0.5 and adam.get_group(1, "beta1") == 0.9
    assert adam.get_group(0, "decoupled_weight_decay") == 1.0


def test_bad_groups_fail_with_a_message():
    with pytest.raises(TypeError, match="list of dicts"):
        gd.SGD({"params": slice(0, 2)})
    with pytest.raises(ValueError, match="empty list"):
        gd.SGD([])
    with pytest.raises(TypeError, match="slice"):
        gd.SGD([{"params": [0, 1]}])
    with pytest.raises(ValueError, match="no 'params'"):
        gd.SGD([{"lr": 0.1}])
    with pytest.raises(ValueError, match="step must be 1"):
        gd.SGD([{"params": slice(0, 4, 2)}])
    with pytest.raises(gd.UnknownKeyError, match="betas"):
        gd.SGD([{"params": slice(0, None), "betas": (0.9, 0.99)}])
    with pytest.raises(gd.InvalidArgumentError, match="lr"):
        gd.SGD([{"params": slice(0, 2)}, {"params": slice(2, None), "lr": -1.0}])
    with pytest.raises(gd.InvalidArgumentError, match="nesterov"):
        gd.SGD([{"params": slice(0, 2)}, {"params": slice(2, None), "nesterov": True}], momentum=0.0)
    # Coverage is checked once n is known.
    gap = gd.SGD([{"params": slice(0, 2)}, {"params": slice(3, None)}])
    with pytest.raises(ValueError, match="starts at 3, expected 2"):
        gap.step(np.zeros(5), np.zeros(5))
    short = gd.SGD([{"params": slice(0, 2)}, {"params": slice(2, 4)}])
    with pytest.raises(ValueError, match="end at 4"):
        short.step(np.zeros(5), np.zeros(5))
    empty = gd.SGD([{"params": slice(0, 5)}, {"params": slice(5, None)}])
    with pytest.raises(ValueError, match="empty"):
        empty.step(np.zeros(5), np.zeros(5))
    assert empty.n is None  # nothing was created
    with pytest.raises(IndexError):
        gd.SGD(n=3).set_group(1, "lr", 0.1)


def test_saved_state_carries_the_groups():
    opt = gd.NAdam([{"params": slice(0, 2), "momentum_decay": 0.02}, {"params": slice(2, None), "lr": 0.01}])
    x = np.linspace(-1, 1, 6)
    for _ in range(7):
        opt.step(x, x - 0.3)
    blob = opt.state_dict()
    resumed = gd.Optimizer.from_state(blob)
    assert [g["params"] for g in resumed.param_groups] == [slice(0, 2), slice(2, 6)]
    assert resumed.get_group(0, "momentum_decay") == 0.02 and resumed.get_group(1, "lr") == 0.01
    y = x.copy()
    for _ in range(5):
        opt.step(x, x - 0.3)
        resumed.step(y, y - 0.3)
    assert x.tolist() == y.tolist()


def test_loading_range_checks_the_groups():
    opt = gd.SGD([{"params": slice(0, 2)}, {"params": slice(2, None)}], n=6)
    parsed = torch_state.parse_blob(opt.state_dict())
    for start in (6, 0, 100):
        parsed["groups"][1]["start"] = start
        with pytest.raises(gd.BadStateError, match="group"):
            opt.load_state_dict(torch_state.build_blob(parsed))
    assert opt.param_groups[1]["params"] == slice(2, None)  # unchanged
    parsed["groups"][1]["start"] = 4
    opt.load_state_dict(torch_state.build_blob(parsed))
    assert [g["params"] for g in opt.param_groups] == [slice(0, 4), slice(4, 6)]


def test_minimize_with_groups_and_a_schedule():
    def bowl(x, grad):
        grad[:] = x - 1.0
        return 0.5 * float(np.sum((x - 1.0) ** 2))

    opt = gd.SGD([{"params": slice(0, 1), "lr": 0.5}, {"params": slice(1, None), "lr": 0.0}])
    schedule = gd.StepLR(step_size=1, gamma=0.5)
    res = gd.minimize(bowl, np.zeros(3), optimizer=opt, schedule=schedule, max_iterations=3)
    # lr 0.5, 0.25, 0.125 on x[0]; the second group's lr 0 stays 0 under the schedule.
    assert res.x[0] == 1 - 0.5 * 0.75 * 0.875
    assert res.x[1:].tolist() == [0.0, 0.0]
    assert opt.get_group(0, "lr") == 0.0625
    assert schedule.get_last_lr() == [0.0625, 0.0]
    schedule.reset()
    assert len(schedule.get_last_lr()) == 1


def test_own_loop_with_groups_and_a_schedule_equals_minimize():
    # sched.start([lr per group]) and sched.step() drive the groups' lrs by hand, as
    # torch's scheduler does in a training loop; the result equals minimize's.
    def bowl(x, grad):
        grad[:] = x - np.arange(4.0)
        return 0.5 * float(np.sum((x - np.arange(4.0)) ** 2))

    groups = [{"params": slice(0, 1), "lr": 0.3}, {"params": slice(1, None), "lr": 0.1}]
    by_minimize = gd.minimize(bowl, np.zeros(4), optimizer=gd.SGD(groups, momentum=0.5),
                              schedule=gd.CosineAnnealingLR(T_max=10), max_iterations=10).x
    opt, sched = gd.SGD(groups, momentum=0.5, n=4), gd.CosineAnnealingLR(T_max=10)
    rates = sched.start([0.3, 0.1])
    assert rates == [0.3, 0.1]
    x, grad = np.zeros(4), np.empty(4)
    for _ in range(10):
        for group, lr in enumerate(sched.get_last_lr()):
            opt.set_group(group, "lr", lr)
        loss = bowl(x, grad)
        opt.step(x, grad)
        sched.step(loss)
    assert x.tolist() == by_minimize.tolist()
    with pytest.raises(gd.InvalidArgumentError):
        sched.start([])
    with pytest.raises(gd.InvalidArgumentError):
        sched.start([0.1, -1.0])


def test_a_saved_schedule_carries_its_groups():
    sched = gd.ReduceLROnPlateau(patience=0, factor=0.5, min_lr=0.03)
    sched.start([0.1, 0.2, 0.05])
    for loss in (3.0, 3.0, 3.0):
        sched.step(loss)
    # Each group halves from its own lr down to min_lr, which applies to each group's lr.
    assert sched.get_last_lr() == [0.03, 0.05, 0.03]
    saved = sched.state_dict()
    copy = gd.ReduceLROnPlateau(patience=0, factor=0.5, min_lr=0.03)
    copy.load_state_dict(saved)
    assert copy.get_last_lr() == sched.get_last_lr()
    for loss in (3.0, 2.0, 2.0):
        assert copy.step(loss) == sched.step(loss)
        assert copy.get_last_lr() == sched.get_last_lr()
    assert sched.get_last_lr() == [0.03, 0.03, 0.03]


def _bowl(x, grad):
    grad[:] = x - 1.0
    return 0.5 * float(np.sum((x - 1.0) ** 2))


def test_cycled_momentum_reaches_every_group():
    # torch's OneCycleLR takes one max_lr and one momentum range: every group gets the same.
    opt = gd.SGD([{"params": slice(0, 1), "lr": 0.1}, {"params": slice(1, None), "momentum": 0.5}],
                 lr=0.01, momentum=0.9)
    sched = gd.OneCycleLR(max_lr=0.1, total_steps=10)
    gd.minimize(_bowl, np.zeros(3), optimizer=opt, schedule=sched, max_iterations=4)
    assert opt.get_group(0, "momentum") == opt.get_group(1, "momentum") == sched.momentum
    assert sched.get_last_lr()[0] == sched.get_last_lr()[1] == sched.lr


def test_composite_schedules_refuse_groups():
    opt = gd.SGD([{"params": slice(0, 1)}, {"params": slice(1, None)}], lr=0.1)
    sched = gd.SequentialLR([gd.LinearLR(0.5, total_iters=2), gd.ExponentialLR(0.9)], milestones=[2])
    with pytest.raises(gd.InvalidArgumentError, match="parameter groups"):
        gd.minimize(_bowl, np.zeros(3), optimizer=opt, schedule=sched, max_iterations=4)


def test_repr_follows_set_and_loaded_state():
    opt = gd.Rprop(etas=(0.3, 1.5), n=2)
    opt.set("etaplus", 1.25)
    assert "etas=(0.3, 1.25)" in repr(opt)
    other = gd.Rprop(n=2)
    other.load_state_dict(opt.state_dict())
    assert "etas=(0.3, 1.25)" in repr(other) and "maximize=False" in repr(other)
