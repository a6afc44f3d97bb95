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
from array import array
from ctypes import c_double

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


def loss_type_error(value) -> TypeError:
    """The error for a loss that is not a real number (numpy would store None as NaN)."""
    return TypeError(f"fun must return the loss as a real number, got {type(value).__name__}")


def _loss_out(address: int) -> c_double:
    """The loss slot at address: `out.value = v` converts v as float() does, but rejects
    strings and raises TypeError for anything that is not a real number."""
    return c_double.from_address(address)


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


class InPlace:
    """fun(x, grad) -> loss, the fast form: the state _trampolines.inplace_trampoline reads.

    state(x, grad, loss) is the tuple (fun, x, grad, loss, x view, grad view, loss slot,
    self) for those addresses; the trampoline keeps it until an address changes, so the
    views are made once per run (and again for the final evaluation's buffers)."""

    __slots__ = ("fun", "buffers")

    def __init__(self, fun, buffers: Buffers) -> None:
        self.fun = fun
        self.buffers = buffers

    def initial_state(self) -> tuple:
        return (self.fun, -1, -1, -1, None, None, None, self)

    def state(self, x, grad, loss) -> tuple:
        buffers = self.buffers
        return (self.fun, x, grad, loss, buffers.x_view(x), buffers.grad_view(grad),
                _loss_out(loss), self)


class InPlaceSampled:
    """fun(x, grad, idx) -> loss: the state _trampolines.inplace_sampled_trampoline reads,
    (fun, x, grad, samples, count, loss, x view, grad view, idx view, loss slot, self).
    The batch length changes at an epoch's short last batch and for the full evaluations,
    so idx views are kept per (address, length)."""

    __slots__ = ("fun", "buffers", "_indices")

    def __init__(self, fun, buffers: Buffers) -> None:
        self.fun = fun
        self.buffers = buffers
        self._indices = {}

    def initial_state(self) -> tuple:
        return (self.fun, -1, -1, -1, -1, -1, None, None, None, None, self)

    def state(self, x, grad, samples, count, loss) -> tuple:
        buffers = self.buffers
        indices = self._indices
        iv = indices.get((samples, count))
        if iv is None:
            if len(indices) >= 8:
                indices.clear()
            iv = indices[samples, count] = wrap(samples, count, np.intp, readonly=True)
        return (self.fun, x, grad, samples, count, loss, buffers.x_view(x),
                buffers.grad_view(grad), iv, _loss_out(loss), self)


def full_batch(fun, jac, buffers: Buffers):
    """The evaluator of a full-batch run, in one of the three forms:
    jac=None: fun(x, grad) -> loss (an InPlace); jac=True: fun(x) -> (loss, grad);
    jac=callable: fun(x) -> loss and jac(x) -> grad (evaluate(x, grad, loss) closures)."""
    if jac is None:
        return InPlace(fun, buffers)
    n = buffers.n
    shape = (n,)
    x_address = g_address = l_address = -1
    xv = gv = out = None

    def rewrap(x, grad, loss):
        nonlocal x_address, g_address, l_address, xv, gv, out
        xv = buffers.x_view(x)
        gv = buffers.grad_view(grad)
        out = _loss_out(loss)
        x_address, g_address, l_address = x, grad, loss

    if jac is True:
        def evaluate(x, grad, loss):
            if x != x_address or grad != g_address or loss != l_address:
                rewrap(x, grad, loss)
            pair = fun(xv)
            try:
                value, g = pair
            except (TypeError, ValueError):
                raise _not_a_pair(pair) from None
            if type(g) is not _ndarray or g.shape != shape:
                g = checked_gradient(g, n, "fun")
            gv[...] = g
            try:
                out.value = value
            except TypeError:
                raise loss_type_error(value) from None
    else:
        def evaluate(x, grad, loss):
            if x != x_address or grad != g_address or loss != l_address:
                rewrap(x, grad, loss)
            value = fun(xv)
            g = jac(xv)
            if type(g) is not _ndarray or g.shape != shape:
                g = checked_gradient(g, n, "jac")
            gv[...] = g
            try:
                out.value = value
            except TypeError:
                raise loss_type_error(value) from None
    return evaluate


def sampled(fun, jac, buffers: Buffers):
    """The evaluator of a sampled run; the forms of full_batch with the batch's indices as
    the last argument: fun(x, grad, idx) -> loss (an InPlaceSampled);
    fun(x, idx) -> (loss, grad); fun(x, idx) -> loss and jac(x, idx) -> grad."""
    if jac is None:
        return InPlaceSampled(fun, buffers)
    n = buffers.n
    shape = (n,)
    x_address = g_address = l_address = s_address = -1
    s_count = -1
    xv = gv = out = iv = None

    def rewrap(x, grad, samples, count, loss):
        nonlocal x_address, g_address, l_address, s_address, s_count, xv, gv, out, iv
        xv = buffers.x_view(x)
        gv = buffers.grad_view(grad)
        out = _loss_out(loss)
        iv = wrap(samples, count, np.intp, readonly=True)
        x_address, g_address, l_address, s_address, s_count = x, grad, loss, samples, count

    if jac is True:
        def evaluate(x, grad, samples, count, loss):
            if (x != x_address or grad != g_address or loss != l_address
                    or samples != s_address or count != s_count):
                rewrap(x, grad, samples, count, loss)
            pair = fun(xv, iv)
            try:
                value, g = pair
            except (TypeError, ValueError):
                raise _not_a_pair(pair) from None
            if type(g) is not _ndarray or g.shape != shape:
                g = checked_gradient(g, n, "fun")
            gv[...] = g
            try:
                out.value = value
            except TypeError:
                raise loss_type_error(value) from None
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


def progress(callback, history: History | None, display, buffers: Buffers, info_type):
    """progress(info_address) -> stop? for gd_progress_fn: records the loss in history, shows
    the progress display every so many iterations (display.show(address) returns how many
    until the next time) and calls callback(ProgressInfo), whose truthy return stops the run."""
    if callback is None and history is None:
        countdown = 1

        def step(address):
            nonlocal countdown
            countdown -= 1
            if countdown:
                return False
            countdown = display.show(address)
            return False
        return step

    append = history.values.append if history is not None else None
    i_address = x_address = -1
    info = xv = None
    countdown = 1

    if callback is None and display is None:
        def step(address):
            nonlocal i_address, info
            if address != i_address:
                info = gd_progress_info.from_address(address)
                i_address = address
            append(info.loss)
            return False
        return step

    def step(address):
        nonlocal i_address, x_address, info, xv, countdown
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
        x = info.x
        if x != x_address:
            xv = buffers.x_view(x)
            x_address = x
        return callback(info_type(info.iteration, info.epoch, loss, info.gradient_norm,
                                  info.lr, xv))

    return step
