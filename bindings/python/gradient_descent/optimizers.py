"""Update rules as classes with torch.optim's argument names and defaults.

There is no `params` argument: an optimizer learns its dimension n from the first array
it updates. `Adam(lr=0.01)` only records and validates the hyper-parameters; the C handle
is created by the first `step(x, grad)` or `minimize(..., optimizer=opt)`, for n = x.size,
and from then on the optimizer belongs to that n (another size raises
DimensionMismatchError). Pass `n=` to create the handle at once.

Hyper-parameters are validated when the object is built, by the library itself (the same
checks and messages as gd_optimizer_set and gd_optimizer_step), so `SGD(lr=-1)` and
`SGD(nesterov=True)` without momentum fail at construction, as in PyTorch.

Every class takes torch's `params` first: None (one group, all of x) or a list of dicts
`{"params": slice(start, stop), key: value, ...}`, torch's param_groups over slices of x:
`AdamW([{"params": slice(0, 1000), "weight_decay": 0.0}, {"params": slice(1000, None)}],
lr=1e-3)`. The slices, in order, must cover x without gaps or overlap once n is known (step
1; `None` ends as in Python); each group's keys are the class's argument names and override
the keyword arguments for that group (see `param_groups`, `set_group`).

The state (moments, step count) lives in the library and carries over between `step`
calls and between `minimize` calls; `reset()` forgets it. Free the handle with `close()`
or a `with` block; otherwise it is freed when the object is collected (weakref.finalize).
"""

from __future__ import annotations

from ctypes import byref, c_double, c_size_t
from typing import Any, Callable

import numpy as np
from numpy.typing import ArrayLike

from . import _capi, checkpoints, torch_state
from ._handle import OwnedHandle
from .errors import DimensionMismatchError, GradientDescentError, UnknownKeyError, error_for_status

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax",
           "NAdam", "RAdam", "Rprop", "ASGD", "LBFGS", "OPTIMIZERS"]

_float64 = np.dtype(np.float64)
_ndarray = np.ndarray
_check = _capi.check
_step = _capi.gd_optimizer_step


def _new_handle(name: bytes, n: int, hyperparameters: dict[str, float]) -> Any:
    """A new C optimizer with the hyper-parameters set, or the library's exception."""
    handle = _capi.gd_optimizer_p()
    _check(_capi.gd_optimizer_new(name, n, byref(handle)))
    try:
        for key, value in hyperparameters.items():
            _check(_capi.gd_optimizer_set(handle, key.encode(), value))
    except BaseException:
        _capi.gd_optimizer_free(handle)
        raise
    return handle


def _validate(name: bytes, hyperparameters: dict[str, float], constructor: str) -> None:
    """Let the library check values and combinations on a throwaway one-parameter optimizer
    (combinations such as nesterov without momentum are checked by a step). The message
    names the constructor (`SGD()`), not the C function that found the problem. lbfgs,
    which takes no step outside a run, checks its one combination here in the library's
    words."""
    try:
        handle = _new_handle(name, 1, hyperparameters)
        if name == b"lbfgs":
            _capi.gd_optimizer_free(handle)
            c1, c2 = hyperparameters.get("c1", 1e-4), hyperparameters.get("c2", 0.9)
            if not c1 < c2:
                raise error_for_status(
                    _capi.GD_E_INVALID_ARGUMENT,
                    f"lbfgs needs c1 < c2 (sufficient decrease below curvature), got c1 {c1} "
                    f"and c2 {c2}")
            return
        try:
            x = np.zeros(1)
            grad = np.zeros(1)
            _check(_step(handle, x.ctypes.data, grad.ctypes.data, 1))
        finally:
            _capi.gd_optimizer_free(handle)
    except GradientDescentError as error:
        message = error.message
        for prefix in ("gd_optimizer_step: ", "gd_optimizer_set: ", "gd_optimizer_new: "):
            message = message.removeprefix(prefix)
        raise type(error)(f"{constructor}: {message}") from None


