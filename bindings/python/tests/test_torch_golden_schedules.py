"""Learning-rate schedules against real PyTorch (Tests/Golden/torch/schedules.json.gz, from
tools/torch_golden/generate_torch_golden.py): 300 epochs of each torch scheduler, the lr (and
momentum or beta1 where the scheduler cycles it) every optimizer step used.

Tolerances:
  * closed forms: the library's lr equals torch's `_get_closed_form_lr` bit for bit;
  * torch's step() values (the recursive forms a training loop sees) within CHAINED_RELATIVE
    relative error: they accumulate one rounding per step, the closed forms do not;
  * OneCycleLR, CyclicLR, CosineAnnealingWarmRestarts and ChainedScheduler, which have no
    closed form in torch, and every momentum: bit for bit with torch's step() values.
And a rule driven by a momentum-cycling schedule through gd.minimize, against the same loop in
torch: iterates within 1e-15 of max(1, ‖x‖∞) (rules.json.gz, kind schedule_run)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import gradient_descent as gd
from test_torch_golden_rules import closed_loop, optimizer_for
from torch_golden import cases, decode, problem, relative_error, scaled_error

CHAINED_RELATIVE = 1e-14
EXACT_STEP_VALUES = {"OneCycleLR", "CyclicLR", "CosineAnnealingWarmRestarts", "ChainedScheduler"}

SCHEDULE_CASES = cases("schedules", "schedule")
FRACTIONAL_CASES = cases("schedules", "schedule_fractional")
RUN_CASES = cases("rules", "schedule_run")


def build(torch_class: str, kwargs: dict) -> gd.Schedule:
    if torch_class in ("SequentialLR", "ChainedScheduler"):
        children = [build(name, child_kwargs) for name, child_kwargs in kwargs["schedulers"]]
        if torch_class == "SequentialLR":
            return gd.SequentialLR(children, milestones=kwargs["milestones"])
        return gd.ChainedScheduler(children)
    return getattr(gd, torch_class)(**kwargs)


def lr_and_momentum(case: dict):
    schedule = build(case["torch_class"], case["kwargs"])
    lrs = [schedule.start(case["base_lr"])]
    momenta = [schedule.momentum]
    for _ in range(case["epochs"] - 1):
        lrs.append(schedule.step())
        momenta.append(schedule.momentum)
    return np.array(lrs), np.array(momenta)


def test_every_new_torch_schedule_is_covered():
    names = {case["torch_class"] for case in SCHEDULE_CASES}
    assert {"MultiStepLR", "PolynomialLR", "OneCycleLR", "CyclicLR", "CosineAnnealingWarmRestarts",
            "SequentialLR", "ChainedScheduler", "StepLR", "ConstantLR", "LinearLR", "ExponentialLR",
            "CosineAnnealingLR"} <= names
    assert all(case["epochs"] == 300 for case in SCHEDULE_CASES)


@pytest.mark.parametrize("case", SCHEDULE_CASES, ids=[c["id"] for c in SCHEDULE_CASES])
def test_schedule_matches_torch(case):
    lrs, momenta = lr_and_momentum(case)
    torch_lrs = decode(case["lr"])
    if "closed_form_lr" in case:
        closed = decode(case["closed_form_lr"])
        mismatch = np.flatnonzero(lrs != closed)
        assert mismatch.size == 0, (
            f"closed form differs at epoch {mismatch[0]}: {lrs[mismatch[0]]!r} vs torch {closed[mismatch[0]]!r}")
    if case["torch_class"] in EXACT_STEP_VALUES:
        mismatch = np.flatnonzero(lrs != torch_lrs)
        assert mismatch.size == 0, (
            f"step() value differs at epoch {mismatch[0]}: {lrs[mismatch[0]]!r} vs torch {torch_lrs[mismatch[0]]!r}")
    else:
        assert relative_error(lrs, torch_lrs) <= CHAINED_RELATIVE
    if "momentum" in case:
        expected = decode(case["momentum"])
        mismatch = np.flatnonzero(momenta != expected)
        assert mismatch.size == 0, (
            f"momentum differs at epoch {mismatch[0]}: {momenta[mismatch[0]]!r} vs torch {expected[mismatch[0]]!r}")
    else:
        assert np.all(np.isnan(momenta))


@pytest.mark.parametrize("case", FRACTIONAL_CASES, ids=[c["id"] for c in FRACTIONAL_CASES])
def test_warm_restarts_at_fractional_epochs_match_torch(case):
    schedule = build(case["torch_class"], case["kwargs"])
    schedule.start(case["base_lr"])
    lrs = np.array([schedule.step(epoch=epoch) for epoch in decode(case["epochs"])])
    expected = decode(case["lr"])
    mismatch = np.flatnonzero(lrs != expected)
    assert mismatch.size == 0, f"epoch {decode(case['epochs'])[mismatch[0]]}: {lrs[mismatch[0]]!r} vs {expected[mismatch[0]]!r}"


def test_schedules_resume_from_saved_state_mid_cycle():
    """A composite saved after 137 steps and loaded into a fresh twin continues identically."""
    def make():
        return gd.SequentialLR([gd.LinearLR(0.1, total_iters=20),
                                gd.OneCycleLR(max_lr=0.5, total_steps=100),
                                gd.CosineAnnealingWarmRestarts(T_0=7, T_mult=2)], milestones=[20, 120])
    first = make()
    first.start(0.1)
    for _ in range(137):
        first.step()
    twin = make()
    twin.load_state_dict(first.state_dict())
    for _ in range(100):
        assert twin.step() == first.step()
        assert (twin.momentum == first.momentum) or (math.isnan(twin.momentum) and math.isnan(first.momentum))


def test_loading_refuses_another_composition():
    a = gd.SequentialLR([gd.LinearLR(), gd.ExponentialLR(0.9)], milestones=[5])
    b = gd.SequentialLR([gd.LinearLR(), gd.ExponentialLR(0.9)], milestones=[6])
    c = gd.SequentialLR([gd.LinearLR()], milestones=[])
    a.start(0.1)
    for other in (b, c):
        with pytest.raises(gd.BadStateError):
            other.load_state_dict(a.state_dict())


def test_composites_reject_what_torch_rejects():
    with pytest.raises(gd.InvalidArgumentError):
        gd.SequentialLR([gd.LinearLR(), gd.ReduceLROnPlateau()], milestones=[3])
    with pytest.raises(gd.InvalidArgumentError):
        gd.ChainedScheduler([gd.ReduceLROnPlateau()])
    with pytest.raises(ValueError):
        gd.SequentialLR([gd.LinearLR(), gd.LinearLR()], milestones=[])
    one_cycle = gd.OneCycleLR(max_lr=0.1, total_steps=3)
    one_cycle.start(0.1)
    for _ in range(3):
        one_cycle.step()
    with pytest.raises(gd.InvalidArgumentError):
        one_cycle.step()


def test_cycle_momentum_needs_momentum_or_beta1():
    with pytest.raises(gd.InvalidArgumentError, match="neither momentum nor beta1"):
        gd.minimize(lambda x, g: (g.__setitem__(slice(None), x), 0.5 * x @ x)[1], np.ones(2),
                    optimizer=gd.Adagrad(), schedule=gd.OneCycleLR(max_lr=0.1, total_steps=10),
                    max_iterations=5)


@pytest.mark.parametrize("case", RUN_CASES, ids=[c["id"] for c in RUN_CASES])
def test_rule_with_momentum_cycling_schedule_matches_torch(case):
    spec = problem("rules", case["problem"])
    gradient = closed_loop(spec, 1.0)
    recorded = {}
    wanted = set(case["recorded_steps"])

    def fun(x, grad):
        grad[:] = gradient(x)
        return 0.0

    def record(info):
        if info.iteration in wanted:
            recorded[info.iteration] = np.array(info.x)

    gd.minimize(fun, decode(spec["x0"]), optimizer=optimizer_for(case["torch_class"], case["kwargs"]),
                schedule=build(case["schedule"], case["schedule_kwargs"]), max_iterations=case["steps"],
                callback=record)
    for step, expected in zip(case["recorded_steps"], decode(case["x"])):
        assert scaled_error(recorded[step], expected) <= 1e-15, f"step {step}"


def _with_field(blob: bytes, offset_from_end: int, value: float) -> bytes:
    """blob with the f64 at len - offset_from_end replaced, its CRC-32 recomputed (so only
    the range checks can refuse it)."""
    import struct
    import zlib
    data = bytearray(blob)
    at = len(data) - offset_from_end
    data[at:at + 8] = struct.pack("<d", value)
    data[24:28] = struct.pack("<I", zlib.crc32(bytes(data[32:])))
    return bytes(data)


def test_loading_range_checks_the_warm_restart_and_momentum_fields():
    schedule = gd.CosineAnnealingWarmRestarts(T_0=7)
    schedule.start(0.1)
    for _ in range(3):
        schedule.step()
    blob = schedule.state_dict()
    # The body ends with f64 momentum, f64 T_cur, f64 T_i, u32 child count.
    twin = gd.CosineAnnealingWarmRestarts(T_0=7)
    twin.load_state_dict(_with_field(blob, 20, 3.0))  # the same value: accepted
    assert twin.step() == schedule.step()
    for offset, value in ((20, 9.0), (20, -1.0), (12, math.nan), (12, 0.0), (28, -0.5), (28, math.inf)):
        with pytest.raises(gd.BadStateError):
            gd.CosineAnnealingWarmRestarts(T_0=7).load_state_dict(_with_field(blob, offset, value))


def test_own_loop_with_schedule_and_momentum_equals_minimize():
    """The loop of the binding's README (lr and momentum from the schedule before each step,
    sched.step() after) gives minimize's iterates bit for bit."""
    target = np.array([1.0, -2.0, 0.5])

    def gradient(x):
        return (x - target) * np.array([1.0, 3.0, 0.2])

    def fun(x, grad):
        grad[:] = gradient(x)
        return 0.0

    result = gd.minimize(fun, np.zeros(3), optimizer=gd.SGD(lr=0.01, momentum=0.9),
                         schedule=gd.OneCycleLR(max_lr=0.1, total_steps=50), max_iterations=50)
    opt = gd.SGD(lr=0.01, momentum=0.9)
    sched = gd.OneCycleLR(max_lr=0.1, total_steps=50)
    x = np.zeros(3)
    lr = sched.start(opt.lr)
    for _ in range(50):
        opt.lr = lr
        if not math.isnan(sched.momentum):
            opt.set("momentum", sched.momentum)
        opt.step(x, gradient(x))
        lr = sched.step()
    np.testing.assert_array_equal(result.x, x)


