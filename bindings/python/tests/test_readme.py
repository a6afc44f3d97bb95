"""The README's quick start runs and prints what it says."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_quick_start_runs_and_reaches_the_minimum():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Quick start"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, str(README), "exec"), namespace)
    result = namespace["res"]
    np.testing.assert_allclose(result.x, [1.0, 1.0], atol=1e-6)
    assert result.success
    printed = output.getvalue().split()
    documented = re.search(r"# (\[.*)", code).group(1).split()
    assert printed[4:] == documented[4:]  # success and message
    assert abs(int(printed[3]) - int(documented[3])) <= 0.05 * int(documented[3])  # nit