def _real(key: str, value: object) -> float:
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{key} must be a real number, got {type(value).__name__}")
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise TypeError(f"{key} must be a real number, got {type(value).__name__}") from None


def _flag(value: object) -> float:
    return 1.0 if value else 0.0


def _betas(betas: object) -> tuple[float, float]:
    try:
        beta1, beta2 = betas  # type: ignore[misc]
        return float(beta1), float(beta2)  # type: ignore[has-type]
    except (TypeError, ValueError):
        raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}") from None


def _pair(argument: str, value: object, first: str, second: str) -> dict[str, float]:
    try:
        a, b = value  # type: ignore[misc]
        return {first: _real(first, a), second: _real(second, b)}  # type: ignore[has-type]
    except ValueError:
        raise ValueError(f"{argument} must be a pair ({first}, {second}), got {value!r}") from None
    except TypeError as error:
        if "must be a real number" in str(error):
            raise
        raise ValueError(f"{argument} must be a pair ({first}, {second}), got {value!r}") from None


def _library_keys(argument: str, value: object) -> dict[str, float]:
    """The library's keys for one of torch's arguments (pairs split, booleans as 0/1)."""
    if argument == "betas":
        return _pair(argument, value, "beta1", "beta2")
    if argument == "etas":
        return _pair(argument, value, "etaminus", "etaplus")
    if argument == "step_sizes":
        return _pair(argument, value, "step_size_min", "step_size_max")
    if isinstance(value, (bool, np.bool_)):
        return {argument: _flag(value)}
    return {argument: _real(argument, value)}


def _group_slice(group: object, index: int) -> slice:
    if not isinstance(group, dict):
        raise TypeError(f"param group {index} must be a dict, got {type(group).__name__}")
    if "params" not in group:
        raise ValueError(f"param group {index} has no 'params' (a slice of x)")
    chosen = group["params"]
    if not isinstance(chosen, slice):
        raise TypeError(f"param group {index}: 'params' must be a slice of x, "
                        f"got {type(chosen).__name__}")
    for part in (chosen.start, chosen.stop):
        if part is not None and (not isinstance(part, (int, np.integer)) or isinstance(part, bool)
                                 or part < 0):
            raise ValueError(f"param group {index}: slice bounds must be ints >= 0 or None, "
                             f"got {chosen}")
    if chosen.step not in (None, 1):
        raise ValueError(f"param group {index}: slice step must be 1, got {chosen.step}")
    return chosen


def _group_starts(slices: list[slice], n: int) -> list[int]:
    """The first elements of the groups, checking that the slices cover range(n) in order."""
    starts, expected = [], 0
    for index, chosen in enumerate(slices):
        start = 0 if chosen.start is None else int(chosen.start)
        stop = n if chosen.stop is None else min(int(chosen.stop), n)
        if start != expected:
            raise ValueError(f"param group {index} starts at {start}, expected {expected}: the "
                             f"slices must cover x = range({n}) in order, without gaps or overlap")
        if stop <= start:
            raise ValueError(f"param group {index} ({chosen}) is empty for n = {n}")
        starts.append(start)
        expected = stop
    if expected != n:
        raise ValueError(f"the param groups end at {expected}, x has {n} elements")
    return starts


