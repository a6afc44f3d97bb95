"""Conversion between the library's optimizer blob and torch.optim's `state_dict()` layout.

torch keeps one state dict per parameter tensor and one dict per param group. Here x is one
tensor per parameter group (one tensor without groups), so torch's layout is
`{"state": {g: {...}}, "param_groups": [{..., "params": [g]}]}` with torch's state names
(`step`, `exp_avg`, `momentum_buffer`, `mu_product`, `eta`, ...) and argument names (`betas`,
`etas`, `step_sizes` as pairs, flags as bools). The library's own blob
(`Optimizer.state_dict()`) stays the format for resuming bit for bit; this one is for moving
a run between the library and torch.

Values come out as torch tensors when torch is importable (what torch's `load_state_dict`
takes), else as numpy arrays; both are accepted going in.
"""

from __future__ import annotations

import importlib
import struct
import zlib
from typing import Any

import numpy as np

_MAGIC = b"GDSTATE\0"
_HEADER = struct.Struct("<8sIIQII")
_OPTIMIZER_KIND = 1

# Library keys that torch spells as one pair argument.
_PAIRS = {"betas": ("beta1", "beta2"), "etas": ("etaminus", "etaplus"),
          "step_sizes": ("step_size_min", "step_size_max")}
_FLAGS = {"amsgrad", "maximize", "nesterov", "centered", "decoupled_weight_decay"}
# The rules' scalars as a fresh optimizer has them (a parameter without torch state).
_INITIAL_SCALARS = {"mu_product": 1.0, "eta": 0.0, "mu": 1.0, "momentum_buffer_started": 0.0}


class _Reader:
    def __init__(self, body: bytes):
        self.body, self.offset = body, 0

    def take(self, fmt: str) -> Any:
        values = struct.unpack_from(fmt, self.body, self.offset)
        self.offset += struct.calcsize(fmt)
        return values[0] if len(values) == 1 else values

    def string(self) -> str:
        length = self.take("<I")
        text = self.body[self.offset:self.offset + length].decode()
        self.offset += length
        return text

    def pairs(self) -> dict[str, float]:
        return {self.string(): self.take("<d") for _ in range(self.take("<I"))}


def parse_blob(blob: bytes) -> dict[str, Any]:
    """The fields of an optimizer blob (the layout the README and OptimizerCheckpoint.swift
    describe): rule, n, step, keys, scalars, buffers, and the groups."""
    magic, version, kind, size, _crc, _reserved = _HEADER.unpack_from(blob)
    if magic != _MAGIC or kind != _OPTIMIZER_KIND or size != len(blob):
        raise ValueError("not an optimizer state of this library")
    reader = _Reader(bytes(blob[_HEADER.size:]))
    parsed = {"version": version, "rule": reader.string(), "n": reader.take("<Q"),
              "step": reader.take("<Q"), "keys": reader.pairs(), "scalars": reader.pairs()}
    buffers: dict[str, np.ndarray] = {}
    for _ in range(reader.take("<I")):
        name = reader.string()
        length = reader.take("<Q")
        buffers[name] = np.frombuffer(reader.body, "<f8", length, reader.offset).astype(np.float64)
        reader.offset += 8 * length
    parsed["buffers"] = buffers
    groups = [{"start": 0, "keys": parsed["keys"], "scalars": parsed["scalars"]}]
    if reader.offset < len(reader.body):
        for _ in range(1, reader.take("<I")):
            start = reader.take("<Q")
            keys = reader.pairs()
            scalars = {name: reader.take("<d") for name in parsed["scalars"]}
            groups.append({"start": start, "keys": keys, "scalars": scalars})
    parsed["groups"] = groups
    return parsed


