"""Exceptions: GradientDescentError and one subclass per gd_status of the header.

The classes are generated from STATUS_TABLE (itself generated from the header's
GD_STATUS_TABLE): GD_E_INVALID_ARGUMENT becomes InvalidArgumentError, and so on. A code
added to the header gets its class after `tools/generate_tables.py` reruns. What is
hand-written here is only the policy of which built-in exception each one also is, so
that `except ValueError` catches a bad hyper-parameter as a Python user expects:

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

Every instance carries `status` (the negative code), `status_name` ("GD_E_...") and
`status_text` (the header's static text); str(error) is gd_last_error()'s detail message.
"""

from __future__ import annotations

from ._header_tables import STATUS_TABLE

__all__ = ["GradientDescentError", "error_for_status"]


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


# Which built-in exception each status is too (see the module docstring).
_ALSO = {
    "GD_E_NULL_ARGUMENT": ValueError,
    "GD_E_INVALID_ARGUMENT": ValueError,
    "GD_E_DIMENSION_MISMATCH": ValueError,
    "GD_E_UNKNOWN_NAME": ValueError,
    "GD_E_UNKNOWN_KEY": KeyError,
    "GD_E_OUT_OF_MEMORY": MemoryError,
    "GD_E_NON_FINITE": FloatingPointError,
    "GD_E_BAD_STATE": ValueError,
}


def class_name(status_name: str) -> str:
    """GD_E_DIMENSION_MISMATCH -> DimensionMismatchError."""
    words = status_name.removeprefix("GD_E_").split("_")
    return "".join(word.capitalize() for word in words) + "Error"


_BY_STATUS: dict[int, type[GradientDescentError]] = {}

for _name, _value, _text in STATUS_TABLE:
    if _value == 0:
        continue
    _bases = (GradientDescentError,) + ((_ALSO[_name],) if _name in _ALSO else ())
    _class = type(class_name(_name), _bases, {
        "__doc__": f"{_name} ({_value}): {_text}.",
        "__module__": __name__,
        "status": _value,
        "status_name": _name,
        "status_text": _text,
    })
    globals()[_class.__name__] = _class
    __all__.append(_class.__name__)
    _BY_STATUS[_value] = _class

del _name, _value, _text, _bases, _class


def error_for_status(status: int, message: str = "") -> GradientDescentError:
    """The exception for a negative status code, with the detail message (may be empty)."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        return GradientDescentError(message or f"unknown status {status}", status=status)
    return cls(message)
