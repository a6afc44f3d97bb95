"""minimize(..., progress=True): what shows a run's progress while the library runs it.

With tqdm installed (an optional dependency, never required): a tqdm bar (tqdm.auto, so a
widget in Jupyter) counting iterations toward max_iterations, or toward max_epochs times the
batches per epoch in mini-batch runs, with the loss (and the epoch) as its postfix.
Without tqdm: the library's own text printer (gd_progress_printer in the header) writes about
twenty lines to standard error's file descriptor, `gd: iteration 2000/10000 ( 20%) ...`,
then minimize adds one line saying why the run stopped. When standard error has no file
descriptor (some notebook front ends without tqdm), nothing is shown. Of tqdm's keywords
the printer honours disable: True shows nothing, None shows the lines only on a terminal.

Cost: the library calls a progress function after every iteration. The bar is drawn from
minimize's Python progress function, which counts iterations down and draws only every so
many, chosen so that draws come about every 0.1 s (a draw costs ~20 µs, tqdm's call);
between draws an iteration costs one short Python call (about 1 µs). The text printer is
a C function the library calls directly: no Python at all while the run goes, unless a
callback or history=True needs the Python progress function anyway (then it calls the
printer at the iterations the printer prints). progress=False adds nothing.
"""

from __future__ import annotations

import sys
from typing import Any
from ctypes import byref, c_void_p, cast
from time import monotonic

from . import _capi

_INTERVAL = 0.1          # seconds between draws of the bar, aimed at
_MAX_STRIDE = 1 << 24    # iterations between two draws, at most


def total_iterations(max_iterations: int, max_epochs: int, batch_size: int,
                     sample_count: int | None) -> int | None:
    """The iterations the run will make if no other criterion stops it, None when unbounded.
    Mini-batch epochs have ceil(m / k) batches (the short last batch counts)."""
    bounds = []
    if max_iterations:
        bounds.append(max_iterations)
    if max_epochs and batch_size and sample_count:
        bounds.append(max_epochs * -(-sample_count // batch_size))
    return min(bounds) if bounds else None


def check_option(progress: object) -> dict[str, Any] | None:
    """progress=False/None: None; True: {}; a dict: tqdm's keyword arguments (desc=, leave=,
    position=, disable=, ...), ignored by the text printer."""
    if progress is None or progress is False:
        return None
    if progress is True:
        return {}
    if isinstance(progress, dict):
        return dict(progress)
    raise TypeError(f"progress must be True, False or a dict of tqdm keyword arguments, "
                    f"got {type(progress).__name__}")


def _tqdm() -> Any:
    """tqdm.auto.tqdm, or None when tqdm is not installed (imported here, at the first run
    with progress=True, never when gradient_descent is imported)."""
    try:
        from tqdm.auto import tqdm  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        return None
    return tqdm


def open_display(options: dict[str, Any], total: int | None,
                 mini_batch: bool) -> Bar | Printer | None:
    """A Bar when tqdm is installed, else a Printer, else None (nothing to show, or
    nowhere to show it). disable=True (tqdm's keyword) shows nothing and costs nothing;
    disable=None shows the text lines only on a terminal, as tqdm does its bar."""
    disable = options.get("disable", False)
    if disable:
        return None
    tqdm = _tqdm()
    if tqdm is not None:
        return Bar(tqdm, total, mini_batch, options)
    return Printer.open(total, terminal_only=disable is None)


class Bar:
    """A tqdm bar. show(address) draws it from the gd_progress_info at address and returns
    the iterations until the next draw; finish(result) draws the end and closes it."""

    c_function = None  # drawn from Python: minimize installs its Python progress function

    def __init__(self, tqdm: Any, total: int | None, mini_batch: bool,
                 options: dict[str, Any]) -> None:
        keywords = {"total": total, "unit": "it", "dynamic_ncols": True}
        keywords.update(options)
        self.bar = tqdm(**keywords)
        self.mini_batch = mini_batch
        self.stride = 1
        self.last = monotonic()
        self._info_address = -1
        self._info: Any = None

    def _postfix(self, loss: float, epoch: int) -> str:
        if self.mini_batch:
            return f"epoch={epoch}, loss={loss:.4g}"
        return f"loss={loss:.4g}"

    def show(self, address: int) -> int:
        if address != self._info_address:
            self._info = _capi.gd_progress_info.from_address(address)
            self._info_address = address
        info = self._info
        bar = self.bar
        bar.set_postfix_str(self._postfix(info.loss, info.epoch), refresh=False)
        bar.update(info.iteration - bar.n)
        now = monotonic()
        elapsed, self.last = now - self.last, now
        if elapsed < _INTERVAL / 2:
            self.stride = min(2 * self.stride, _MAX_STRIDE)
        elif elapsed > 2 * _INTERVAL and self.stride > 1:
            self.stride //= 2
        return self.stride

    def finish(self, result: Any) -> None:
        bar = self.bar
        if result is not None:
            bar.set_postfix_str(self._postfix(result.fun, result.epochs), refresh=False)
            bar.update(result.nit - bar.n)
        bar.close()


class Printer:
    """The library's text printer on standard error's file descriptor. As gd_options'
    progress function (c_function, c_user) it runs without Python; show(address) calls it
    from minimize's Python progress function and returns the iterations until its next line."""

    c_function = _capi.gd_progress_print

    @classmethod
    def open(cls, total: int | None, terminal_only: bool = False) -> Printer | None:
        stream = sys.stderr
        try:
            stream.flush()           # what Python wrote so far comes before the library's lines
            fd = stream.fileno()
            if terminal_only and not stream.isatty():
                return None
        except (AttributeError, OSError, ValueError):
            return None              # no descriptor to give the library (a notebook, a capture)
        return cls(stream, fd, total)

    def __init__(self, stream: Any, fd: int, total: int | None) -> None:
        self.stream = stream
        self.total = total or 0
        # The printer's own default for every=0, spelled out: show() needs to know it.
        self.every = max(1, self.total // 20) if self.total else 1000
        self._handle = _capi.gd_progress_printer_p()
        _capi.check(_capi.gd_progress_printer_new(fd, self.every, self.total,
                                                  byref(self._handle)))
        self.c_user = cast(self._handle, c_void_p).value

    def show(self, address: int) -> int:
        _capi.gd_progress_print(self.c_user, address)
        iteration: int = _capi.gd_progress_info.from_address(address).iteration
        following = (iteration // self.every + 1) * self.every
        if iteration < self.total < following:
            following = self.total
        return following - iteration

    def finish(self, result: Any) -> None:
        if self._handle:
            _capi.gd_progress_printer_free(self._handle)
            self._handle = _capi.gd_progress_printer_p()
        if result is not None:
            total = f"/{self.total}" if self.total else ""
            epoch = f"  epoch {result.epochs}" if result.epochs else ""
            self.stream.write(f"gd: stopped at iteration {result.nit}{total}{epoch}  "
                              f"loss {result.fun:.6e}: {result.message}\n")
            self.stream.flush()
