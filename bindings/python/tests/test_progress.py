"""minimize(..., progress=True): a tqdm bar when tqdm is installed, the library's text lines
on standard error when it is not; drawn every so many iterations, never per iteration, and
nothing at all with progress=False.

tqdm is optional and not in the pinned test requirements: these tests put a recording stand-in
for tqdm into sys.modules, or hide tqdm, so they run the same with and without it installed;
one more test uses the real tqdm when it is there."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import types

import numpy as np
import pytest

import gradient_descent as gd
from gradient_descent import _capi, _trampolines
from problems import LeastSquares


@pytest.fixture(scope="module")
def problem():
    return LeastSquares(m=100, d=3, seed=5)


class FakeTqdm:
    """Records what minimize does with its bar."""

    instances: list = []

    def __init__(self, **keywords):
        self.keywords = keywords
        self.total = keywords.get("total")
        self.n = 0
        self.updates = 0
        self.postfix = None
        self.closed = False
        FakeTqdm.instances.append(self)

    def update(self, count):
        self.n += count
        self.updates += 1

    def set_postfix_str(self, text, refresh=True):
        self.postfix = text

    def close(self):
        self.closed = True


@pytest.fixture
def fake_tqdm(monkeypatch):
    """tqdm and tqdm.auto replaced by FakeTqdm, installed or not."""
    FakeTqdm.instances = []
    package = types.ModuleType("tqdm")
    auto = types.ModuleType("tqdm.auto")
    auto.tqdm = package.tqdm = FakeTqdm
    package.auto = auto
    monkeypatch.setitem(sys.modules, "tqdm", package)
    monkeypatch.setitem(sys.modules, "tqdm.auto", auto)
    return FakeTqdm


@pytest.fixture
def no_tqdm(monkeypatch):
    """`import tqdm` fails, as when it is not installed (None in sys.modules: ImportError)."""
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)


def _progress_function_of_the_run(monkeypatch):
    """Runs of minimize record here the progress function gd_options held."""
    seen = []
    for name in ("gd_minimize", "gd_minimize_holding_gil"):
        original = getattr(_capi, name)

        def spy(objective, optimizer, x, n, options, report, _original=original):
            seen.append(_capi.cast(options._obj.progress, _capi.c_void_p).value)
            return _original(objective, optimizer, x, n, options, report)
        monkeypatch.setattr(_capi, name, spy)
    return seen


_INTERRUPT_POLL = _capi.cast(_capi.gd_interrupt_progress, _capi.c_void_p).value


def test_progress_false_gives_the_library_only_its_own_interrupt_poll(problem, monkeypatch):
    """The run's progress function is the library's C poll of the Ctrl-C interrupt, with
    nothing to forward to: no Python runs per iteration for progress."""
    seen = _progress_function_of_the_run(monkeypatch)
    gd.minimize(problem.inplace, np.zeros(problem.d), max_iterations=50)
    gd.minimize(problem.inplace, np.zeros(problem.d), max_iterations=50, progress=False)
    assert seen == [_INTERRUPT_POLL, _INTERRUPT_POLL]


def test_the_bar_counts_iterations_to_max_iterations_with_the_loss(problem, fake_tqdm):
    result = gd.minimize(problem.inplace, np.zeros(problem.d), optimizer=gd.SGD(lr=0.1),
                         max_iterations=3000, progress=True)
    [bar] = fake_tqdm.instances
    assert bar.total == 3000 and bar.keywords["unit"] == "it"
    assert bar.n == result.nit == 3000
    assert bar.postfix == f"loss={result.fun:.4g}"
    assert bar.closed


def test_the_bar_is_drawn_every_so_many_iterations_not_every_iteration(problem, fake_tqdm):
    def fun(x, grad):
        grad[:] = 0.0
        return 1.0

    result = gd.minimize(fun, np.zeros(3), optimizer=gd.SGD(), max_iterations=100_000,
                         progress=True)
    [bar] = fake_tqdm.instances
    assert bar.n == result.nit == 100_000
    # the stride doubles while draws come faster than every 0.05 s: from 1 to ~2^15 here
    assert 2 <= bar.updates <= 1000


def test_the_bar_stops_where_the_run_stops(problem, fake_tqdm):
    result = gd.minimize(problem.inplace, np.zeros(problem.d), optimizer=gd.SGD(lr=0.1),
                         max_iterations=100_000, gradient_tolerance=1e-6, progress=True)
    [bar] = fake_tqdm.instances
    assert result.nit < 100_000 and bar.n == result.nit and bar.closed


def test_a_mini_batch_bar_counts_max_epochs_worth_of_batches_and_shows_the_epoch(problem,
                                                                                 fake_tqdm):
    result = gd.minimize(problem.inplace_sampled, np.zeros(problem.d), samples=problem.m,
                         batch_size=30, max_epochs=5, max_iterations=None, progress=True)
    [bar] = fake_tqdm.instances
    assert bar.total == 5 * 4  # 100 samples in batches of 30: 4 batches per epoch
    assert bar.n == result.nit == 20
    assert bar.postfix == f"epoch=5, loss={result.fun:.4g}"


def test_a_dict_is_passed_to_tqdm_and_overrides_the_defaults(problem, fake_tqdm):
    gd.minimize(problem.inplace, np.zeros(problem.d), max_iterations=10,
                progress={"desc": "fit", "leave": False, "unit": "step"})
    [bar] = fake_tqdm.instances
    assert bar.keywords["desc"] == "fit" and bar.keywords["leave"] is False
    assert bar.keywords["unit"] == "step" and bar.keywords["total"] == 10


def test_the_bar_composes_with_callback_and_history(problem, fake_tqdm):
    iterations = []
    result = gd.minimize(problem.inplace, np.zeros(problem.d), max_iterations=500,
                         callback=lambda info: iterations.append(info.iteration),
                         history=True, progress=True)
    [bar] = fake_tqdm.instances
    assert iterations == list(range(1, 501))
    assert result.history.shape == (500,)
    assert bar.n == 500 and bar.closed


def test_the_bar_is_closed_when_fun_raises(problem, fake_tqdm):
    calls = 0

    def fun(x, grad):
        nonlocal calls
        calls += 1
        if calls == 100:
            raise ZeroDivisionError("boom")
        return problem.inplace(x, grad)

    with pytest.raises(ZeroDivisionError) as caught:
        gd.minimize(fun, np.zeros(problem.d), progress=True)
    [bar] = fake_tqdm.instances
    assert bar.closed and bar.n == caught.value.result.nit == 99
    assert not _trampolines.registered()


def test_progress_that_is_not_a_bool_or_dict_is_a_type_error(problem):
    with pytest.raises(TypeError, match="progress must be True, False or a dict"):
        gd.minimize(problem.inplace, np.zeros(problem.d), progress="yes")


def _printed_iterations(text):
    return [int(i) for i in re.findall(r"^gd: iteration (\d+)/", text, flags=re.MULTILINE)]


def test_without_tqdm_the_library_prints_lines_on_stderr(problem, no_tqdm, capfd):
    result = gd.minimize(problem.inplace, np.zeros(problem.d), optimizer=gd.SGD(lr=0.1),
                         max_iterations=200, progress=True)
    err = capfd.readouterr().err
    assert _printed_iterations(err) == [1] + list(range(10, 201, 10))  # every 200 / 20
    assert re.search(r"iteration 200/200 \(100%\)\s+loss \d\.\d+e[-+]\d+", err)
    last = err.splitlines()[-1]
    assert last == (f"gd: stopped at iteration 200/200  loss {result.fun:.6e}: "
                    f"reached max_iterations")


def test_without_tqdm_the_lines_are_the_same_with_a_callback_and_history(problem, no_tqdm,
                                                                        capfd):
    calls = []
    result = gd.minimize(problem.inplace, np.zeros(problem.d), max_iterations=200,
                         callback=calls.append, history=True, progress=True)
    err = capfd.readouterr().err
    assert _printed_iterations(err) == [1] + list(range(10, 201, 10))
    assert len(calls) == 200 and result.history.shape == (200,)


def test_without_tqdm_and_without_a_total_the_library_prints_every_1000(problem, no_tqdm,
                                                                        capfd):
    gd.minimize(problem.inplace, np.zeros(problem.d), max_iterations=None,
                callback=lambda info: info.iteration == 2500, progress=True)
    err = capfd.readouterr().err
    assert re.findall(r"^gd: iteration (\d+)  loss", err, flags=re.MULTILINE) == ["1", "1000",
                                                                                "2000"]
    assert err.splitlines()[-1].startswith("gd: stopped at iteration 2500  loss ")


def test_without_tqdm_and_without_a_file_descriptor_nothing_is_shown(problem, no_tqdm,
                                                                    monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    result = gd.minimize(problem.inplace, np.zeros(problem.d), max_iterations=20, progress=True)
    assert result.nit == 20 and sys.stderr.getvalue() == ""


def test_the_real_tqdm_draws_a_bar(problem):
    pytest.importorskip("tqdm")
    out = io.StringIO()
    result = gd.minimize(problem.inplace, np.zeros(problem.d), max_iterations=300,
                         progress={"file": out, "desc": "fit"})
    text = out.getvalue()
    assert "fit" in text and "300/300" in text
    assert f"loss={result.fun:.4g}" in text


def test_importing_the_package_does_not_import_tqdm():
    code = "import sys, gradient_descent; print('tqdm' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    assert output.strip() == "False"


def test_disable_true_shows_nothing_and_installs_no_progress_function(problem, fake_tqdm,
                                                                      monkeypatch):
    seen = _progress_function_of_the_run(monkeypatch)
    gd.minimize(problem.inplace, np.zeros(problem.d), max_iterations=20,
                progress={"disable": True})
    assert seen == [_INTERRUPT_POLL] and fake_tqdm.instances == []


def test_without_tqdm_disable_none_prints_only_on_a_terminal(problem, no_tqdm, capfd):
    gd.minimize(problem.inplace, np.zeros(problem.d), max_iterations=20,
                progress={"disable": None})
    assert capfd.readouterr().err == ""      # pytest's capture is not a terminal
