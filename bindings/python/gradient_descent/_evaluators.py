"""Per-run Python callables behind the trampolines, one per callback form.

The library promises that during one run x, grad and samples point to the same buffers
on every call. Each evaluator therefore caches numpy views keyed by the addresses it was
last called with and wraps again only when an address (or the batch length) changes: the
steady state of a call is a few integer comparisons, the user's function, and one store
of the loss. Views are:
  x        read-only (a view of minimize's own x array when C hands that buffer back, so it
           stays valid after the run; otherwise a read-only view of the C buffer);
  grad     writable, the library's buffer (valid during the call only);
  samples  read-only np.intp, the batch's indices (valid during the call only).
A NULL grad (C asks for the loss only) is served by a scratch array.
"""

from __future__ import annotations

import ctypes

import numpy as np

from ._capi import gd_progress_info

_ndarray = np.ndarray


def wrap(address: int, count: int, dtype, *, readonly: bool) -> np.ndarray:
    """A numpy view of count items at address (not owned: valid while C keeps the memory)."""
    dtype = np.dtype(dtype)
    buffer = (ctypes.c_char * (count * dtype.itemsize)).from_address(address)
    view = np.frombuffer(buffer, dtype=dtype, count=count)
    if readonly:
        view.flags.writeable = False
    return view


class Buffers:
    """Views of the buffers of one run, shared by its evaluator and progress callable."""

    def __init__(self, x: np.ndarray) -> None:
        self.n = x.size
        self.x_array = x
        self.x_address = x.ctypes.data
        self.x_readonly = x.view()
        self.x_readonly.flags.writeable = False
        self._scratch = None

    def x_view(self, address: int) -> np.ndarray:
        if address == self.x_address:
            return self.x_readonly
        return wrap(address, self.n, np.float64, readonly=True)

    def grad_view(self, address: int | None) -> np.ndarray:
        if address is None:
            if self._scratch is None:
                self._scratch = np.zeros(self.n)
            return self._scratch
        return wrap(address, self.n, np.float64, readonly=False)


# Loss types stored as they are; anything else goes through as_loss.
_REAL = frozenset((float, np.float64))


def as_loss(value) -> float:
    """A loss returned by fun as a float, or TypeError (numpy would store None as NaN)."""
    if value is not None and not isinstance(value, (str, bytes)):
        try:
            return float(value)
        except (TypeError, ValueError):
            pass
    raise TypeError(f"fun must return the loss as a real number, got {type(value).__name__}")


def checked_gradient(g, n: int, where: str) -> np.ndarray:
    """A gradient returned by the user, as a float64 array of shape (n,), or ValueError."""
    array = np.asarray(g)
    if array.shape != (n,):
        raise ValueError(f"{where} returned a gradient of shape {array.shape}, "
                         f"expected ({n},) like x")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{where} returned a gradient of dtype {array.dtype}, expected real numbers")
    return array


def _not_a_pair(value) -> TypeError:
    return TypeError(f"fun with jac=True must return (loss, grad), got {type(value).__name__}")


def full_batch(fun, jac, buffers: Buffers):
    """evaluate(x, grad, loss) for gd_objective_fn, in one of the three forms:
    jac=None: fun(x, grad) -> loss; jac=True: fun(x) -> (loss, grad);
    jac=callable: fun(x) -> loss and jac(x) -> grad."""
    n = buffers.n
    shape = (n,)
    x_address = g_address = l_address = -1
    xv = gv = lv = None

    def rewrap(x, grad, loss):
        nonlocal x_address, g_address, l_address, xv, gv, lv
        xv = buffers.x_view(x)
        gv = buffers.grad_view(grad)
        lv = wrap(loss, 1, np.float64, readonly=False)
        x_address, g_address, l_address = x, grad, loss

    if jac is None:
        def evaluate(x, grad, loss):
            if x != x_address or grad != g_address or loss != l_address:
                rewrap(x, grad, loss)
            value = fun(xv, gv)
            if type(value) not in _REAL:
                value = as_loss(value)
            lv[0] = value
    elif jac is True:
        def evaluate(x, grad, loss):
            if x != x_address or grad != g_address or loss != l_address:
                rewrap(x, grad, loss)
            out = fun(xv)
            try:
                value, g = out
            except (TypeError, ValueError):
                raise _not_a_pair(out) from None
            if type(g) is not _ndarray or g.shape != shape:
                g = checked_gradient(g, n, "fun")
            gv[...] = g
            if type(value) not in _REAL:
                value = as_loss(value)
            lv[0] = value
    else:
        def evaluate(x, grad, loss):
            if x != x_address or grad != g_address or loss != l_address:
                rewrap(x, grad, loss)
            value = fun(xv)
            g = jac(xv)
            if type(g) is not _ndarray or g.shape != shape:
                g = checked_gradient(g, n, "jac")
            gv[...] = g
            if type(value) not in _REAL:
                value = as_loss(value)
            lv[0] = value
    return evaluate