class Optimizer(OwnedHandle):
    """An update rule of the library and its state. Use a subclass (Adam, SGD, ...)."""

    name: str = ""  # the library's name for the rule: "adam", "sgd", ...

    def __init__(self, hyperparameters: dict[str, float], arguments: dict[str, Any],
                 n: int | None, params: list[dict[str, Any]] | None = None,
                 line_search: bool = False) -> None:
        if line_search:
            # Armijo backtracking from the rule's step (the header's line-search section);
            # c1, shrink and max_line_search_evaluations are set with set(key, value).
            hyperparameters = {**hyperparameters, "line_search": 1.0}
            arguments = {**arguments, "line_search": True}
        self._name = self.name.encode()
        self._hyperparameters = {key: _real(key, value) for key, value in hyperparameters.items()}
        self._arguments = arguments  # the Python arguments, for repr
        _validate(self._name, self._hyperparameters, f"{type(self).__name__}()")
        # Parameter groups: their slices and their full sets of library values.
        self._group_slices: list[slice] | None = None
        self._group_values: list[dict[str, float]] = []
        if params is not None:
            self._parse_groups(params)
        self._n: int | None = None
        # step()'s cache: the last arrays and their addresses (held, so they stay put).
        self._last: tuple[Any, Any, int, int] = (None, None, 0, 0)
        if n is not None:
            self._bind(n)

    # ---- the handle ---------------------------------------------------------------------

    @property
    def n(self) -> int | None:
        """The number of parameters, or None before the first use."""
        return self._n

    def _bind(self, n: int) -> Any:
        """The C handle for n parameters, created on first use."""
        if self.closed:
            raise ValueError(f"{type(self).__name__} optimizer is closed")
        if self._handle is not None:
            if n != self._n:
                raise DimensionMismatchError(
                    f"{type(self).__name__} was created for n = {self._n} parameters, "
                    f"got an array of {n}")
            return self._handle
        n = int(n)
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n}")
        handle = _new_handle(self._name, n, self._hyperparameters)
        if self._group_slices is not None:
            try:
                self._apply_groups(handle, n)
            except BaseException:
                _capi.gd_optimizer_free(handle)
                raise
        self._own(handle, _capi.gd_optimizer_free)
        self._n = n
        return handle

    def _bound(self) -> Any:
        """The handle, None before the first use; ValueError once closed."""
        if self.closed:
            raise ValueError(f"{type(self).__name__} optimizer is closed")
        return self._handle

    def close(self) -> None:
        """Free the library's optimizer (after the runs using it return); later use raises
        ValueError. Idempotent."""
        self._last = (None, None, 0, 0)   # step() then goes through _bind, which refuses
        super().close()

    # ---- parameter groups ---------------------------------------------------------------

    def _parse_groups(self, params: object) -> None:
        if isinstance(params, dict) or not isinstance(params, (list, tuple)):
            raise TypeError("params must be None or a list of dicts "
                            "{'params': slice(start, stop), key: value, ...}")
        if not params:
            raise ValueError("params is an empty list")
        slices, values = [], []
        for index, group in enumerate(params):
            slices.append(_group_slice(group, index))
            group_values = dict(self._hyperparameters)
            for argument, value in group.items():
                if argument in ("params", "name"):
                    continue
                for key, number in _library_keys(argument, value).items():
                    if key not in group_values:
                        raise UnknownKeyError(
                            f"param group {index}: unknown key {argument!r} for optimizer "
                            f"{self.name!r}; valid keys: {', '.join(self._arguments)}")
                    group_values[key] = number
            _validate(self._name, group_values, f"{type(self).__name__}() param group {index}")
            values.append(group_values)
        self._group_slices = slices
        self._group_values = values

    def _apply_groups(self, handle: Any, n: int) -> None:
        assert self._group_slices is not None
        starts = _group_starts(self._group_slices, n)
        array = (c_size_t * len(starts))(*starts)
        _check(_capi.gd_optimizer_set_groups(handle, array, len(starts)))
        for group, group_values in enumerate(self._group_values):
            for key, value in group_values.items():
                _check(_capi.gd_optimizer_set_group(handle, group, key.encode(), value))

    def _read_groups(self) -> None:
        """The groups as the library has them (after loading a state)."""
        count = c_size_t()
        _check(_capi.gd_optimizer_get_groups(self._handle, None, 0, byref(count)))
        starts = (c_size_t * count.value)()
        _check(_capi.gd_optimizer_get_groups(self._handle, starts, count.value, byref(count)))
        if count.value == 1:
            self._group_slices, self._group_values = None, []
            return
        bounds = [int(start) for start in starts] + [int(self._n or 0)]
        self._group_slices = [slice(bounds[g], bounds[g + 1]) for g in range(count.value)]
        self._group_values = [{key: self.get_group(g, key) for key in self._hyperparameters}
                              for g in range(count.value)]

    @property
    def param_groups(self) -> list[dict[str, Any]]:
        """torch's param_groups: one dict per group, {"params": slice, key: value, ...} with
        the library's keys (a copy: change values with set_group or set)."""
        if self._group_slices is None:
            return [{"params": slice(0, self._n), **self.hyperparameters}]
        groups = []
        for group, chosen in enumerate(self._group_slices):
            if self._bound() is not None:
                values = {key: self.get_group(group, key) for key in self._hyperparameters}
            else:
                values = dict(self._group_values[group])
            groups.append({"params": chosen, **values})
        return groups

    def get_group(self, group: int, key: str) -> float:
        """A hyper-parameter of one group, by the library's key."""
        handle = self._bound()
        if handle is not None:
            value = c_double()
            _check(_capi.gd_optimizer_get_group(handle, group, key.encode(), byref(value)))
            return value.value
        if self._group_slices is None:
            if group != 0:
                raise IndexError(f"group {group} out of range (1 group)")
            return self.get(key)
        if not 0 <= group < len(self._group_values):
            raise IndexError(f"group {group} out of range ({len(self._group_values)} groups)")
        self.get(key)  # UnknownKeyError for an unknown key
        return self._group_values[group][key]

    def set_group(self, group: int, key: str, value: float) -> None:
        """Change a hyper-parameter of one group (torch: `opt.param_groups[g][key] = value`)."""
        value = _real(key, value)
        groups = 1 if self._group_slices is None else len(self._group_slices)
        if not 0 <= group < groups:
            raise IndexError(f"group {group} out of range ({groups} groups)")
        handle = self._bound()
        if handle is not None:
            _check(_capi.gd_optimizer_set_group(handle, group, key.encode(), value))
        elif self._group_slices is None:
            self.set(key, value)
            return
        else:
            self.get(key)
            _validate(self._name, {**self._group_values[group], key: value},
                      f"{type(self).__name__}.set_group")
        if self._group_slices is not None:
            self._group_values[group][key] = value

    # ---- hyper-parameters ---------------------------------------------------------------

    @property
    def hyperparameters(self) -> dict[str, float]:
        """The library's keys and values (booleans as 0.0/1.0, betas as beta1/beta2)."""
        return {key: self.get(key) for key in self._hyperparameters}

    def get(self, key: str) -> float:
        """A hyper-parameter by the library's key."""
        handle = self._bound()
        if handle is not None:
            value = c_double()
            _check(_capi.gd_optimizer_get(handle, key.encode(), byref(value)))
            return value.value
        if key in self._hyperparameters:
            return self._hyperparameters[key]
        # A key the constructor does not take (the line-search keys): the library's default,
        # or its UnknownKeyError listing every key.
        probe = _new_handle(self._name, 1, self._hyperparameters)
        try:
            value = c_double()
            _check(_capi.gd_optimizer_get(probe, key.encode(), byref(value)))
            return value.value
        finally:
            _capi.gd_optimizer_free(probe)

    def set(self, key: str, value: float) -> None:
        """Change a hyper-parameter by the library's key; the state is kept (this is how a
        hand-written schedule changes lr between steps)."""
        value = _real(key, value)
        handle = self._bound()
        if handle is not None:
            _check(_capi.gd_optimizer_set(handle, key.encode(), value))
        else:
            self.get(key)  # UnknownKeyError before anything else
            _validate(self._name, {**self._hyperparameters, key: value},
                      f"{type(self).__name__}.set")
        self._hyperparameters[key] = value
        for group_values in self._group_values:
            group_values[key] = value
        self._remember_argument(key, value)

    def _remember_argument(self, key: str, value: float) -> None:
        """Keep the Python arguments (for repr) in step with a library key's new value."""
        for argument, (first, second) in (("betas", ("beta1", "beta2")),
                                          ("etas", ("etaminus", "etaplus")),
                                          ("step_sizes", ("step_size_min", "step_size_max"))):
            if key in (first, second) and argument in self._arguments:
                pair: tuple[float, float] = self._arguments[argument]
                self._arguments[argument] = (value, pair[1]) if key == first else (pair[0], value)
                return
        if key in self._arguments:
            previous = self._arguments[key]
            self._arguments[key] = bool(value) if isinstance(previous, bool) else value

    @property
    def lr(self) -> float:
        """The learning rate."""
        return self.get("lr")

    @lr.setter
    def lr(self, value: float) -> None:
        self.set("lr", value)

    # ---- the update ---------------------------------------------------------------------

    def step(self, x: np.ndarray, grad: ArrayLike) -> None:
        """One update of x in place from grad (ask/tell, for callers that own the loop).

        x must be a writable, C-contiguous, 1-D float64 numpy array (it is updated in
        place, so it is never converted); grad anything convertible to float64 of the
        same shape.
        """
        last_x, last_grad, x_address, grad_address = self._last
        if x is not last_x or grad is not last_grad:
            x_address, grad_address, grad = self._addresses(x, grad)
        _check(_step(self._handle, x_address, grad_address, self._n))

    def _addresses(self, x: np.ndarray, grad: ArrayLike) -> tuple[int, int, np.ndarray]:
        """Check x and grad; their addresses and the float64 grad (kept alive by the caller)."""
        if not isinstance(x, _ndarray):
            raise TypeError(f"x must be a numpy float64 array (updated in place), "
                            f"got {type(x).__name__}")
        if x.dtype != _float64:
            raise TypeError(f"x must have dtype float64 (it is updated in place), got {x.dtype}")
        if x.ndim != 1:
            raise ValueError(f"x must be 1-D, got shape {x.shape}")
        if not x.flags.c_contiguous:
            raise ValueError("x must be C-contiguous (it is updated in place)")
        if not x.flags.writeable:
            raise ValueError("x is read-only")
        if x.size == 0:
            raise ValueError("x is empty")
        self._bind(x.size)
        g = grad
        if type(g) is not _ndarray or g.dtype != _float64 or not g.flags.c_contiguous:
            g = np.asarray(g)
            if g.dtype.kind not in "biuf":
                raise TypeError(f"grad must hold real numbers, got dtype {g.dtype}")
            g = np.ascontiguousarray(g, dtype=np.float64)
        if g.shape != x.shape:
            raise ValueError(f"grad has shape {g.shape}, x has shape {x.shape}")
        if np.may_share_memory(x, g):
            raise ValueError("x and grad must not overlap")
        x_address, grad_address = x.ctypes.data, g.ctypes.data
        # Cache only arrays used as they are (a converted grad is a new copy at every call);
        # holding them keeps their buffers in place (ndarray.resize refuses while referenced).
        self._last = (x, grad, x_address, grad_address) if g is grad else (None, None, 0, 0)
        return x_address, grad_address, g

    # ---- saved state (gradient_descent.checkpoints) ---------------------------------------

    def state_dict(self) -> bytes:
        """The rule name, n, step count, hyper-parameters and moments as the library's
        versioned blob (the optimizer must have been used, or created with n=)."""
        handle = self._bound()
        if handle is None:
            raise ValueError(f"{type(self).__name__} has no state before its first use "
                             f"(pass n= or step once)")
        return checkpoints.save_blob(_capi.gd_optimizer_save, handle)

    def load_state_dict(self, state: bytes) -> None:
        """Replace hyper-parameters and state with a blob of the same rule and n (an unused
        optimizer takes n from the blob). BadStateError otherwise; nothing changes then."""
        handle = self._bound()
        if handle is None:
            handle = self._bind(checkpoints.saved_dimension(state))
        checkpoints.load_blob(_capi.gd_optimizer_load, handle, state)
        for key in self._hyperparameters:
            self._hyperparameters[key] = self.get(key)
            self._remember_argument(key, self._hyperparameters[key])
        self._read_groups()

    # ---- torch's state_dict layout (gradient_descent.torch_state) ---------------------------

    def to_torch_state_dict(self) -> dict[str, Any]:
        """The state in torch.optim's `state_dict()` layout: one parameter tensor per group
        (one without groups), torch's state names and argument names; tensors when torch
        is importable, else numpy arrays (see gradient_descent.torch_state)."""
        return torch_state.to_torch(self.state_dict())

    def from_torch_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load moments, step count, scalars and hyper-parameters from torch's
        `optimizer.state_dict()` for the same rule, with one parameter tensor per group of
        this optimizer. An unused optimizer without groups takes n and the groups from the
        dict's tensors (one group per param group, in order); otherwise n and the groups
        must fit. ValueError when the dict does not fit; nothing changes then."""
        if self._bound() is None:
            lengths = torch_state.group_lengths(state_dict)
            if lengths is None:
                raise ValueError(f"{type(self).__name__} needs n before loading a torch state "
                                 f"without moments (pass n= or step once)")
            if self._group_slices is None and len(lengths) > 1:
                bounds = np.cumsum([0, *lengths]).tolist()
                self._group_slices = [slice(bounds[g], bounds[g + 1]) for g in range(len(lengths))]
                self._group_values = [dict(self._hyperparameters) for _ in lengths]
            try:
                self._bind(sum(lengths))
            except BaseException:
                if self._handle is None:
                    self._group_slices, self._group_values = None, []
                raise
        self.load_state_dict(torch_state.from_torch(self.state_dict(), state_dict))

    @classmethod
    def from_state(cls, state: bytes) -> Optimizer:
        """A new optimizer of the saved rule (a built-in's class) with the saved state."""
        rule = checkpoints.saved_rule(state)
        target: Callable[[], Optimizer] | None = (OPTIMIZERS.get(rule) if cls is Optimizer
                                                   else cls)
        if target is None:
            raise error_for_status(_capi.GD_E_UNKNOWN_NAME,
                                   f"the state was saved by rule {rule!r}, which has no class here")
        optimizer = target()
        optimizer.load_state_dict(state)
        return optimizer

    def reset(self) -> None:
        """Forget the state (moments, step count); hyper-parameters are kept."""
        handle = self._bound()
        if handle is not None:
            _check(_capi.gd_optimizer_reset(handle))

    def __repr__(self) -> str:
        arguments = ", ".join(f"{key}={value!r}" for key, value in self._arguments.items())
        state = ", closed" if self.closed else (f", n={self._n}" if self._n is not None else "")
        if self._group_slices is not None:
            state += f", {len(self._group_slices)} param groups"
        return f"{type(self).__name__}({arguments}{state})"


class SGD(Optimizer):
    """Stochastic gradient descent with momentum, dampening and Nesterov momentum."""

    name = "sgd"

    def __init__(self, params: list[dict[str, Any]] | None = None,
                 lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False, *, maximize: bool = False,
                 line_search: bool = False, n: int | None = None) -> None:
        super().__init__(
            {"lr": lr, "momentum": momentum, "dampening": dampening,
             "weight_decay": weight_decay, "nesterov": _flag(nesterov),
             "maximize": _flag(maximize)},
            dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                 nesterov=nesterov, maximize=maximize), n, params, line_search)


