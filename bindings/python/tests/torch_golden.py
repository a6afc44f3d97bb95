"""Reading the golden files that tools/torch_golden/generate_torch_golden.py wrote from real
PyTorch (Tests/Golden/torch/*.json.gz; the format is in tools/torch_golden/README.md). The tests
need neither torch nor the generator."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

import numpy as np

GOLDEN_DIR = Path(__file__).resolve().parents[3] / "Tests" / "Golden" / "torch"


@cache
def load(subject: str) -> dict:
    with gzip.open(GOLDEN_DIR / f"{subject}.json.gz", "rb") as stream:
        return json.loads(stream.read())


def decode(value):
    """Numbers as floats ("nan", "inf", "-inf" spelled as strings), lists as float64 arrays."""
    if isinstance(value, list):
        return np.array([decode(v) for v in value], dtype=np.float64)
    return float(value)


def cases(subject: str, kind: str) -> list[dict]:
    return [case for case in load(subject)["cases"] if case["kind"] == kind]


def problem(subject: str, name: str) -> dict:
    return load(subject)["problems"][name]


def scaled_error(actual, expected) -> float:
    """max |actual − expected| / max(1, ‖expected‖∞): the error relative to the iterate's size."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    return float(np.max(np.abs(actual - expected)) / max(1.0, float(np.max(np.abs(expected)))))


def relative_error(actual, expected) -> float:
    """max |actual − expected| / |expected| over the entries (0/0 counts as 0)."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    difference = np.abs(actual - expected)
    scale = np.abs(expected)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(difference == 0, 0.0, difference / scale)
    return float(np.max(ratio))