def build_blob(parsed: dict[str, Any]) -> bytes:
    """An optimizer blob from fields as parse_blob returns them."""
    def string(text: str) -> bytes:
        data = text.encode()
        return struct.pack("<I", len(data)) + data

    def pairs(values: dict[str, float]) -> bytes:
        return struct.pack("<I", len(values)) + b"".join(
            string(key) + struct.pack("<d", value) for key, value in values.items())

    groups = parsed["groups"]
    body = [string(parsed["rule"]), struct.pack("<QQ", parsed["n"], parsed["step"]),
            pairs(groups[0]["keys"]), pairs(groups[0]["scalars"]),
            struct.pack("<I", len(parsed["buffers"]))]
    for name, values in parsed["buffers"].items():
        body += [string(name), struct.pack("<Q", len(values)), np.asarray(values, "<f8").tobytes()]
    if len(groups) > 1:
        body.append(struct.pack("<I", len(groups)))
        for group in groups[1:]:
            body += [struct.pack("<Q", group["start"]), pairs(group["keys"]),
                     b"".join(struct.pack("<d", group["scalars"][name]) for name in groups[0]["scalars"])]
    data = b"".join(body)
    header = _HEADER.pack(_MAGIC, parsed["version"], _OPTIMIZER_KIND, _HEADER.size + len(data),
                          zlib.crc32(data), 0)
    return header + data


def _state_names(rule: str, keys: dict[str, float]) -> list[str]:
    """torch's per-parameter buffers for a rule and one group's values, in torch's order."""
    if rule in ("adam", "adamw"):
        return ["exp_avg", "exp_avg_sq"] + (["max_exp_avg_sq"] if keys.get("amsgrad") else [])
    if rule == "rmsprop":
        return (["square_avg"] + (["momentum_buffer"] if keys.get("momentum", 0) > 0 else [])
                + (["grad_avg"] if keys.get("centered") else []))
    return {"sgd": ["momentum_buffer"], "adagrad": ["sum"], "adadelta": ["square_avg", "acc_delta"],
            "adamax": ["exp_avg", "exp_inf"], "nadam": ["exp_avg", "exp_avg_sq"],
            "radam": ["exp_avg", "exp_avg_sq"], "rprop": ["prev", "step_size"], "asgd": ["ax"]}[rule]


def _torch() -> Any:
    """torch when it is importable (imported by name: the package never needs it)."""
    try:
        return importlib.import_module("torch")
    except ImportError:
        return None


def _array(value: Any) -> np.ndarray:
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.asarray(value, dtype=np.float64)


def to_torch(blob: bytes) -> dict[str, Any]:
    """torch's state_dict layout of an optimizer blob."""
    parsed = parse_blob(blob)
    rule, n, groups = parsed["rule"], parsed["n"], parsed["groups"]
    torch = _torch()

    def tensor(values: Any) -> Any:
        values = np.array(values, dtype=np.float64)
        return torch.from_numpy(values) if torch is not None else values

    bounds = [group["start"] for group in groups] + [n]
    state: dict[int, dict[str, Any]] = {}
    param_groups: list[dict[str, Any]] = []
    for index, group in enumerate(groups):
        keys = group["keys"]
        part = slice(bounds[index], bounds[index + 1])
        entry: dict[str, Any] = {}
        # torch's SGD keeps state only for parameters whose group has momentum (set once
        # a step has run with it).
        sgd_without_buffer = rule == "sgd" and not group["scalars"].get("momentum_buffer_started")
        if parsed["step"] > 0 and not sgd_without_buffer:
            if rule != "sgd":
                entry["step"] = tensor(float(parsed["step"]))
            for name in _state_names(rule, keys):
                entry[name] = tensor(parsed["buffers"][name][part])
            for name in ("mu_product", "eta", "mu"):
                if name in group["scalars"]:
                    entry[name] = tensor(group["scalars"][name])
            state[index] = entry
        arguments: dict[str, Any] = {}
        for key, value in keys.items():
            pair = next((torch_name for torch_name, names in _PAIRS.items() if key in names), None)
            if pair is not None:
                arguments[pair] = tuple(keys[name] for name in _PAIRS[pair])
            elif key in _FLAGS:
                arguments[key] = bool(value)
            else:
                arguments[key] = value
        if rule == "adamw":
            arguments["decoupled_weight_decay"] = True
        arguments["params"] = [index]
        param_groups.append(arguments)
    return {"state": state, "param_groups": param_groups}


