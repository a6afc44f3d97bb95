"""Finding and loading libgradient_descent, and checking its ABI major version.

Places, in order (the first that exists is loaded; nothing else is tried after it):
  1. the file named by the GRADIENT_DESCENT_LIBRARY environment variable, when it is set;
  2. the copy inside the package, gradient_descent/_lib/ (`make lib` puts it there);
  3. the repository's build folder, .build/release/, when the package is the one inside a
     checkout (an installed package has no repository around it: not looked for there).
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

from ._version import ABI_MAJOR

ENVIRONMENT_VARIABLE = "GRADIENT_DESCENT_LIBRARY"

if sys.platform == "darwin":
    FILE_NAME = "libgradient_descent.dylib"
elif sys.platform == "win32":
    FILE_NAME = "gradient_descent.dll"
else:
    FILE_NAME = "libgradient_descent.so"

_PACKAGE_DIR = Path(__file__).resolve().parent
# bindings/python/gradient_descent -> the repository root, three levels up.
_REPO_ROOT = _PACKAGE_DIR.parents[2]


class LibraryNotFoundError(ImportError):
    """The shared library could not be found, loaded, or has an incompatible version."""


def candidate_paths() -> list[tuple[str, Path]]:
    """The places searched, in order, each with a short description of where it comes from."""
    configured = os.environ.get(ENVIRONMENT_VARIABLE)
    if configured:
        # An explicit choice is never silently replaced by another library.
        return [(f"${ENVIRONMENT_VARIABLE}", Path(configured))]
    places = [("bundled in the package", _PACKAGE_DIR / "_lib" / FILE_NAME)]
    if (_REPO_ROOT / "Package.swift").is_file():
        places.append(("repository build folder", _REPO_ROOT / ".build" / "release" / FILE_NAME))
    return places


def load() -> tuple[ctypes.CDLL, Path]:
    """Load the first library found and check its major version against ABI_MAJOR."""
    looked = []
    for origin, path in candidate_paths():
        if not path.is_file():
            looked.append(f"  {path} ({origin}): not found")
            continue
        try:
            library = ctypes.CDLL(str(path))
        except OSError as error:
            raise LibraryNotFoundError(f"cannot load {path} ({origin}): {error}") from error
        _check_version(library, path)
        return library, path
    if (_REPO_ROOT / "Package.swift").is_file():
        hint = (f"Build it with `make lib` in the repository, or set {ENVIRONMENT_VARIABLE} "
                f"to the path of {FILE_NAME}.")
    else:
        hint = (f"This installed package lacks its library: reinstall it from a wheel "
                f"(`make wheel` in a clone with Swift 6.3), or set {ENVIRONMENT_VARIABLE} to "
                f"the path of {FILE_NAME}.")
    if not os.environ.get(ENVIRONMENT_VARIABLE):
        looked.append(f"  ${ENVIRONMENT_VARIABLE}: not set")
    raise LibraryNotFoundError(
        f"gradient_descent could not find {FILE_NAME}. Looked in:\n"
        + "\n".join(looked) + "\n" + hint)


def _check_version(library: ctypes.CDLL, path: Path) -> None:
    try:
        version_number = library.gd_version_number
    except AttributeError as error:
        raise LibraryNotFoundError(f"{path} does not export gd_version_number; "
                                   "it is not libgradient_descent") from error
    version_number.argtypes = []
    version_number.restype = ctypes.c_uint32
    number = version_number()
    if number // 10000 != ABI_MAJOR:
        found = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
        raise LibraryNotFoundError(
            f"{path} is libgradient_descent {found}, but this package is written for ABI "
            f"major version {ABI_MAJOR}; install a matching library or package")
