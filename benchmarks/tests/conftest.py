"""The benchmarks' own modules (benchmarks/, benchmarks/mgh/) for the tests of this folder."""

import os
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(BENCHMARKS), str(BENCHMARKS / "mgh")]
# The drivers link the library `make lib` builds, the one the binding loads.
os.environ.setdefault("GRADIENT_DESCENT_LIBRARY",
                      str(BENCHMARKS.parent / ".build" / "release" / "libgradient_descent.so"))
