"""Loss plugins from Python: gd.load_plugin, use by name with keyword parameters, the
registry listing the plugin's path, and bad plugin files leaving the registry unchanged."""

from __future__ import annotations

import numpy as np
import pytest

import gradient_descent as gd
from gradient_descent.objectives import create, registry
from native_fixtures import REPO, compile_shared


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plugins")
    sources = [REPO / "examples" / "plugins" / "huber.c"]
    sources += sorted((REPO / "Tests" / "CTests" / "plugins").glob("*.c"))
    return {source.stem: compile_shared(source, folder / f"{source.stem}.so") for source in sources}


@pytest.fixture(scope="module")
def huber(built):
    """The Huber plugin, loaded once for the process (a plugin is never unloaded)."""
    if "huber" not in [entry.name for entry in registry()]:
        assert gd.load_plugin(built["huber"]) == ["huber"]
    return built["huber"]


def outlier_data():
    rng = np.random.default_rng(4)
    X = np.column_stack([np.ones(200), rng.uniform(-2, 2, (200, 2))])
    y = X @ np.array([1.0, 2.0, -1.0])
    y[::20] += 50.0                                       # 10 gross outliers
    return X, y


def test_bad_plugins_are_errors_and_change_nothing(built, tmp_path):
    before = registry()
    text = tmp_path / "text.so"
    text.write_text("not a shared object")
    cases = [
        (tmp_path / "missing.so", "no file"),
        (text, "not a loadable shared object"),
        (built["no_entry"], "gd_plugin_entry_v1"),
        (built["wrong_version"], "plugin ABI version 99"),
        (built["bad_descriptor"], "neither evaluate"),
        (built["duplicate"], "duplicate objective name 'least_squares'"),
    ]
    for path, message in cases:
        with pytest.raises(gd.PluginError, match=message):
            gd.load_plugin(path)
    assert registry() == before


def test_huber_plugin_is_used_like_a_built_in(huber):
    entry = next(e for e in registry() if e.name == "huber")
    assert entry.source == str(huber.resolve())
    assert entry.params == {"delta": 1.0} and entry.data == ("X", "y") and entry.sampled
    assert "Huber" in entry.description

    with pytest.raises(gd.PluginError, match="duplicate"):
        gd.load_plugin(huber)

    X, y = outlier_data()
    with pytest.raises(gd.PluginError, match="delta must be > 0"):
        create("huber", X=X, y=y, delta=0)
    with pytest.raises(gd.UnknownKeyError, match="'epsilon'"):
        create("huber", X=X, y=y, epsilon=1)

    obj = create("huber", X=X, y=y, delta=1.0)
    assert (obj.n, obj.sample_count) == (3, 200)
    r = -y
    expected = np.mean(np.where(np.abs(r) <= 1, 0.5 * r * r, np.abs(r) - 0.5))
    assert obj.loss(np.zeros(3)) == pytest.approx(expected, rel=1e-13)

    huber_fit = gd.minimize(obj, np.zeros(3), optimizer=gd.Adam(lr=0.05), batch_size=20,
                            max_epochs=300, max_iterations=0, seed=1)
    least_squares = np.linalg.lstsq(X, y, rcond=None)[0]
    truth = np.array([1.0, 2.0, -1.0])
    # The outliers move least squares' intercept by about 2.5; Huber's far less.
    assert np.abs(least_squares - truth).max() > 2
    assert np.abs(huber_fit.x - truth).max() < 0.4


def test_full_batch_plugin(built):
    if "shifted_sphere" not in [entry.name for entry in registry()]:
        assert gd.load_plugin(built["full_batch"]) == ["shifted_sphere"]
    obj = create("shifted_sphere", 4)
    assert obj.sample_count == 0
    res = gd.minimize(obj, np.zeros(4), optimizer=gd.SGD(lr=0.5), gradient_tolerance=1e-10)
    np.testing.assert_allclose(res.x, 3.0, atol=1e-9)
    with pytest.raises(gd.CallbackError, match="returned 7"):
        obj(np.array([2e6, 0, 0, 0]))
