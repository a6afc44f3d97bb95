"""Compiles the C and Fortran sources the plugin and foreign-function tests load, once per
session, into a temporary folder (the same sources Tests/CTests uses)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
INCLUDE = REPO / "include"


def compile_shared(source: Path, output: Path) -> Path:
    """A shared object from a C (cc) or Fortran (gfortran) source."""
    if source.suffix == ".f90":
        command = [os.environ.get("FC", "gfortran"), "-O1", "-fPIC", "-shared", str(source),
                   "-o", str(output)]
    else:
        command = [os.environ.get("CC", "cc"), "-std=c99", "-O1", "-fPIC", "-shared",
                   f"-I{INCLUDE}", str(source), "-o", str(output), "-lm"]
    if shutil.which(command[0]) is None:
        raise RuntimeError(f"{command[0]} is needed to build {source.name} (run make setup)")
    subprocess.run(command, check=True)
    return output