class Adam(Optimizer):
    """Adam (Kingma and Ba), with L2 weight decay and the AMSGrad variant."""

    name = "adam"
    _default_weight_decay = 0.0

    def __init__(self, params: list[dict[str, Any]] | None = None,
                 lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float | None = None, amsgrad: bool = False, *,
                 maximize: bool = False, decoupled_weight_decay: bool = False,
                 line_search: bool = False, n: int | None = None) -> None:
        if weight_decay is None:
            weight_decay = self._default_weight_decay
        beta1, beta2 = _betas(betas)
        hyperparameters = {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps,
                           "weight_decay": weight_decay, "amsgrad": _flag(amsgrad),
                           "maximize": _flag(maximize)}
        arguments: dict[str, Any] = dict(lr=lr, betas=(beta1, beta2), eps=eps,
                                         weight_decay=weight_decay, amsgrad=amsgrad,
                                         maximize=maximize)
        if self.name == "adam":  # AdamW's decay is always decoupled: it has no such key
            hyperparameters["decoupled_weight_decay"] = _flag(decoupled_weight_decay)
            arguments["decoupled_weight_decay"] = decoupled_weight_decay
        super().__init__(hyperparameters, arguments, n, params, line_search)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter); weight_decay=0.01."""

    name = "adamw"
    _default_weight_decay = 1e-2

    def __init__(self, params: list[dict[str, Any]] | None = None,
                 lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float | None = None, amsgrad: bool = False, *,
                 maximize: bool = False, line_search: bool = False,
                 n: int | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         line_search=line_search, n=n)


class RMSprop(Optimizer):
    """RMSprop, optionally centered and with momentum."""

    name = "rmsprop"

    def __init__(self, params: list[dict[str, Any]] | None = None,
                 lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False, *,
                 maximize: bool = False, line_search: bool = False,
                 n: int | None = None) -> None:
        super().__init__(
            {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weight_decay,
             "momentum": momentum, "centered": _flag(centered), "maximize": _flag(maximize)},
            dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                 centered=centered, maximize=maximize), n, params, line_search)


class Adagrad(Optimizer):
    """Adagrad, with learning-rate decay and an initial accumulator value."""

    name = "adagrad"

    def __init__(self, params: list[dict[str, Any]] | None = None,
                 lr: float = 1e-2, lr_decay: float = 0.0, weight_decay: float = 0.0,
                 initial_accumulator_value: float = 0.0, eps: float = 1e-10, *,
                 maximize: bool = False, line_search: bool = False,
                 n: int | None = None) -> None:
        super().__init__(
            {"lr": lr, "lr_decay": lr_decay, "weight_decay": weight_decay,
             "initial_accumulator_value": initial_accumulator_value, "eps": eps,
             "maximize": _flag(maximize)},
            dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                 initial_accumulator_value=initial_accumulator_value, eps=eps,
                 maximize=maximize), n, params, line_search)


class Adadelta(Optimizer):
    """Adadelta (Zeiler)."""

    name = "adadelta"

    def __init__(self, params: list[dict[str, Any]] | None = None,
                 lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0.0, *, maximize: bool = False,
                 line_search: bool = False, n: int | None = None) -> None:
        super().__init__(
            {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
             "maximize": _flag(maximize)},
            dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize), n, params,
            line_search)


class Adamax(Optimizer):
    """Adamax, Adam's infinity-norm variant."""

    name = "adamax"

    def __init__(self, params: list[dict[str, Any]] | None = None,
                 lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, *, maximize: bool = False,
                 line_search: bool = False, n: int | None = None) -> None:
        beta1, beta2 = _betas(betas)
        super().__init__(
            {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps,
             "weight_decay": weight_decay, "maximize": _flag(maximize)},
            dict(lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay,
                 maximize=maximize), n, params, line_search)


