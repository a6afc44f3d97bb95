"""Per-run Python callables behind the trampolines, one per callback form.

Your function only ever sees arrays whose memory Python owns, so an array kept after the
call (or after minimize returns) is harmless: it holds the values of its last use.
  x        read-only; minimize's own x when the library evaluates there (the usual case),
           else a copy made for the call (gradient checks evaluate at shifted points);
  grad     writable, a float64 array of the run, copied into the library's buffer after the
           call (the form fun(x, grad) -> loss);
  idx      read-only np.intp, the batch's indices copied for the call.
The library's own buffers (wrapped once per run: during a run x, grad and samples point to
the same buffers on every call, the ABI promises it) are used only inside the binding.

Each evaluator keeps what it made for the addresses it was last called with and makes them
again only when an address (or the batch length) changes, so the steady state of a call is a
few integer comparisons, the user's function, one copy of the gradient, and one store of the
loss.
"""

from __future__ import annotations

import ctypes
from array import array
from ctypes import c_double
from typing import Any, Callable

import numpy as np

from ._capi import gd_progress_info

_ndarray = np.ndarray


def wrap(address: int, count: int, dtype: Any, *, readonly: bool) -> np.ndarray:
    """A numpy view of count items at address. Not owned: valid while C keeps the memory,
    so it never reaches the user."""
    dtype = np.dtype(dtype)
    buffer = (ctypes.c_char * (count * dtype.itemsize)).from_address(address)
    view = np.frombuffer(buffer, dtype=dtype, count=count)
    if readonly:
        view.flags.writeable = False
    return view


def _readonly(array_: np.ndarray) -> np.ndarray:
    view = array_.view()
    view.flags.writeable = False
    return view


