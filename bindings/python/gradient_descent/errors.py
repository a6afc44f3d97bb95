"""Exceptions: GradientDescentError and one subclass per gd_status of the header.

The classes are written out, one per code of the header's GD_STATUS_TABLE (so that type
checkers and IDEs see every name): GD_E_INVALID_ARGUMENT is InvalidArgumentError, and so
on. tests/test_statuses.py checks them against STATUS_TABLE (generated from the header), so
a code added to the header fails the tests until its class is written here. Each is also
the built-in exception a Python user expects, so that `except ValueError` catches a bad
hyper-parameter:

    NullArgumentError        ValueError
    InvalidArgumentError     ValueError
    DimensionMismatchError   ValueError
    UnknownNameError         ValueError     (an unknown optimizer or objective name)
    UnknownKeyError          KeyError       (str() is the message, not KeyError's repr)
    OutOfMemoryError         MemoryError
    CallbackError            -              (minimize re-raises your own exception instead)
    NonFiniteError           FloatingPointError
    PluginError              -
    BadStateError            ValueError     (a malformed or mismatched state blob)
    ForeignError             -
    LineSearchError          -              (minimize returns a result with success False instead)

Every instance carries `status` (the negative code), `status_name` ("GD_E_...") and
`status_text` (the header's static text); str(error) is gd_last_error()'s detail message.
"""

from __future__ import annotations

__all__ = ["GradientDescentError", "error_for_status", "NullArgumentError", "InvalidArgumentError", "DimensionMismatchError", "UnknownNameError", "UnknownKeyError", "OutOfMemoryError", "CallbackError", "NonFiniteError", "PluginError", "BadStateError", "ForeignError", "LineSearchError"]


class GradientDescentError(Exception):
    """A libgradient_descent call failed; base class of one subclass per status code."""

    status: int | None = None
    status_name: str | None = None
    status_text: str | None = None

    def __init__(self, message: str = "", *, status: int | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status

    @property
    def message(self) -> str:
        """The detail message (gd_last_error() when the library raised it)."""
        return str(self.args[0]) if self.args and self.args[0] else (self.status_text or "")

    def __str__(self) -> str:
        return self.message


class NullArgumentError(GradientDescentError, ValueError):
    """GD_E_NULL_ARGUMENT (-1): a required pointer argument is NULL."""

    status = -1
    status_name = "GD_E_NULL_ARGUMENT"
    status_text = "a required pointer argument is NULL"


class InvalidArgumentError(GradientDescentError, ValueError):
    """GD_E_INVALID_ARGUMENT (-2): an argument is out of its valid range."""

    status = -2
    status_name = "GD_E_INVALID_ARGUMENT"
    status_text = "an argument is out of its valid range"


class DimensionMismatchError(GradientDescentError, ValueError):
    """GD_E_DIMENSION_MISMATCH (-3): dimensions of the arguments do not agree."""

    status = -3
    status_name = "GD_E_DIMENSION_MISMATCH"
    status_text = "dimensions of the arguments do not agree"


class UnknownNameError(GradientDescentError, ValueError):
    """GD_E_UNKNOWN_NAME (-4): no optimizer, objective or schedule has this name."""

    status = -4
    status_name = "GD_E_UNKNOWN_NAME"
    status_text = "no optimizer, objective or schedule has this name"


class UnknownKeyError(GradientDescentError, KeyError):
    """GD_E_UNKNOWN_KEY (-5): the parameter key is not known to this object."""

    status = -5
    status_name = "GD_E_UNKNOWN_KEY"
    status_text = "the parameter key is not known to this object"


class OutOfMemoryError(GradientDescentError, MemoryError):
    """GD_E_OUT_OF_MEMORY (-6): memory allocation failed."""

    status = -6
    status_name = "GD_E_OUT_OF_MEMORY"
    status_text = "memory allocation failed"


class CallbackError(GradientDescentError):
    """GD_E_CALLBACK (-7): a callback returned non-zero and aborted the run."""

    status = -7
    status_name = "GD_E_CALLBACK"
    status_text = "a callback returned non-zero and aborted the run"


class NonFiniteError(GradientDescentError, FloatingPointError):
    """GD_E_NON_FINITE (-8): a loss, gradient or iterate is NaN or infinite."""

    status = -8
    status_name = "GD_E_NON_FINITE"
    status_text = "a loss, gradient or iterate is NaN or infinite"


class PluginError(GradientDescentError):
    """GD_E_PLUGIN (-9): a plugin could not be loaded or used."""

    status = -9
    status_name = "GD_E_PLUGIN"
    status_text = "a plugin could not be loaded or used"


class BadStateError(GradientDescentError, ValueError):
    """GD_E_BAD_STATE (-10): a saved state blob is malformed or does not match."""

    status = -10
    status_name = "GD_E_BAD_STATE"
    status_text = "a saved state blob is malformed or does not match"


class ForeignError(GradientDescentError):
    """GD_E_FOREIGN (-11): a foreign function binding is malformed or failed."""

    status = -11
    status_name = "GD_E_FOREIGN"
    status_text = "a foreign function binding is malformed or failed"


class LineSearchError(GradientDescentError):
    """GD_E_LINE_SEARCH (-12): a line search found no acceptable step."""

    status = -12
    status_name = "GD_E_LINE_SEARCH"
    status_text = "a line search found no acceptable step"


_CLASSES: tuple[type[GradientDescentError], ...] = (
    NullArgumentError, InvalidArgumentError, DimensionMismatchError, UnknownNameError, UnknownKeyError, OutOfMemoryError, CallbackError, NonFiniteError, PluginError, BadStateError, ForeignError,
    LineSearchError,
)
_BY_STATUS: dict[int, type[GradientDescentError]] = {cls.status: cls for cls in _CLASSES}  # type: ignore[misc]


def class_name(status_name: str) -> str:
    """GD_E_DIMENSION_MISMATCH -> DimensionMismatchError (the naming rule of the classes)."""
    words = status_name.removeprefix("GD_E_").split("_")
    return "".join(word.capitalize() for word in words) + "Error"


def error_for_status(status: int, message: str = "") -> GradientDescentError:
    """The exception for a negative status code, with the detail message (may be empty)."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        return GradientDescentError(message or f"unknown status {status}", status=status)
    return cls(message)