class NAdam(Optimizer):
    """Adam with Nesterov momentum (Dozat), with momentum_decay."""

    name = "nadam"

    def __init__(self, params: list[dict[str, Any]] | None = None,
                 lr: float = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, maximize: bool = False,
                 line_search: bool = False, n: int | None = None) -> None:
        beta1, beta2 = _betas(betas)
        super().__init__(
            {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps,
             "weight_decay": weight_decay, "momentum_decay": momentum_decay,
             "maximize": _flag(maximize),
             "decoupled_weight_decay": _flag(decoupled_weight_decay)},
            dict(lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay,
                 momentum_decay=momentum_decay, decoupled_weight_decay=decoupled_weight_decay,
                 maximize=maximize), n, params, line_search)


class RAdam(Optimizer):
    """Rectified Adam (Liu et al.)."""

    name = "radam"

    def __init__(self, params: list[dict[str, Any]] | None = None,
                 lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, decoupled_weight_decay: bool = False, *,
                 maximize: bool = False, line_search: bool = False,
                 n: int | None = None) -> None:
        beta1, beta2 = _betas(betas)
        super().__init__(
            {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps,
             "weight_decay": weight_decay, "maximize": _flag(maximize),
             "decoupled_weight_decay": _flag(decoupled_weight_decay)},
            dict(lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay,
                 decoupled_weight_decay=decoupled_weight_decay, maximize=maximize), n, params,
            line_search)


