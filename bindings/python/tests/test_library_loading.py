"""Where the library is looked for, what a failure says, and the ABI major version check."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import gradient_descent as gd
from gradient_descent import _library


def test_the_loaded_library_reports_the_headers_major_version():
    assert gd.library_version().split(".")[0] == str(_library.ABI_MAJOR)
    assert Path(gd.library_path).name == _library.FILE_NAME


def test_without_the_variable_the_package_copy_comes_before_the_build_folder(monkeypatch):
    monkeypatch.delenv(_library.ENVIRONMENT_VARIABLE, raising=False)
    places = [path for _origin, path in _library.candidate_paths()]
    package = Path(gd.__file__).resolve().parent
    assert places[0] == package / "_lib" / _library.FILE_NAME
    assert places[1] == package.parents[2] / ".build" / "release" / _library.FILE_NAME


def test_the_variable_is_the_only_place_when_set(monkeypatch, tmp_path):
    missing = tmp_path / "nowhere" / "libgradient_descent.so"
    monkeypatch.setenv(_library.ENVIRONMENT_VARIABLE, str(missing))
    with pytest.raises(ImportError) as caught:
        _library.load()
    message = str(caught.value)
    assert str(missing) in message and "$GRADIENT_DESCENT_LIBRARY" in message
    assert "make lib" in message


def test_the_failure_names_every_place_it_looked(monkeypatch, tmp_path):
    monkeypatch.delenv(_library.ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.setattr(_library, "_PACKAGE_DIR", tmp_path / "package")
    monkeypatch.setattr(_library, "_REPO_ROOT", tmp_path / "repo")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "Package.swift").write_text("// a checkout\n")
    with pytest.raises(_library.LibraryNotFoundError) as caught:
        _library.load()
    message = str(caught.value)
    assert str(tmp_path / "package" / "_lib" / _library.FILE_NAME) in message
    assert str(tmp_path / "repo" / ".build" / "release" / _library.FILE_NAME) in message
    assert "GRADIENT_DESCENT_LIBRARY: not set" in message
    assert "make lib" in message


def test_an_installed_package_without_library_names_no_repository(monkeypatch, tmp_path):
    """In site-packages there is no repository: its build folder is neither searched nor
    named, and the hint is to reinstall from a wheel."""
    monkeypatch.delenv(_library.ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.setattr(_library, "_PACKAGE_DIR", tmp_path / "site-packages" / "gradient_descent")
    monkeypatch.setattr(_library, "_REPO_ROOT", tmp_path)
    with pytest.raises(_library.LibraryNotFoundError) as caught:
        _library.load()
    message = str(caught.value)
    assert "repository" not in message and ".build" not in message
    assert "reinstall it from a wheel" in message


def test_a_file_that_is_not_a_library_is_reported(monkeypatch, tmp_path):
    bogus = tmp_path / "libgradient_descent.so"
    bogus.write_text("not a shared object")
    monkeypatch.setenv(_library.ENVIRONMENT_VARIABLE, str(bogus))
    with pytest.raises(ImportError, match="cannot load"):
        _library.load()


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler")
def test_a_library_of_another_major_version_is_refused(monkeypatch, tmp_path):
    source = tmp_path / "fake.c"
    source.write_text("unsigned int gd_version_number(void) { return 10203; }\n")
    fake = tmp_path / "libfake.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(fake), str(source)], check=True)
    monkeypatch.setenv(_library.ENVIRONMENT_VARIABLE, str(fake))
    with pytest.raises(ImportError, match=r"1\.2\.3.*major version 0"):
        _library.load()


def test_importing_with_the_variable_uses_that_file(tmp_path):
    copy = tmp_path / _library.FILE_NAME
    shutil.copy(gd.library_path, copy)
    environment = dict(os.environ, **{_library.ENVIRONMENT_VARIABLE: str(copy)})
    output = subprocess.run(
        [sys.executable, "-c", "import gradient_descent as gd; print(gd.library_path)"],
        env=environment, capture_output=True, text=True, check=True).stdout
    assert output.strip() == str(copy)
