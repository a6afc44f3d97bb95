"""Loss plugins: shared objects that add objectives to the library's registry.

    import gradient_descent as gd
    gd.load_plugin("build/plugins/huber.so")            # -> ["huber"]
    obj = gd.objectives.create("huber", X=X, y=y, delta=0.5)
    res = gd.minimize(obj, np.zeros(X.shape[1]), batch_size=32)

A plugin exports gd_plugin_entry_v1 (see include/gradient_descent.h and
examples/plugins/huber.c). Loading is all or nothing and a plugin stays loaded for the
life of the process.
"""

from __future__ import annotations

import os
from ctypes import byref, c_size_t

from . import _capi
from .objectives import registry

__all__ = ["load_plugin"]


def load_plugin(path: str | os.PathLike[str]) -> list[str]:
    """Load the plugin at path and return the names of the objectives it registered.

    Raises PluginError (missing file, not a shared object, no entry point, another
    plugin ABI version, a name already registered); the registry is then unchanged."""
    before = len(registry())
    added = c_size_t()
    _capi.check(_capi.gd_plugin_load(os.fsencode(path), byref(added)))
    return [entry.name for entry in registry()[before:before + added.value]]