def sampled(fun, jac, buffers: Buffers):
    """evaluate(x, grad, samples, count, loss) for gd_sampled_fn; the forms of full_batch
    with the batch's indices as the last argument: fun(x, grad, idx) -> loss;
    fun(x, idx) -> (loss, grad); fun(x, idx) -> loss and jac(x, idx) -> grad."""
    n = buffers.n
    shape = (n,)
    x_address = g_address = l_address = s_address = -1
    s_count = -1
    xv = gv = lv = iv = None

    def rewrap(x, grad, samples, count, loss):
        nonlocal x_address, g_address, l_address, s_address, s_count, xv, gv, lv, iv
        xv = buffers.x_view(x)
        gv = buffers.grad_view(grad)
        lv = wrap(loss, 1, np.float64, readonly=False)
        iv = wrap(samples, count, np.intp, readonly=True)
        x_address, g_address, l_address, s_address, s_count = x, grad, loss, samples, count

    if jac is None:
        def evaluate(x, grad, samples, count, loss):
            if (x != x_address or grad != g_address or loss != l_address
                    or samples != s_address or count != s_count):
                rewrap(x, grad, samples, count, loss)
            value = fun(xv, gv, iv)
            if type(value) not in _REAL:
                value = as_loss(value)
            lv[0] = value
    elif jac is True:
        def evaluate(x, grad, samples, count, loss):
            if (x != x_address or grad != g_address or loss != l_address
                    or samples != s_address or count != s_count):
                rewrap(x, grad, samples, count, loss)
            out = fun(xv, iv)
            try:
                value, g = out
            except (TypeError, ValueError):
                raise _not_a_pair(out) from None
            if type(g) is not _ndarray or g.shape != shape:
                g = checked_gradient(g, n, "fun")
            gv[...] = g
            if type(value) not in _REAL:
                value = as_loss(value)
            lv[0] = value
    else:
        def evaluate(x, grad, samples, count, loss):
            if (x != x_address or grad != g_address or loss != l_address
                    or samples != s_address or count != s_count):
                rewrap(x, grad, samples, count, loss)
            value = fun(xv, iv)
            g = jac(xv, iv)
            if type(g) is not _ndarray or g.shape != shape:
                g = checked_gradient(g, n, "jac")
            gv[...] = g
            if type(value) not in _REAL:
                value = as_loss(value)
            lv[0] = value
    return evaluate


class History:
    """The loss of every iteration, in a preallocated array that doubles when full."""

    def __init__(self, capacity: int) -> None:
        self.values = np.empty(max(capacity, 16))
        self.count = 0

    def grow(self) -> None:
        larger = np.empty(2 * self.values.size)
        larger[:self.count] = self.values[:self.count]
        self.values = larger

    def result(self) -> np.ndarray:
        return self.values[:self.count].copy()


def progress(callback, history: History | None, buffers: Buffers, info_type):
    """progress(info_address) -> stop? for gd_progress_fn: records the loss in history and
    calls callback(ProgressInfo), whose truthy return stops the run."""
    i_address = -1
    x_address = -1
    info = xv = None
    values = history.values if history is not None else None
    capacity = values.size if values is not None else 0

    def record(loss) -> None:
        nonlocal values, capacity
        count = history.count
        if count == capacity:
            history.grow()
            values = history.values
            capacity = values.size
        values[count] = loss
        history.count = count + 1

    if callback is None:
        def step(address):
            nonlocal i_address, info, values, capacity
            if address != i_address:
                info = gd_progress_info.from_address(address)
                i_address = address
            count = history.count
            if count == capacity:
                history.grow()
                values = history.values
                capacity = values.size
            values[count] = info.loss
            history.count = count + 1
            return False
        return step

    def step(address):
        nonlocal i_address, x_address, info, xv
        if address != i_address:
            info = gd_progress_info.from_address(address)
            i_address = address
        loss = info.loss
        if history is not None:
            record(loss)
        x = info.x
        if x != x_address:
            xv = buffers.x_view(x)
            x_address = x
        return callback(info_type(info.iteration, info.epoch, loss, info.gradient_norm,
                                  info.lr, xv))

    return step