class Buffers:
    """The Python-owned arrays of one run, shared by its evaluator and progress callable."""

    def __init__(self, x: np.ndarray, sample_count: int | None = None) -> None:
        self.n = x.size
        self.x_array = x
        self.x_address = x.ctypes.data
        self.x_readonly = _readonly(x)
        self.grad = np.zeros(self.n)
        self._x_copy: np.ndarray | None = None
        self._x_copy_readonly: np.ndarray | None = None
        self._indices = np.zeros(sample_count or 0, dtype=np.intp)

    def x_views(self, address: int) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """(the x the user sees, the owned array to copy into, the C view to copy from);
        the last two are None when address is minimize's own x."""
        if address == self.x_address:
            return self.x_readonly, None, None
        if self._x_copy is None:
            self._x_copy = np.empty(self.n)
            self._x_copy_readonly = _readonly(self._x_copy)
        assert self._x_copy_readonly is not None
        return (self._x_copy_readonly, self._x_copy,
                wrap(address, self.n, np.float64, readonly=True))

    def x_view(self, address: int) -> np.ndarray:
        """x at address as the user sees it, copied now when it is not minimize's own x."""
        seen, owned, source = self.x_views(address)
        if owned is not None:
            owned[...] = source
        return seen

    def grad_target(self, address: int | None) -> np.ndarray | None:
        """The library's gradient buffer at address, None for NULL (a loss-only call)."""
        if address is None:
            return None
        return wrap(address, self.n, np.float64, readonly=False)

    def index_views(self, address: int,
                    count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(the read-only idx the user sees, the owned array behind it to copy into, the C
        view of the library's count indices to copy from)."""
        if count > self._indices.size:
            self._indices = np.zeros(count, dtype=np.intp)
        owned = self._indices[:count]
        return _readonly(owned), owned, wrap(address, count, np.intp, readonly=True)


def loss_type_error(value: object) -> TypeError:
    """The error for a loss that is not a real number (numpy would store None as NaN)."""
    return TypeError(f"fun must return the loss as a real number, got {type(value).__name__}")


def _loss_out(address: int) -> c_double:
    """The loss slot at address: `out.value = v` converts v as float() does, but rejects
    strings and raises TypeError for anything that is not a real number."""
    return c_double.from_address(address)


def checked_gradient(g: object, n: int, where: str) -> np.ndarray:
    """A gradient returned by the user, as a real array of shape (n,), or TypeError /
    ValueError (complex and object arrays are refused, not converted)."""
    try:
        array_ = np.asarray(g)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{where} returned a gradient that is not an array of real numbers: "
                        f"{error}") from None
    if array_.dtype.kind not in "biuf":
        raise TypeError(f"{where} returned a gradient of dtype {array_.dtype}, expected real "
                        f"numbers")
    if array_.shape != (n,):
        raise ValueError(f"{where} returned a gradient of shape {array_.shape}, "
                         f"expected ({n},) like x")
    return array_


def _not_a_pair(value: object) -> TypeError:
    return TypeError(f"fun with jac=True must return (loss, grad), got {type(value).__name__}")


def _refuse(*_args: object) -> None:
    raise Refused


class Refused(Exception):
    """Raised into C by the objective of a run that already failed."""


class InPlace:
    """fun(x, grad) -> loss, the fast form: the state _trampolines.inplace_trampoline reads.

    state(x, grad, loss) is the tuple (fun, x, grad, loss, x seen, x owned, x source,
    grad seen, grad target, loss slot, self) for those addresses; the trampoline keeps it
    until an address changes."""

    __slots__ = ("fun", "buffers")

    def __init__(self, fun: Callable[..., Any], buffers: Buffers) -> None:
        self.fun = fun
        self.buffers = buffers

    def initial_state(self) -> tuple[Any, ...]:
        return (self.fun, -1, -1, -1, None, None, None, None, None, None, self)

    def refusing(self) -> tuple[Any, ...]:
        """The state that refuses every call (after the run's first error)."""
        return InPlace(_refuse, self.buffers).initial_state()

    def state(self, x: int, grad: int | None, loss: int) -> tuple[Any, ...]:
        buffers = self.buffers
        xv, xw, xc = buffers.x_views(x)
        return (self.fun, x, grad, loss, xv, xw, xc, buffers.grad, buffers.grad_target(grad),
                _loss_out(loss), self)


class InPlaceSampled:
    """fun(x, grad, idx) -> loss: the state _trampolines.inplace_sampled_trampoline reads,
    (fun, x, grad, samples, count, loss, x seen, x owned, x source, grad seen, grad target,
    idx seen, idx owned, idx source, loss slot, self)."""

    __slots__ = ("fun", "buffers")

    def __init__(self, fun: Callable[..., Any], buffers: Buffers) -> None:
        self.fun = fun
        self.buffers = buffers

    def initial_state(self) -> tuple[Any, ...]:
        return (self.fun, -1, -1, -1, -1, -1, None, None, None, None, None, None, None, None,
                None, self)

    def refusing(self) -> tuple[Any, ...]:
        return InPlaceSampled(_refuse, self.buffers).initial_state()

    def state(self, x: int, grad: int | None, samples: int, count: int,
              loss: int) -> tuple[Any, ...]:
        buffers = self.buffers
        xv, xw, xc = buffers.x_views(x)
        iv, iw, ic = buffers.index_views(samples, count)
        return (self.fun, x, grad, samples, count, loss, xv, xw, xc, buffers.grad,
                buffers.grad_target(grad), iv, iw, ic, _loss_out(loss), self)


def _store_gradient(g: object, target: np.ndarray | None, shape: tuple[int], n: int,
                    where: str) -> None:
    if type(g) is not _ndarray or g.shape != shape or g.dtype.kind not in "biuf":
        g = checked_gradient(g, n, where)
    if target is not None:
        target[...] = g


def full_batch(fun: Callable[..., Any], jac: Any, buffers: Buffers) -> Any:
    """The evaluator of a full-batch run, in one of the three forms:
    jac=None: fun(x, grad) -> loss (an InPlace); jac=True: fun(x) -> (loss, grad);
    jac=callable: fun(x) -> loss and jac(x) -> grad (evaluate(x, grad, loss) closures)."""
    if jac is None:
        return InPlace(fun, buffers)
    n = buffers.n
    shape = (n,)
    x_address: int | None = -1
    g_address: int | None = -1
    l_address = -1
    xv: Any = None
    xw: Any = None
    xc: Any = None
    target: Any = None
    out: Any = None

    def rewrap(x: int, grad: int | None, loss: int) -> None:
        nonlocal x_address, g_address, l_address, xv, xw, xc, target, out
        xv, xw, xc = buffers.x_views(x)
        target = buffers.grad_target(grad)
        out = _loss_out(loss)
        x_address, g_address, l_address = x, grad, loss

    if jac is True:
        def evaluate(x: int, grad: int | None, loss: int) -> None:
            if x != x_address or grad != g_address or loss != l_address:
                rewrap(x, grad, loss)
            if xc is not None:
                xw[...] = xc
            pair = fun(xv)
            try:
                value, g = pair
            except (TypeError, ValueError):
                raise _not_a_pair(pair) from None
            _store_gradient(g, target, shape, n, "fun")
            try:
                out.value = value
            except TypeError:
                raise loss_type_error(value) from None
    else:
        def evaluate(x: int, grad: int | None, loss: int) -> None:
            if x != x_address or grad != g_address or loss != l_address:
                rewrap(x, grad, loss)
            if xc is not None:
                xw[...] = xc
            value = fun(xv)
            _store_gradient(jac(xv), target, shape, n, "jac")
            try:
                out.value = value
            except TypeError:
                raise loss_type_error(value) from None
    return evaluate


def loss_only(fun: Callable[..., Any], buffers: Buffers) -> Any:
    """The evaluator of fun(x) -> loss for the library's finite differences (jac="2-point"
    or "3-point"): evaluate(x, loss). The library shifts x in a buffer of its own, so x is
    copied into a Python-owned array at every call."""
    x_address = l_address = -1
    xv: Any = None
    xw: Any = None
    xc: Any = None
    out: Any = None

    def evaluate(x: int, loss: int) -> None:
        nonlocal x_address, l_address, xv, xw, xc, out
        if x != x_address or loss != l_address:
            xv, xw, xc = buffers.x_views(x)
            out = _loss_out(loss)
            x_address, l_address = x, loss
        if xc is not None:
            xw[...] = xc
        value = fun(xv)
        try:
            out.value = value
        except TypeError:
            raise loss_type_error(value) from None
    return evaluate


def sampled(fun: Callable[..., Any], jac: Any, buffers: Buffers) -> Any:
    """The evaluator of a sampled run; the forms of full_batch with the batch's indices as
    the last argument: fun(x, grad, idx) -> loss (an InPlaceSampled);
    fun(x, idx) -> (loss, grad); fun(x, idx) -> loss and jac(x, idx) -> grad."""
    if jac is None:
        return InPlaceSampled(fun, buffers)
    n = buffers.n
    shape = (n,)
    x_address: int | None = -1
    g_address: int | None = -1
    l_address = s_address = s_count = -1
    xv: Any = None
    xw: Any = None
    xc: Any = None
    target: Any = None
    out: Any = None
    iv: Any = None
    iw: Any = None
    ic: Any = None

    def rewrap(x: int, grad: int | None, samples: int, count: int, loss: int) -> None:
        nonlocal x_address, g_address, l_address, s_address, s_count, xv, xw, xc, target
        nonlocal out, iv, iw, ic
        xv, xw, xc = buffers.x_views(x)
        target = buffers.grad_target(grad)
        out = _loss_out(loss)
        iv, iw, ic = buffers.index_views(samples, count)
        x_address, g_address, l_address, s_address, s_count = x, grad, loss, samples, count

    if jac is True:
        def evaluate(x: int, grad: int | None, samples: int, count: int, loss: int) -> None:
            if (x != x_address or grad != g_address or loss != l_address
                    or samples != s_address or count != s_count):
                rewrap(x, grad, samples, count, loss)
            if xc is not None:
                xw[...] = xc
            iw[...] = ic
            pair = fun(xv, iv)
            try:
                value, g = pair
            except (TypeError, ValueError):
                raise _not_a_pair(pair) from None
            _store_gradient(g, target, shape, n, "fun")
            try:
                out.value = value
            except TypeError:
                raise loss_type_error(value) from None
    else:
        def evaluate(x: int, grad: int | None, samples: int, count: int, loss: int) -> None:
            if (x != x_address or grad != g_address or loss != l_address
                    or samples != s_address or count != s_count):
                rewrap(x, grad, samples, count, loss)
            if xc is not None:
                xw[...] = xc
            iw[...] = ic
            value = fun(xv, iv)
            _store_gradient(jac(xv, iv), target, shape, n, "jac")
            try:
                out.value = value
            except TypeError:
                raise loss_type_error(value) from None
    return evaluate


class History:
    """The loss of every iteration, appended to an array.array of doubles (8 bytes each)."""

    def __init__(self) -> None:
        self.values = array("d")

    def result(self) -> np.ndarray:
        return np.array(self.values, dtype=np.float64)


def progress(callback: Any, history: History | None, display: Any, buffers: Buffers,
             info_type: Any) -> Callable[[int], Any]:
    """progress(info_address) -> stop? for gd_progress_fn: records the loss in history, shows
    the progress display every so many iterations (display.show(address) returns how many
    until the next time) and calls callback(ProgressInfo), whose truthy return stops the run."""
    if callback is None and history is None:
        countdown = 1

        def show(address: int) -> bool:
            nonlocal countdown
            countdown -= 1
            if countdown:
                return False
            countdown = display.show(address)
            return False
        return show

    append = history.values.append if history is not None else None
    i_address = -1
    info: Any = None
    countdown = 1

    if callback is None and display is None:
        assert append is not None

        def record(address: int) -> bool:
            nonlocal i_address, info
            if address != i_address:
                info = gd_progress_info.from_address(address)
                i_address = address
            append(info.loss)
            return False
        return record

    def step(address: int) -> Any:
        nonlocal i_address, info, countdown
        if address != i_address:
            info = gd_progress_info.from_address(address)
            i_address = address
        loss = info.loss
        if append is not None:
            append(loss)
        if display is not None:
            countdown -= 1
            if not countdown:
                countdown = display.show(address)
        if callback is None:
            return False
        return callback(info_type(info.iteration, info.epoch, loss, info.gradient_norm,
                                  info.lr, buffers.x_view(info.x)))

    return step
