"""The golden-file format shared by every generator in tools/torch_golden (see README.md).

A golden file is gzip-compressed JSON (`<subject>.json.gz` under Tests/Golden/torch):

    {"format": 1, "subject": "rules", "generator": "tools/torch_golden/<script>.py",
     "torch": "2.13.0+cpu", "cpu_capability": "AVX2", "default_dtype": "torch.float64",
     "problems": {name: {...}},          # the inputs every case refers to by name
     "cases": [{"kind": ..., "id": ..., ...}, ...]}

Floats are JSON numbers written with Python's repr (shortest round-trip, so the bits survive);
NaN and infinities are written as the strings "nan", "inf", "-inf" so the files stay plain JSON.
Each case carries a unique "id" (used as the pytest id) and a "kind" that says which test reads
it. Readers ignore keys they do not know, so a generator may add keys without breaking tests.
"""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import numpy as np

FORMAT = 1
ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = ROOT / "Tests" / "Golden" / "torch"

# Steps and the recorded steps of an update-rule trajectory (1-based: x after that many steps).
STEPS = 300
RECORDED_STEPS = [1, 2, 3, 5, 10, 20, 50, 100, 150, 200, 250, 300]
DIMENSION = 3


def encode(value):
    """A float (or nested list of floats) in the file's encoding."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [encode(v) for v in value]
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def decode(value):
    """The inverse of encode, to numpy float64 arrays for lists."""
    if isinstance(value, list):
        return np.array([decode(v) for v in value], dtype=np.float64)
    return float(value)


def problems() -> dict:
    """The inputs of the update-rule cases: a fixed gradient table (the gradient of step k is
    row k, whatever x is) and a closed-loop problem whose gradient depends on x,
        g(x) = sign * (a * (x - c) + b * (x * x * x)),
    each operation a separate correctly rounded IEEE operation, so numpy and torch produce the
    same bits. sign is -1 for maximize cases (so that ascent on -f stays bounded)."""
    rng = np.random.default_rng(20261206)
    table = rng.standard_normal((STEPS, DIMENSION)) * np.array([1.0, 0.1, 10.0])
    return {
        "table": {"x0": encode([0.5, -1.5, 2.0]), "gradients": encode(table)},
        "closed_loop": {"x0": encode([0.5, -1.5, 2.0]), "a": encode([1.0, 3.0, 0.5]),
                        "c": encode([1.0, -2.0, 0.25]), "b": encode([0.1, 0.02, 0.05])},
    }


def closed_loop_gradient(x, a, c, b, sign: float):
    """g(x) for numpy arrays or torch tensors alike (the same sequence of operations)."""
    t = x - c
    t = a * t
    u = x * x
    u = u * x
    u = b * u
    g = t + u
    return g * sign


def write(subject: str, generator: str, cases: list, *, extra_problems: dict | None = None,
          meta: dict | None = None) -> Path:
    """Writes Tests/Golden/torch/<subject>.json.gz (deterministic bytes: mtime 0)."""
    document = {"format": FORMAT, "subject": subject, "generator": generator,
                **(meta or {}), "problems": {**problems(), **(extra_problems or {})},
                "cases": cases}
    ids = [case["id"] for case in cases]
    if len(ids) != len(set(ids)):
        raise ValueError("case ids must be unique")
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    path = GOLDEN_DIR / f"{subject}.json.gz"
    text = json.dumps(document, separators=(",", ":"), allow_nan=False).encode()
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as out:
        out.write(text)
    return path


def read(path) -> dict:
    with gzip.open(path, "rb") as stream:
        return json.loads(stream.read())
