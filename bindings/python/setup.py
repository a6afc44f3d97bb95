"""The build backend's part that pyproject.toml cannot say: where the shared library comes
from, the version, and the wheel's tag.

- The version is the header's GD_VERSION_MAJOR.MINOR.PATCH, read (not imported) from
  gradient_descent/_header_tables.py, the module tools/generate_tables.py generates from the
  header (tests/test_header_tables.py fails when they drift): one version for the .so, the
  wheel and gradient_descent.__version__.
- A wheel (pip install ./bindings/python, pip wheel, make wheel) carries
  libgradient_descent.so in gradient_descent/_lib/. When it is not there, or is another
  version, it is built here by running the repository's Swift build (as `make lib` does);
  when that is impossible (no repository around this folder, as in an unpacked sdist, or no
  `swift` on PATH) the build stops with a message saying what is missing. An install that
  succeeds always imports.
- The wheel holds a native library but no Python extension: its tag is py3-none-<platform>
  (`make wheel` then lets auditwheel give it the manylinux tag the library qualifies for).
- Editable installs (pip install -e) need no library in the package: the loader also looks
  in the repository's build folder.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PACKAGE = HERE / "gradient_descent"
LIBRARY_NAME = "libgradient_descent.so"
BUNDLED = PACKAGE / "_lib" / LIBRARY_NAME
REPOSITORY = HERE.parents[1]


def header_version() -> str:
    text = (PACKAGE / "_header_tables.py").read_text()
    match = re.search(r"^HEADER_VERSION = \((\d+), (\d+), (\d+)\)$", text, re.MULTILINE)
    if match is None:
        raise SystemExit(f"{PACKAGE / '_header_tables.py'} has no HEADER_VERSION; "
                         "run tools/generate_tables.py")
    return ".".join(match.groups())


VERSION = header_version()


def library_version(path: Path) -> str | None:
    """The version a built library reports, None when it cannot be loaded here."""
    try:
        library = ctypes.CDLL(str(path))
        library.gd_version_string.restype = ctypes.c_char_p
        return library.gd_version_string().decode()
    except (OSError, AttributeError):
        return None


def build_library() -> None:
    """Run the repository's Swift build and copy the library into the package, or stop
    with a message that says what is missing."""
    missing = []
    if not (REPOSITORY / "Package.swift").is_file() or not (REPOSITORY / "Sources").is_dir():
        missing.append(f"the repository's Swift sources (no Package.swift in {REPOSITORY}; "
                       "a source distribution of the Python package does not carry them)")
    swift = shutil.which("swift")
    if swift is None:
        missing.append("a Swift 6.3 toolchain: `swift` is not on PATH")
    if missing:
        raise SystemExit(
            f"gradient_descent: {BUNDLED.relative_to(HERE)} is not built, and it cannot be "
            "built here; missing:\n  - " + "\n  - ".join(missing) + "\n"
            "Install the wheel instead (`make wheel` in a clone with Swift 6.3, then "
            "`pip install dist/*.whl`), or build from a clone: `make lib && pip install "
            "./bindings/python`.")
    # As `make lib` builds it: the shipped library's flags (GRADIENT_DESCENT_TUNED_BUILD, see
    # Package.swift) and the SONAME with the major version.
    major = VERSION.split(".")[0]
    command = [swift, "build", "-c", "release", "-Xswiftc", "-static-stdlib",
               "-Xlinker", f"-soname=libgradient_descent.so.{major}", "--product", "gradient_descent"]
    print("gradient_descent: building libgradient_descent: GRADIENT_DESCENT_TUNED_BUILD=1",
          " ".join(command), flush=True)
    subprocess.run(command, cwd=REPOSITORY, check=True,
                   env=dict(os.environ, GRADIENT_DESCENT_TUNED_BUILD="1"))
    built = REPOSITORY / ".build" / "release" / LIBRARY_NAME
    BUNDLED.parent.mkdir(exist_ok=True)
    shutil.copy2(built, BUNDLED)


def ensure_library() -> None:
    found = library_version(BUNDLED) if BUNDLED.is_file() else None
    if found == VERSION:
        return
    if found is not None:
        print(f"gradient_descent: {BUNDLED} is version {found}, the package is {VERSION}; "
              "rebuilding", flush=True)
    build_library()
    found = library_version(BUNDLED)
    if found != VERSION:
        raise SystemExit(f"gradient_descent: the library built at {BUNDLED} reports version "
                         f"{found}, expected {VERSION}")


class BuildWithLibrary(build_py):
    def run(self) -> None:
        if not getattr(self, "editable_mode", False):
            ensure_library()
        super().run()


class NativeDistribution(Distribution):
    """Holds a native library: installed to platlib, wheel not pure."""

    def has_ext_modules(self) -> bool:
        return True


class PlatformWheel(bdist_wheel):
    def get_tag(self) -> tuple[str, str, str]:
        _python, _abi, platform = super().get_tag()
        return "py3", "none", platform


setup(version=VERSION, distclass=NativeDistribution, cmdclass={"build_py": BuildWithLibrary, "bdist_wheel": PlatformWheel})