class Rprop(Optimizer):
    """Resilient backpropagation (Riedmiller and Braun): per-element step sizes grown by
    etaplus while the gradient keeps its sign and cut by etaminus when it flips; lr is the
    initial step size."""

    name = "rprop"

    def __init__(self, params: list[dict[str, Any]] | None = None,
                 lr: float = 1e-2,
                 etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, maximize: bool = False,
                 line_search: bool = False, n: int | None = None) -> None:
        eta_keys = _pair("etas", etas, "etaminus", "etaplus")
        sizes = _pair("step_sizes", step_sizes, "step_size_min", "step_size_max")
        super().__init__(
            {"lr": lr, **eta_keys, **sizes, "maximize": _flag(maximize)},
            dict(lr=lr, etas=(eta_keys["etaminus"], eta_keys["etaplus"]),
                 step_sizes=(sizes["step_size_min"], sizes["step_size_max"]),
                 maximize=maximize), n, params, line_search)


class ASGD(Optimizer):
    """Averaged stochastic gradient descent (Polyak and Juditsky); the average is the state
    buffer "ax"."""

    name = "asgd"

    def __init__(self, params: list[dict[str, Any]] | None = None,
                 lr: float = 1e-2,
                 lambd: float = 1e-4, alpha: float = 0.75, t0: float = 1e6,
                 weight_decay: float = 0.0, *, maximize: bool = False,
                 line_search: bool = False, n: int | None = None) -> None:
        super().__init__(
            {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
             "maximize": _flag(maximize)},
            dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                 maximize=maximize), n, params, line_search)