PLATEAU_CASES = cases("schedules", "schedule_plateau")


@pytest.mark.parametrize("case", PLATEAU_CASES, ids=[c["id"] for c in PLATEAU_CASES])
def test_reduce_on_plateau_matches_torch(case):
    """ReduceLROnPlateau fed the same 300 losses: the lr of every epoch, bit for bit."""
    schedule = gd.ReduceLROnPlateau(**case["kwargs"])
    lrs = [schedule.start(case["base_lr"])]
    for loss in decode(case["losses"])[:-1]:
        lrs.append(schedule.step(loss))
    expected = decode(case["lr"])
    assert len(set(expected.tolist())) > 1  # the sequence makes it reduce
    mismatch = np.flatnonzero(np.array(lrs) != expected)
    assert mismatch.size == 0, f"epoch {mismatch[0]}: {lrs[mismatch[0]]!r} vs torch {expected[mismatch[0]]!r}"


def test_warmup_cosine_is_torchs_sequential_linear_then_cosine():
    """WarmupCosine equals torch's SequentialLR([LinearLR, CosineAnnealingLR]) to 1e-14 relative
    (its closed forms against torch's step() values)."""
    case = next(c for c in SCHEDULE_CASES if c["torch_class"] == "SequentialLR"
                and [name for name, _ in c["kwargs"]["schedulers"]] == ["LinearLR", "CosineAnnealingLR"])
    (_, linear), (_, cosine) = case["kwargs"]["schedulers"]
    schedule = gd.WarmupCosine(warmup_steps=case["kwargs"]["milestones"][0], T_max=cosine["T_max"],
                               start_factor=linear["start_factor"])
    lrs = [schedule.start(case["base_lr"])] + [schedule.step() for _ in range(case["epochs"] - 1)]
    assert relative_error(lrs, decode(case["lr"])) <= CHAINED_RELATIVE


def test_sequential_milestones_are_whole_and_increasing():
    for milestones in ([2.5], [-1], [True]):
        with pytest.raises(ValueError):
            gd.SequentialLR([gd.LinearLR(), gd.ExponentialLR(0.9)], milestones=milestones)
    with pytest.raises(gd.InvalidArgumentError):
        gd.SequentialLR([gd.LinearLR(), gd.ExponentialLR(0.9), gd.StepLR(3)], milestones=[5, 5])