def from_torch(blob: bytes, state_dict: dict[str, Any]) -> bytes:
    """`blob` (the optimizer's current state, which gives rule and n) with hyper-parameters,
    step count, buffers and scalars replaced by torch's `state_dict`. ValueError when the
    dict does not fit (groups, parameter sizes, step counts that differ)."""
    parsed = parse_blob(blob)
    rule, n, groups = parsed["rule"], parsed["n"], parsed["groups"]
    torch_groups = state_dict["param_groups"]
    if len(torch_groups) != len(groups):
        raise ValueError(f"the state dict has {len(torch_groups)} param groups; this optimizer has "
                         f"{len(groups)} (declare the same groups first)")
    bounds = [group["start"] for group in groups] + [n]
    state = state_dict["state"]
    steps = set()
    buffers = {name: np.zeros(n) for name in parsed["buffers"]}
    for index, (group, torch_group) in enumerate(zip(groups, torch_groups)):
        params = torch_group.get("params", [index])
        if len(params) != 1:
            raise ValueError(f"param group {index} holds {len(params)} tensors; one per group fits x")
        for argument, value in torch_group.items():
            if argument in _PAIRS:
                for key, number in zip(_PAIRS[argument], value):
                    group["keys"][key] = float(number)
            elif argument in group["keys"]:
                group["keys"][argument] = float(value)
        entry = state.get(params[0], state.get(str(params[0]), {}))
        length = bounds[index + 1] - bounds[index]
        for name in group["scalars"]:
            group["scalars"][name] = _INITIAL_SCALARS.get(name, group["scalars"][name])
        if "step" in entry:
            steps.add(int(round(_scalar("step", entry["step"]))))
        for name, value in entry.items():
            if name == "step":
                continue
            if name in ("mu_product", "eta", "mu"):
                group["scalars"][name] = _scalar(name, value)
            elif name == "momentum_buffer" and rule == "sgd":
                group["scalars"]["momentum_buffer_started"] = 0.0 if value is None else 1.0
                if value is not None:
                    buffers[name][bounds[index]:bounds[index + 1]] = _check_length(name, value, length, index)
            elif name in buffers:
                buffers[name][bounds[index]:bounds[index + 1]] = _check_length(name, value, length, index)
            else:
                raise ValueError(f"state {name!r} of param group {index} is not kept by rule {rule!r}")
        if rule == "sgd" and entry:
            steps.add(parsed["step"])  # SGD keeps no step in torch
    if len(steps) > 1:
        raise ValueError(f"the parameters have different step counts: {sorted(steps)}")
    parsed["step"] = steps.pop() if steps else (parsed["step"] if state else 0)
    parsed["buffers"] = buffers
    parsed["keys"] = groups[0]["keys"]
    parsed["scalars"] = groups[0]["scalars"]
    return build_blob(parsed)


def _scalar(name: str, value: Any) -> float:
    values = _array(value).ravel()
    if values.size != 1:
        raise ValueError(f"state {name!r} must hold one value, got {values.size}")
    return float(values[0])


def group_lengths(state_dict: dict[str, Any]) -> list[int] | None:
    """The number of elements of each param group's tensor, read from its state buffers;
    None when a group has no buffer to read it from (an optimizer that has not stepped)."""
    lengths = []
    for index, group in enumerate(state_dict["param_groups"]):
        params = group.get("params", [index])
        if len(params) != 1:
            raise ValueError(f"param group {index} holds {len(params)} tensors; one per group fits x")
        entry = state_dict["state"].get(params[0], state_dict["state"].get(str(params[0]), {}))
        sizes = {_array(value).size for name, value in entry.items()
                 if value is not None and name not in ("step", "mu_product", "eta", "mu")}
        if len(sizes) != 1:
            return None
        lengths.append(sizes.pop())
    return lengths


def _check_length(name: str, value: Any, length: int, index: int) -> np.ndarray:
    values = _array(value).ravel()
    if values.size != length:
        raise ValueError(f"state {name!r} of param group {index} has {values.size} values, the group has {length}")
    return values
