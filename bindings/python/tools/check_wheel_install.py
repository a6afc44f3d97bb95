"""Install the wheel the way a user does and use it: a new virtual environment outside the
repository, PATH with no Swift toolchain, no GRADIENT_DESCENT_LIBRARY, a temporary working
directory. Runs the README's Python quick start (extracted from README.md, so the
documentation cannot drift), a built-in objective, and `python -m gradient_descent`, and
checks that the wheel's file name, the package and the library give one version. Then
installs a copy of the package without its library and without the repository around it
(what an unpacked source distribution is): that must stop at install time, saying what is
missing, never install something that cannot import.

    python bindings/python/tools/check_wheel_install.py dist/gradient_descent_swift-*.whl
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parents[2]
sys.path.insert(0, str(HERE.parent))

BUILT_IN_RUN = textwrap.dedent("""
    import numpy as np
    import gradient_descent as gd
    rng = np.random.default_rng(0)
    X = np.hstack([np.ones((500, 1)), rng.standard_normal((500, 3))])
    theta = np.array([0.5, -1.0, 2.0, 3.0])
    y = X @ theta
    res = gd.minimize(gd.objectives.LeastSquares(X, y), np.zeros(4),
                      optimizer=gd.SGD(lr=0.1, momentum=0.9), batch_size=50, max_epochs=200,
                      gradient_tolerance=1e-10, max_iterations=0)
    assert res.success and np.allclose(res.x, theta, atol=1e-6), res
    print("built-in run:", res.message, res.nit)
""")


def readme_quick_start() -> str:
    """The first python code block under the README's "## Python quick start"."""
    text = (REPOSITORY / "README.md").read_text()
    section = text.split("## Python quick start", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    if match is None:
        raise SystemExit("README.md has no python block under '## Python quick start'")
    return match.group(1)


def header_version() -> str:
    header = (REPOSITORY / "include" / "gradient_descent.h").read_text()
    parts = [re.search(rf"#define GD_VERSION_{part} (\d+)", header) for part in
             ("MAJOR", "MINOR", "PATCH")]
    return ".".join(match.group(1) for match in parts if match is not None)


def path_without_swift() -> str:
    kept = [entry for entry in os.environ.get("PATH", "").split(os.pathsep)
            if entry and not (Path(entry) / "swift").exists()]
    return os.pathsep.join(kept)


def main() -> None:
    wheel = Path(sys.argv[1]).resolve()
    version = header_version()
    if f"-{version}-py3-none-manylinux_" not in wheel.name:
        raise SystemExit(f"{wheel.name} is not version {version} with a manylinux tag")
    requirements = (HERE.parent / "requirements-test.txt").read_text()
    numpy_pin = re.search(r"^numpy==\S+", requirements, re.MULTILINE)
    with tempfile.TemporaryDirectory(prefix="gd-wheel-") as temporary:
        root = Path(temporary)
        base_python = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base_python, "-m", "venv", str(root / "venv")], check=True)
        python = root / "venv" / "bin" / "python"
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        str(wheel), numpy_pin.group(0) if numpy_pin else "numpy"], check=True)
        environment = {key: value for key, value in os.environ.items()
                       if key not in ("GRADIENT_DESCENT_LIBRARY", "PYTHONPATH", "VIRTUAL_ENV")}
        environment["PATH"] = path_without_swift()
        if shutil.which("swift", path=environment["PATH"]):
            raise SystemExit("could not take the Swift toolchain off PATH")
        work = root / "work"
        work.mkdir()

        def run(code: str, what: str) -> str:
            done = subprocess.run([str(python), "-c", code], cwd=work, env=environment,
                                  capture_output=True, text=True, timeout=300)
            print(f"== {what}\n{done.stdout}{done.stderr}", end="")
            if done.returncode != 0:
                raise SystemExit(f"{what} failed with status {done.returncode}")
            return done.stdout

        located = run("import gradient_descent as gd; print(gd.__file__); "
                      "print(gd.library_path); print(gd.__version__, gd.library_version())",
                      "where the package and its library are")
        package_file, library_path, versions = located.splitlines()[:3]
        for path in (package_file, library_path):
            if Path(path).resolve().is_relative_to(REPOSITORY):
                raise SystemExit(f"{path} is inside the repository, not the new environment")
        if versions.split() != [version, version]:
            raise SystemExit(f"package and library versions {versions} differ from {version}")
        run(readme_quick_start() + "\nassert res.success, res\n", "the README's Python quick start")
        run(BUILT_IN_RUN, "a built-in objective")
        done = subprocess.run([str(python), "-m", "gradient_descent"], cwd=work,
                              env=environment, capture_output=True, text=True, timeout=300)
        print(f"== python -m gradient_descent\n{done.stdout}{done.stderr}", end="")
        if done.returncode != 0:
            raise SystemExit("python -m gradient_descent failed")
        check_install_without_library(python, root, environment)
    print(f"{wheel.name}: installed and used outside the repository without Swift")


def check_install_without_library(python: Path, root: Path, environment: dict[str, str]) -> None:
    source = root / "source" / "gradient_descent_swift"
    shutil.copytree(HERE.parent, source, ignore=shutil.ignore_patterns(
        "_lib", "__pycache__", "*.egg-info", "build", "tests"))
    done = subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check",
                           "--force-reinstall", "--no-deps", str(source)], cwd=root,
                          env=environment, capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    print("== pip install of the package without its library or the repository")
    if done.returncode == 0:
        raise SystemExit("the package installed without a library:\n" + output)
    for needed in ("is not built, and it cannot be built here",
                   "the repository's Swift sources", "`swift` is not on PATH",
                   "Install the wheel instead"):
        if needed not in output:
            raise SystemExit(f"the failed install does not say {needed!r}:\n{output}")
    print("stopped at install time: no library, no Swift sources, no swift on PATH (said so)")


if __name__ == "__main__":
    main()