class LBFGS(Optimizer):
    """L-BFGS with a strong-Wolfe line search (Moré–Thuente), for full-batch objectives.

    Runs in minimize only (a step evaluates the objective several times; step() raises
    InvalidArgumentError). lr scales the first trial step of each search; history_size is
    the number of (s, y) pairs kept; c1 and c2 are the Wolfe constants (0 < c1 < c2 < 1);
    max_line_search_evaluations bounds each search. With minimize(bounds=...) it runs
    L-BFGS-B's method (Cauchy point and subspace minimization).
    """

    name = "lbfgs"

    def __init__(self, history_size: int = 10, lr: float = 1.0, c1: float = 1e-4,
                 c2: float = 0.9, max_line_search_evaluations: int = 20, *,
                 n: int | None = None) -> None:
        super().__init__(
            {"lr": lr, "history_size": history_size, "c1": c1, "c2": c2,
             "max_line_search_evaluations": max_line_search_evaluations},
            dict(history_size=history_size, lr=lr, c1=c1, c2=c2,
                 max_line_search_evaluations=max_line_search_evaluations), n)


# The library's names, for minimize(optimizer="adam").
OPTIMIZERS: dict[str, Callable[[], Optimizer]] = {
    cls.name: cls for cls in (SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam,
                              Rprop, ASGD, LBFGS)
}
